// ClientHello (RFC 5246 7.4.1.2 with the DTLS cookie of RFC 6347 4.2.1):
//   client_version (2) | random (32) | session_id<0..32> | cookie<0..2^8-1> |
//   cipher_suites<2..2^16-2> | compression_methods<1..2^8-1> | [extensions<0..2^16-1>]
// The extensions block is optional: `extensions` undefined means absent, [] means present and
// empty, so decode then encode gives back the same bytes.

import { BodyReader } from './BodyReader.js';
import { BodyWriter } from './BodyWriter.js';
import { readExtensions, writeExtensions, type Extension } from './extensions.js';

/** A decoded ClientHello. */
export interface ClientHello {
  readonly clientVersion: number;
  readonly random: Uint8Array;
  readonly sessionId: Uint8Array;
  readonly cookie: Uint8Array;
  readonly cipherSuites: readonly number[];
  readonly compressionMethods: Uint8Array;
  readonly extensions?: readonly Extension[];
}

/** Decodes a ClientHello body; DecodeError when malformed. */
export function decodeClientHello(body: Uint8Array, base = 0): ClientHello {
  const r = new BodyReader(body, base);
  const clientVersion = r.u16('client_version');
  const random = r.fixed(32, 'random');
  const sessionId = r.vector(1, 0, 32, 'session_id');
  const cookie = r.vector(1, 0, 255, 'cookie');
  const suiteBytes = r.vector(2, 2, 0xfffe, 'cipher_suites');
  if (suiteBytes.length % 2 !== 0) throw r.error('cipher_suites of odd length');
  const cipherSuites: number[] = [];
  for (let i = 0; i < suiteBytes.length; i += 2)
    cipherSuites.push((suiteBytes[i]! << 8) | suiteBytes[i + 1]!);
  const compressionMethods = r.vector(1, 1, 255, 'compression_methods');
  const hello = { clientVersion, random, sessionId, cookie, cipherSuites, compressionMethods };
  if (r.remaining === 0) return hello;
  const extensions = readExtensions(r);
  r.end('ClientHello');
  return { ...hello, extensions };
}

/** Encodes a ClientHello body. */
export function encodeClientHello(m: ClientHello): Uint8Array {
  const w = new BodyWriter().u16(m.clientVersion, 'client_version');
  if (m.random.length !== 32) throw new RangeError('random must be 32 bytes');
  w.bytes(m.random).vector(1, 0, 32, m.sessionId, 'session_id').vector(1, 0, 255, m.cookie, 'cookie');
  const suites = new BodyWriter();
  for (const s of m.cipherSuites) suites.u16(s, 'cipher suite');
  w.vector(2, 2, 0xfffe, suites.finish(), 'cipher_suites').vector(
    1,
    1,
    255,
    m.compressionMethods,
    'compression_methods',
  );
  if (m.extensions) writeExtensions(w, m.extensions);
  return w.finish();
}
