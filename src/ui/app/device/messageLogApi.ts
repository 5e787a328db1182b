// The REST calls of the message log panel (issue 16 item 3): POST|DELETE
// /api/clients/{ep}/messages/watch, GET|DELETE /api/clients/{ep}/messages; live entries are the
// `coapMessage` events of GET /api/events.
import { api } from '../api.js';

/** One CoAP message to or from the client (RFC 7252 section 3). */
export interface CoapMessageJson {
  readonly seq: number;
  readonly at: number;
  readonly direction: 'in' | 'out';
  readonly type: 'CON' | 'NON' | 'ACK' | 'RST' | '?';
  readonly code: string;
  readonly codeName: string;
  readonly kind: string;
  readonly messageId: number;
  readonly token: string;
  readonly options: string;
  readonly payloadBytes: number;
  readonly rttMs?: number;
}

const base = (endpoint: string) => `/clients/${encodeURIComponent(endpoint)}/messages`;

export const watchMessages = (endpoint: string) =>
  api<{ expiresInMs: number; entriesPerEndpoint: number }>('POST', `${base(endpoint)}/watch`);

export const unwatchMessages = (endpoint: string) => api<undefined>('DELETE', `${base(endpoint)}/watch`);

export const loadMessages = (endpoint: string) =>
  api<{ watched: boolean; items: CoapMessageJson[] }>('GET', base(endpoint));

export const clearMessages = (endpoint: string) => api<undefined>('DELETE', base(endpoint));

/** True when `m` matches the filter text (any of its shown fields, case-insensitive). */
export function matches(m: CoapMessageJson, filter: string): boolean {
  if (filter === '') return true;
  const f = filter.toLowerCase();
  return [m.type, m.code, m.codeName, String(m.messageId), m.token, m.options, m.direction].some((s) =>
    s.toLowerCase().includes(f),
  );
}
