// ServerHelloDone (RFC 5246 7.4.5): an empty body.

import { DecodeError } from '../../../DecodeError.js';

/** Checks a ServerHelloDone body; DecodeError unless it is empty. */
export function decodeServerHelloDone(body: Uint8Array, base = 0): void {
  if (body.length !== 0) throw new DecodeError(`ServerHelloDone with a ${body.length}-byte body`, base);
}

/** The (empty) ServerHelloDone body. */
export function encodeServerHelloDone(): Uint8Array {
  return new Uint8Array(0);
}
