// JSON shapes of the credentials API (GET|POST {securityPath}, GET|PUT|DELETE {securityPath}/{endpoint})
// and the small encodings the security forms need. Keys are write-only: no answer holds one.
import { session } from '../api.js';

/** Security modes of a credential. */
export type SecurityKind = 'psk' | 'rpk' | 'x509';

/** One credential as the API answers it (securityJson.ts): never a key. */
export type SecurityInfoView =
  | {
      readonly endpoint: string;
      readonly kind: 'psk';
      readonly psk: { readonly identity: string; readonly keyLength: number };
    }
  | { readonly endpoint: string; readonly kind: 'rpk'; readonly rpk: { readonly publicKey: string } }
  | { readonly endpoint: string; readonly kind: 'x509'; readonly x509: Record<string, never> };

/** A page of GET {securityPath}. */
export interface SecurityInfoPage {
  readonly items: readonly SecurityInfoView[];
  readonly total: number;
  readonly next?: string;
}

/** One row of POST {securityPath}?dryRun=true. */
export interface ImportPreviewRow {
  readonly line?: number;
  readonly endpoint: string;
  readonly kind?: SecurityKind;
  readonly identity?: string;
  readonly publicKey?: string;
  readonly action?: 'create' | 'replace';
  readonly error?: string;
}

/** The answer of POST {securityPath}?dryRun=true. */
export interface ImportPreview {
  readonly rows: readonly ImportPreviewRow[];
  readonly valid: number;
  readonly invalid: number;
}

/** The path of the credentials routes under the API prefix (/security, or /bootstrap/security). */
export const securityPath = (): string => session.value?.features.securityPath ?? '/security';

/** Mode names as an operator reads them. */
export const KIND_LABELS: Readonly<Record<SecurityKind, string>> = {
  psk: 'PSK',
  rpk: 'Raw public key',
  x509: 'X.509 certificate',
};

/** UTF-8 bytes of `text` in hex (a PSK typed as text is sent as the hex the API reads). */
export function textToHex(text: string): string {
  return Array.from(new TextEncoder().encode(text), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Bytes in hex. */
export function bytesToHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The short form of a public key shown in a table: its last 8 bytes (the DER header is shared by all keys). */
export function keyTail(hex: string): string {
  return hex.length > 16 ? `…${hex.slice(-16)}` : hex;
}

/**
 * A key or certificate file as the API takes it: a PEM file as its text (the credentials API reads
 * PEM), anything else (DER) as base64.
 */
export async function keyFileText(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const text = new TextDecoder().decode(bytes);
  if (text.includes('-----BEGIN')) return text;
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}
