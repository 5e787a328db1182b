// ServerHello (RFC 5246 7.4.1.3):
//   server_version (2) | random (32) | session_id<0..32> | cipher_suite (2) |
//   compression_method (1) | [extensions<0..2^16-1>]
// As for ClientHello, an absent extensions block stays distinct from an empty one.

import { BodyReader } from './BodyReader.js';
import { BodyWriter } from './BodyWriter.js';
import { readExtensions, writeExtensions, type Extension } from './extensions.js';

/** A decoded ServerHello. */
export interface ServerHello {
  readonly serverVersion: number;
  readonly random: Uint8Array;
  readonly sessionId: Uint8Array;
  readonly cipherSuite: number;
  readonly compressionMethod: number;
  readonly extensions?: readonly Extension[];
}

/** Decodes a ServerHello body; DecodeError when malformed. */
export function decodeServerHello(body: Uint8Array, base = 0): ServerHello {
  const r = new BodyReader(body, base);
  const hello = {
    serverVersion: r.u16('server_version'),
    random: r.fixed(32, 'random'),
    sessionId: r.vector(1, 0, 32, 'session_id'),
    cipherSuite: r.u16('cipher_suite'),
    compressionMethod: r.u8('compression_method'),
  };
  if (r.remaining === 0) return hello;
  const extensions = readExtensions(r);
  r.end('ServerHello');
  return { ...hello, extensions };
}

/** Encodes a ServerHello body. */
export function encodeServerHello(m: ServerHello): Uint8Array {
  if (m.random.length !== 32) throw new RangeError('random must be 32 bytes');
  const w = new BodyWriter()
    .u16(m.serverVersion, 'server_version')
    .bytes(m.random)
    .vector(1, 0, 32, m.sessionId, 'session_id')
    .u16(m.cipherSuite, 'cipher_suite')
    .u8(m.compressionMethod, 'compression_method');
  if (m.extensions) writeExtensions(w, m.extensions);
  return w.finish();
}
