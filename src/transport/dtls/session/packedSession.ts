// The compact form of a session in a server's cache (RFC 5246 7.3 resumption state): a server
// keeps one per full handshake, up to `maxSessions` (100 000 by default), so each is one string
// rather than an object with three typed arrays (~550 B of heap each, bench/dtls.ts):
//   master secret (48) | SHA-256 of the PSK (32) | suite (2) | PSK identity (UTF-8)
// one latin1 character per byte (one flat string: a concatenation would keep a rope of parts).
// The cache key is the session id as a latin1 string (one character per byte).
// Holds the master secret: never logged nor handed out.

import { MASTER_SECRET_LENGTH } from '../handshake/KeySchedule.js';
import type { DtlsSession } from './DtlsSession.js';

const DIGEST_LENGTH = 32;
const IDENTITY_AT = MASTER_SECRET_LENGTH + DIGEST_LENGTH + 2;

const latin1 = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');

/** The cache key of a session id. */
export const packedSessionKey = latin1;

/** A server session (EMS, with its PSK digest) as one string; undefined when it has no digest. */
export function packSession(s: DtlsSession): string | undefined {
  if (!s.pskDigest || s.pskDigest.length !== DIGEST_LENGTH || s.master.length !== MASTER_SECRET_LENGTH)
    return undefined;
  const identity = Buffer.from(s.identity, 'utf8');
  const bytes = Buffer.allocUnsafe(IDENTITY_AT + identity.length);
  bytes.set(s.master, 0);
  bytes.set(s.pskDigest, MASTER_SECRET_LENGTH);
  bytes.writeUInt16BE(s.suiteId, MASTER_SECRET_LENGTH + DIGEST_LENGTH);
  bytes.set(identity, IDENTITY_AT);
  return bytes.toString('latin1');
}

/** The session stored under `key` as `packed`. */
export function unpackSession(key: string, packed: string): DtlsSession {
  const bytes = Buffer.from(packed, 'latin1');
  return {
    id: new Uint8Array(Buffer.from(key, 'latin1')),
    master: bytes.subarray(0, MASTER_SECRET_LENGTH),
    pskDigest: bytes.subarray(MASTER_SECRET_LENGTH, MASTER_SECRET_LENGTH + DIGEST_LENGTH),
    suiteId: bytes.readUInt16BE(MASTER_SECRET_LENGTH + DIGEST_LENGTH),
    extendedMasterSecret: true,
    identity: bytes.subarray(IDENTITY_AT).toString('utf8'),
  };
}

/** A test for the packed sessions of PSK `identity`. */
export function hasIdentity(identity: string): (packed: string) => boolean {
  const tail = Buffer.from(identity, 'utf8').toString('latin1');
  return (packed) => packed.length === IDENTITY_AT + tail.length && packed.endsWith(tail);
}
