// ClientKeyExchange for plain PSK suites (RFC 4279 section 2): psk_identity<0..2^16-1>, the
// identity as bytes (UTF-8 per RFC 4279 5.1; we keep the bytes and let the credential lookup
// compare them). RFC 4279 5.3 requires identities up to 128 bytes (and keys up to 64) to work,
// and the LwM2M Transport TS repeats it; any bound below the wire's 65535 is the PSK store's.

import { BodyReader } from './BodyReader.js';
import { BodyWriter } from './BodyWriter.js';

/** A decoded PSK ClientKeyExchange. */
export interface PskClientKeyExchange {
  readonly pskIdentity: Uint8Array;
}

/** Decodes a PSK ClientKeyExchange body; DecodeError when malformed. */
export function decodePskClientKeyExchange(body: Uint8Array, base = 0): PskClientKeyExchange {
  const r = new BodyReader(body, base);
  const pskIdentity = r.vector(2, 0, 0xffff, 'psk_identity');
  r.end('ClientKeyExchange');
  return { pskIdentity };
}

/** Encodes a PSK ClientKeyExchange body. */
export function encodePskClientKeyExchange(m: PskClientKeyExchange): Uint8Array {
  return new BodyWriter().vector(2, 0, 0xffff, m.pskIdentity, 'psk_identity').finish();
}
