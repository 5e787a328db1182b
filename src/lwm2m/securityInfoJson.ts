// The JSON form of SecurityInfo (Transport TS 1.1.1 section 5.2 security modes) an operator
// gives (a credentials file, the REST API), read strictly: one object per endpoint holding one of
//   { "psk": { "identity": "text", "key": "hex" } }   pre-shared key
//   { "rpk": { "publicKey": "hex" } }                  raw public key (DER SubjectPublicKeyInfo)
//   { "x509": {} }                                     certificate (common name or SAN = endpoint)
// A raw public key may also be given as PEM ("-----BEGIN PUBLIC KEY-----") or as the base64 of
// its DER; those forms are decoded by node:crypto (so they must be a valid key) and kept as DER.
// A file maps endpoint names to those objects. Every error is an InvalidSecurityInfoError naming
// the field ('dev-1.psk.key'); unknown fields are errors, so a typo cannot pass silently.
import { createPublicKey } from 'node:crypto';
import {
  InvalidSecurityInfoError,
  MAX_PSK_KEY_BYTES,
  MAX_RPK_BYTES,
  validatePskIdentity,
  validateSecurityEndpoint,
  validateSecurityInfo,
  type SecurityInfo,
} from './SecurityInfo.js';

type Obj = Record<string, unknown>;

const HEX = /^(?:[0-9a-fA-F]{2})+$/;
const join = (at: string, key: string): string => (at ? `${at}.${key}` : key);
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function object(v: unknown, at: string): Obj {
  if (!isObj(v)) throw new InvalidSecurityInfoError(at, 'must be an object');
  return v;
}

function only(o: Obj, at: string, allowed: readonly string[]): void {
  for (const k of Object.keys(o))
    if (!allowed.includes(k)) throw new InvalidSecurityInfoError(join(at, k), 'is not a known field');
}

function hexBytes(v: unknown, at: string, max: number): Uint8Array {
  if (typeof v !== 'string' || !HEX.test(v))
    throw new InvalidSecurityInfoError(at, 'must be hex (a non-empty, even number of 0-9a-f digits)');
  if (v.length / 2 > max)
    throw new InvalidSecurityInfoError(at, `must be at most ${max} bytes, got ${v.length / 2}`);
  return Uint8Array.from(Buffer.from(v, 'hex'));
}

const BASE64 = /^[A-Za-z0-9+/\s]+={0,2}\s*$/;

/** A raw public key given as hex (bytes as they are), PEM or base64 DER (checked, kept as DER). */
function publicKeyBytes(v: unknown, at: string): Uint8Array {
  if (typeof v === 'string' && !HEX.test(v) && (v.includes('-----BEGIN') || BASE64.test(v))) {
    if (v.length > 4 * MAX_RPK_BYTES)
      throw new InvalidSecurityInfoError(at, `must be at most ${MAX_RPK_BYTES} bytes`);
    // createPublicKey would derive a public key from a private one: refuse that paste outright
    if (v.includes('PRIVATE KEY'))
      throw new InvalidSecurityInfoError(
        at,
        'is a private key: give the public key (it is never needed here)',
      );
    try {
      const key = v.includes('-----BEGIN')
        ? createPublicKey(v)
        : createPublicKey({ key: Buffer.from(v, 'base64'), format: 'der', type: 'spki' });
      return Uint8Array.from(key.export({ type: 'spki', format: 'der' }));
    } catch {
      throw new InvalidSecurityInfoError(
        at,
        'is not a public key (PEM, or the base64 of a DER SubjectPublicKeyInfo)',
      );
    }
  }
  return hexBytes(v, at, MAX_RPK_BYTES);
}

/**
 * Reads the credentials of `endpoint` from parsed JSON (a REST body); `at` prefixes the field
 * names in errors. Throws InvalidSecurityInfoError naming the field.
 */
export function parseSecurityInfoJson(endpoint: string, json: unknown, at = ''): SecurityInfo {
  validateSecurityEndpoint(endpoint, at || 'endpoint');
  const o = object(json, at);
  only(o, at, ['psk', 'rpk', 'x509']);
  const kinds = Object.keys(o);
  if (kinds.length !== 1) throw new InvalidSecurityInfoError(at, 'must hold exactly one of psk, rpk, x509');
  let info: SecurityInfo;
  if (o.psk !== undefined) {
    const psk = object(o.psk, join(at, 'psk'));
    only(psk, join(at, 'psk'), ['identity', 'key']);
    const identity = validatePskIdentity(psk.identity, join(at, 'psk.identity'));
    const key = hexBytes(psk.key, join(at, 'psk.key'), MAX_PSK_KEY_BYTES);
    info = { endpoint, kind: 'psk', identity, key };
  } else if (o.rpk !== undefined) {
    const rpk = object(o.rpk, join(at, 'rpk'));
    only(rpk, join(at, 'rpk'), ['publicKey']);
    info = {
      endpoint,
      kind: 'rpk',
      publicKey: publicKeyBytes(rpk.publicKey, join(at, 'rpk.publicKey')),
    };
  } else {
    only(object(o.x509, join(at, 'x509')), join(at, 'x509'), []);
    info = { endpoint, kind: 'x509' };
  }
  return validateSecurityInfo(info);
}

/**
 * Reads a credentials file from parsed JSON: an object of endpoint name → credentials. PSK
 * identities and raw public keys must be unique across endpoints (as SecurityStore requires). Throws
 * InvalidSecurityInfoError naming the field.
 */
export function parseSecurityInfoFile(json: unknown): SecurityInfo[] {
  const o = object(json, '');
  const owners = new Map<string, string>();
  const keyOwners = new Map<string, string>();
  const out: SecurityInfo[] = [];
  for (const endpoint of Object.keys(o)) {
    const info = parseSecurityInfoJson(endpoint, o[endpoint], endpoint);
    if (info.kind === 'psk') {
      const owner = owners.get(info.identity);
      if (owner !== undefined)
        throw new InvalidSecurityInfoError(
          `${endpoint}.psk.identity`,
          `is already the identity of endpoint ${JSON.stringify(owner)}`,
        );
      owners.set(info.identity, endpoint);
    } else if (info.kind === 'rpk') {
      // raw public keys are unique too (SecurityStore): one device key, one endpoint
      const key = Buffer.from(info.publicKey).toString('hex');
      const owner = keyOwners.get(key);
      if (owner !== undefined)
        throw new InvalidSecurityInfoError(
          `${endpoint}.rpk.publicKey`,
          `is already the key of endpoint ${JSON.stringify(owner)}`,
        );
      keyOwners.set(key, endpoint);
    }
    out.push(info);
  }
  return out;
}

/** Reads a credentials file from its text or UTF-8 bytes; invalid UTF-8 or JSON is an InvalidSecurityInfoError too. */
export function decodeSecurityInfoFile(text: string | Uint8Array): SecurityInfo[] {
  let json: unknown;
  try {
    const s = typeof text === 'string' ? text : new TextDecoder('utf-8', { fatal: true }).decode(text);
    json = JSON.parse(s);
  } catch (e) {
    throw new InvalidSecurityInfoError('', `is not UTF-8 JSON (${(e as Error).message})`);
  }
  return parseSecurityInfoFile(json);
}

/** The JSON form of `info` (keys in hex, so this is secret: never for logs or API answers). */
export function securityInfoToJson(info: SecurityInfo): Obj {
  switch (info.kind) {
    case 'psk':
      return { psk: { identity: info.identity, key: Buffer.from(info.key).toString('hex') } };
    case 'rpk':
      return { rpk: { publicKey: Buffer.from(info.publicKey).toString('hex') } };
    case 'x509':
      return { x509: {} };
  }
}

/** The JSON form of `info` without its secret: what APIs answer and logs show. */
export function redactedSecurityInfoJson(info: SecurityInfo): Obj {
  return info.kind === 'psk' ? { psk: { identity: info.identity } } : securityInfoToJson(info);
}

/** A credentials file holding `infos`, which parseSecurityInfoFile reads back. */
export function securityInfoFileToJson(infos: Iterable<SecurityInfo>): Obj {
  const out: Obj = {};
  // defineProperty: an endpoint named "__proto__" stays a plain key.
  for (const info of infos)
    Object.defineProperty(out, info.endpoint, {
      value: securityInfoToJson(info),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return out;
}
