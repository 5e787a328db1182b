// LwM2M Transport TS 1.1.1 section 5.2 (DTLS security modes) and Core TS 1.1.1 Appendix E.1
// (Security object): the credentials a server or bootstrap server holds for one endpoint, checked
// once when they are configured, plus a redacted view that never carries a secret.
//
// Limits: RFC 4279 section 5.3 requires every implementation to support PSK identities of up to
// 128 octets and keys of up to 64 octets, and LwM2M Transport TS 1.1.1 section 5.2 repeats it.
// We accept exactly what every conforming peer must accept (identity 1-128 UTF-8 octets, key 1-64
// octets): a longer credential could be configured here and then fail to interoperate with a
// constrained client, which is worse than a clear error now. The TS recommends keys of 16 octets
// or more; shorter ones are accepted (test vectors and legacy devices use them).
import { Lwm2mError } from './errors.js';

/** Longest PSK identity, in UTF-8 octets (RFC 4279 section 5.3). */
export const MAX_PSK_IDENTITY_BYTES = 128;
/** Longest PSK, in octets (RFC 4279 section 5.3). */
export const MAX_PSK_KEY_BYTES = 64;
/** Longest endpoint name a SecurityInfo may name, in characters (generous: above the server's default 256). */
export const MAX_SECURITY_ENDPOINT_LENGTH = 1024;
/** Longest raw public key (a DER SubjectPublicKeyInfo), in octets. */
export const MAX_RPK_BYTES = 1024;

/** Pre-shared key credentials (security mode 0). */
export interface PskSecurityInfo {
  readonly endpoint: string;
  readonly kind: 'psk';
  /** The PSK identity the client sends in its ClientKeyExchange, as UTF-8 text. */
  readonly identity: string;
  /** The secret key. */
  readonly key: Uint8Array;
}

/** Raw public key credentials (security mode 1): the client's DER SubjectPublicKeyInfo. */
export interface RpkSecurityInfo {
  readonly endpoint: string;
  readonly kind: 'rpk';
  readonly publicKey: Uint8Array;
}

/**
 * Certificate credentials (security mode 2): the client's chain must lead to the server's trust
 * anchors, and its common name (or a subjectAltName DNS/URI entry) must be the endpoint name.
 */
export interface X509SecurityInfo {
  readonly endpoint: string;
  readonly kind: 'x509';
}

/** The credentials of one endpoint: what a secured uplink must have authenticated with. */
export type SecurityInfo = PskSecurityInfo | RpkSecurityInfo | X509SecurityInfo;

/** A SecurityInfo without its secret, safe for APIs and logs. */
export type RedactedSecurityInfo =
  | { readonly endpoint: string; readonly kind: 'psk'; readonly identity: string }
  | { readonly endpoint: string; readonly kind: 'rpk'; readonly publicKey: string }
  | { readonly endpoint: string; readonly kind: 'x509' };

/** Credentials that are not valid; renders as 4.00 / HTTP 400 and names the field. */
export class InvalidSecurityInfoError extends Lwm2mError {
  constructor(
    /** Dotted path of the offending field, e.g. 'psk.key' ('' for the whole value). */
    readonly field: string,
    /** Why it is invalid. */
    readonly reason: string,
  ) {
    super(field ? `${field}: ${reason}` : reason, 'LWM2M_INVALID_SECURITY_INFO', 0x80);
  }
}

// In a `u` regular expression a well-formed surrogate pair is one code point, so \p{Cs} only
// matches a lone surrogate: text that has no UTF-8 form.
const LONE_SURROGATE = /\p{Cs}/u;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** UTF-8 length of `text`, or undefined when it holds a lone surrogate (not valid UTF-8). */
export function utf8Length(text: string): number | undefined {
  return LONE_SURROGATE.test(text) ? undefined : Buffer.byteLength(text, 'utf8');
}

function checkBytes(bytes: unknown, field: string, max: number): Uint8Array {
  if (!(bytes instanceof Uint8Array)) throw new InvalidSecurityInfoError(field, 'must be bytes');
  if (bytes.length < 1 || bytes.length > max)
    throw new InvalidSecurityInfoError(field, `must be 1 to ${max} bytes, got ${bytes.length}`);
  return bytes;
}

/** Checks an endpoint name: non-empty, valid UTF-8, no control character, bounded. */
export function validateSecurityEndpoint(endpoint: unknown, field = 'endpoint'): string {
  if (typeof endpoint !== 'string') throw new InvalidSecurityInfoError(field, 'must be a string');
  if (endpoint === '') throw new InvalidSecurityInfoError(field, 'must not be empty');
  if (endpoint.length > MAX_SECURITY_ENDPOINT_LENGTH)
    throw new InvalidSecurityInfoError(field, `must be at most ${MAX_SECURITY_ENDPOINT_LENGTH} characters`);
  if (utf8Length(endpoint) === undefined || CONTROL.test(endpoint))
    throw new InvalidSecurityInfoError(field, 'must be UTF-8 text without control characters');
  return endpoint;
}

/** Checks a PSK identity: 1 to 128 UTF-8 octets (RFC 4279 5.1 and 5.3). */
export function validatePskIdentity(identity: unknown, field = 'identity'): string {
  if (typeof identity !== 'string') throw new InvalidSecurityInfoError(field, 'must be a string');
  const bytes = utf8Length(identity);
  if (bytes === undefined) throw new InvalidSecurityInfoError(field, 'must be valid UTF-8 text');
  if (bytes < 1 || bytes > MAX_PSK_IDENTITY_BYTES)
    throw new InvalidSecurityInfoError(
      field,
      `must be 1 to ${MAX_PSK_IDENTITY_BYTES} UTF-8 bytes, got ${bytes}`,
    );
  return identity;
}

/**
 * Checks `info` and returns it unchanged; throws InvalidSecurityInfoError naming the first bad
 * field. Accepts only the fields of its kind, so a typo cannot pass silently.
 */
export function validateSecurityInfo(info: SecurityInfo): SecurityInfo {
  const raw = info as unknown as Record<string, unknown>;
  if (typeof raw !== 'object' || raw === null) throw new InvalidSecurityInfoError('', 'must be an object');
  validateSecurityEndpoint(raw.endpoint);
  const allowed: Record<string, readonly string[]> = {
    psk: ['endpoint', 'kind', 'identity', 'key'],
    rpk: ['endpoint', 'kind', 'publicKey'],
    x509: ['endpoint', 'kind'],
  };
  const fields =
    typeof raw.kind === 'string' && Object.hasOwn(allowed, raw.kind) ? allowed[raw.kind] : undefined;
  if (fields === undefined) throw new InvalidSecurityInfoError('kind', 'must be psk, rpk or x509');
  for (const k of Object.keys(raw))
    if (!fields.includes(k))
      throw new InvalidSecurityInfoError(k, `is not a field of ${info.kind} credentials`);
  if (info.kind === 'psk') {
    validatePskIdentity(info.identity);
    checkBytes(info.key, 'key', MAX_PSK_KEY_BYTES);
  } else if (info.kind === 'rpk') checkBytes(info.publicKey, 'publicKey', MAX_RPK_BYTES);
  return info;
}

/** A copy of `info` whose byte arrays are its own (stores keep copies, not the caller's arrays). */
export function copySecurityInfo(info: SecurityInfo): SecurityInfo {
  switch (info.kind) {
    case 'psk':
      return { endpoint: info.endpoint, kind: 'psk', identity: info.identity, key: info.key.slice() };
    case 'rpk':
      return { endpoint: info.endpoint, kind: 'rpk', publicKey: info.publicKey.slice() };
    case 'x509':
      return { endpoint: info.endpoint, kind: 'x509' };
  }
}

/** `info` without its secret (the PSK key); public keys are shown as hex. */
export function redactSecurityInfo(info: SecurityInfo): RedactedSecurityInfo {
  switch (info.kind) {
    case 'psk':
      return { endpoint: info.endpoint, kind: 'psk', identity: info.identity };
    case 'rpk':
      return {
        endpoint: info.endpoint,
        kind: 'rpk',
        publicKey: Buffer.from(info.publicKey).toString('hex'),
      };
    case 'x509':
      return { endpoint: info.endpoint, kind: 'x509' };
  }
}
