// HelloVerifyRequest (RFC 6347 4.2.1): server_version (2) | cookie<0..2^8-1>. The server sends
// it with version DTLS 1.0 (FE FF) whatever it negotiates later, as 4.2.1 recommends.

import { BodyReader } from './BodyReader.js';
import { BodyWriter } from './BodyWriter.js';

/** A decoded HelloVerifyRequest. */
export interface HelloVerifyRequest {
  readonly serverVersion: number;
  readonly cookie: Uint8Array;
}

/** Decodes a HelloVerifyRequest body; DecodeError when malformed. */
export function decodeHelloVerifyRequest(body: Uint8Array, base = 0): HelloVerifyRequest {
  const r = new BodyReader(body, base);
  const m = { serverVersion: r.u16('server_version'), cookie: r.vector(1, 0, 255, 'cookie') };
  r.end('HelloVerifyRequest');
  return m;
}

/** Encodes a HelloVerifyRequest body. */
export function encodeHelloVerifyRequest(m: HelloVerifyRequest): Uint8Array {
  return new BodyWriter()
    .u16(m.serverVersion, 'server_version')
    .vector(1, 0, 255, m.cookie, 'cookie')
    .finish();
}
