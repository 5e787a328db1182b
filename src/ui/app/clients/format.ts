// Display helpers of the client list and the registration details: times as the operator reads
// them (local clock time, "in 4 min", "12 s ago") and the security mode of a registration.
import type { RegistrationJson } from '../types.js';

/** How a client authenticated: plain CoAP or the kind of its DTLS identity (GET /api/clients ?securityMode=). */
export type SecurityMode = 'none' | 'psk' | 'rpk' | 'x509';

export function securityModeOf(reg: RegistrationJson): SecurityMode {
  const kind = reg.identity?.kind;
  return kind === 'psk' || kind === 'rpk' || kind === 'x509' ? kind : 'none';
}

const SECURITY_LABELS: Readonly<Record<SecurityMode, string>> = {
  none: 'none',
  psk: 'PSK',
  rpk: 'RPK',
  x509: 'X.509',
};
export const securityLabel = (mode: SecurityMode): string => SECURITY_LABELS[mode];

const pad = (n: number): string => String(n).padStart(2, '0');

/** An ISO time as local "HH:MM:SS" when it is today, else "YYYY-MM-DD HH:MM". */
export function clockTime(iso: string, now = Date.now()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const today = new Date(now);
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  if (d.toDateString() === today.toDateString()) return `${hm}:${pad(d.getSeconds())}`;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${hm}`;
}

/** A duration in seconds as "45 s", "12 min", "3 h 05 min", "2 d 4 h". */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${pad(s % 60)} s`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ${pad(Math.floor((s % 3600) / 60))} min`;
  return `${Math.floor(s / 86_400)} d ${Math.floor((s % 86_400) / 3600)} h`;
}

/** Time left until `expiresAt` ("in 4 min 10 s", "expired", "never"). */
export function expiresIn(expiresAt: string | null, now = Date.now()): string {
  if (expiresAt === null) return 'never';
  const left = (Date.parse(expiresAt) - now) / 1000;
  if (Number.isNaN(left)) return expiresAt;
  return left <= 0 ? 'expired' : `in ${duration(left)}`;
}
