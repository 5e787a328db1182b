// JSON shapes of the bootstrap API (GET|PUT|DELETE /bootstrap/configs/{endpoint}, GET
// /bootstrap/sessions) and the encodings the config form needs: byte strings are hex in a config,
// `{ "text": "..." }` is read as UTF-8; key and certificate files become hex (PEM unwrapped to its DER).

/** A config as the API answers it (redacted: secretKeyLength instead of secretKey). */
export type ConfigJson = Record<string, unknown>;

/** One entry of GET /bootstrap/configs. */
export interface ConfigEntry {
  readonly endpoint: string;
  readonly config: ConfigJson;
}

/** One step of a bootstrap session. */
export interface SessionStepJson {
  readonly name: string;
  readonly ok: boolean;
  readonly code?: string;
  readonly failure?: string;
  readonly diagnostic?: string;
  readonly startedAt: string;
  readonly durationMs: number;
}

/** One bootstrap session (GET /bootstrap/sessions). */
export interface SessionJson {
  readonly id: string;
  readonly endpoint: string;
  readonly address?: string;
  readonly port?: number;
  readonly format?: string;
  readonly state: 'running' | 'finished' | 'failed';
  readonly startedAt: string;
  readonly endedAt?: string;
  readonly steps: readonly SessionStepJson[];
  readonly failure?: { readonly step: string; readonly reason: string; readonly code?: string };
}

/** The path of one config. */
export const configPath = (endpoint: string): string => `/bootstrap/configs/${encodeURIComponent(endpoint)}`;

const HEX = /^(?:[0-9a-fA-F]{2})*$/;

/** Bytes in hex. */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The UTF-8 text of `hex` when it is printable text, else undefined. */
export function hexToText(hex: string): string | undefined {
  if (!HEX.test(hex)) return undefined;
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    // eslint-disable-next-line no-control-regex
    return /[\u0000-\u001f\u007f]/.test(text) ? undefined : text;
  } catch {
    return undefined;
  }
}

/**
 * A key or certificate file as the hex of its DER bytes, which is what a config holds (Core TS
 * E.1 resources 3, 4 and 5): a PEM file is unwrapped (its base64 body decoded), a DER file taken as
 * it is.
 */
export async function fileToHex(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const text = new TextDecoder().decode(bytes);
  const pem = /-----BEGIN [^-]+-----([A-Za-z0-9+/=\s]+)-----END [^-]+-----/.exec(text);
  if (!pem) return toHex(bytes);
  const binary = atob(pem[1]!.replace(/\s+/g, ''));
  return toHex(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

/** Security modes of a config account. */
export const SECURITY_MODES = ['nosec', 'psk', 'rpk', 'x509', 'est'] as const;
export type SecurityModeName = (typeof SECURITY_MODES)[number];
