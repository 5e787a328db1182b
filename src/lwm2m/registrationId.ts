// LwM2M Transport TS 1.1.1 section 6.4 (Register answers 2.01 with Location-Path "rd/{id}"): the
// `{id}` is the handle later Update and De-register requests present, so it is drawn from a CSPRNG
// (80 bits) and cannot be guessed to hijack or delete another client's registration.
import { randomBytes } from 'node:crypto';

/** Makes a new registration id. */
export type RegistrationIdGenerator = () => string;

/** Random bytes per id: 10 bytes = 80 bits, 14 base64url characters. */
export const REGISTRATION_ID_BYTES = 10;

/**
 * Ids drawn per call of `bytes`: one CSPRNG call per id cost about 6 % of the server's CPU per
 * Register (bench server, issue 17); a pool of 64 ids makes it negligible. Each byte serves one id.
 */
export const REGISTRATION_IDS_PER_DRAW = 64;

/** A generator of base64url ids from `bytes(n)` (defaults to crypto.randomBytes; inject for tests). */
export function randomRegistrationIds(
  bytes: (n: number) => Uint8Array = randomBytes,
  length = REGISTRATION_ID_BYTES,
): RegistrationIdGenerator {
  if (!Number.isInteger(length) || length < 8)
    throw new RangeError(`ids need at least 8 random bytes, got ${length}`);
  let pool: Buffer = Buffer.alloc(0);
  let at = 0;
  return () => {
    if (at + length > pool.length) {
      const drawn = bytes(length * REGISTRATION_IDS_PER_DRAW);
      pool = Buffer.from(drawn.buffer, drawn.byteOffset, drawn.byteLength);
      at = 0;
    }
    const id = pool.toString('base64url', at, at + length);
    at += length;
    return id;
  };
}

/** A deterministic generator for tests: `${prefix}1`, `${prefix}2`, ... Never use it in a server. */
export function sequentialRegistrationIds(prefix = 'reg'): RegistrationIdGenerator {
  let n = 0;
  return () => `${prefix}${++n}`;
}
