// The TLS 1.2 key schedule as DTLS 1.2 uses it (RFC 6347 section 4.2.6 changes nothing but the
// transcript's message form), on node:crypto's HMAC-SHA256 and SHA-256 only:
// - PRF(secret, label, seed) = P_SHA256(secret, label + seed) (RFC 5246 section 5);
// - PSK premaster secret: uint16 N, N zero bytes (or the ECDHE secret, RFC 5489), uint16 len, psk
//   (RFC 4279 section 2);
// - master secret from the randoms (RFC 5246 8.1), or the extended master secret from the
//   session hash of the transcript up to and including ClientKeyExchange (RFC 7627 section 4);
// - key block "key expansion" over server_random + client_random, split into MAC keys, write
//   keys and implicit IVs (RFC 5246 section 6.3);
// - Finished verify_data, 12 bytes, over the transcript hash (RFC 5246 section 7.4.9).
//
// Cost (research/dtls.md 1.5): each 32-byte PRF block is two HMACs; a PSK schedule with EMS is
// ~55 us. These run once per handshake, not per record.

import { createHash, createHmac, type Hash } from 'node:crypto';
import { keyBlockLength, type CipherSuite } from '../suites.js';

/** Length of the master secret (RFC 5246 section 8.1). */
export const MASTER_SECRET_LENGTH = 48;
/** Length of Finished.verify_data for every TLS 1.2 suite (RFC 5246 section 7.4.9). */
export const VERIFY_DATA_LENGTH = 12;
/** Length of ClientHello.random and ServerHello.random. */
export const RANDOM_LENGTH = 32;

/** Length of one HMAC-SHA256 output, the PRF's block. */
const BLOCK_LENGTH = 32;

/**
 * The TLS 1.2 PRF with SHA-256: `length` bytes of P_SHA256(secret, label + seed).
 *
 * One buffer holds A(i) | label | seed, so each HMAC gets a single `update` and nothing is
 * concatenated per block; the HMACs themselves (two per 32-byte block) are node:crypto's and are
 * what the PRF costs (a KeyObject for the secret measured slower than the raw bytes here).
 */
export function prfSha256(secret: Uint8Array, label: string, seed: Uint8Array, length: number): Uint8Array {
  const work = Buffer.allocUnsafe(BLOCK_LENGTH + label.length + seed.length);
  work.write(label, BLOCK_LENGTH, 'latin1');
  work.set(seed, BLOCK_LENGTH + label.length);
  const labelSeed = work.subarray(BLOCK_LENGTH);
  const out = new Uint8Array(length);
  let a: Uint8Array = labelSeed; // A(0)
  for (let at = 0; at < length; at += BLOCK_LENGTH) {
    a = createHmac('sha256', secret).update(a).digest(); // A(i) = HMAC(secret, A(i-1))
    work.set(a, 0);
    const block = createHmac('sha256', secret).update(work).digest(); // HMAC(secret, A(i) + label + seed)
    out.set(length - at >= BLOCK_LENGTH ? block : block.subarray(0, length - at), at);
  }
  return out;
}

/**
 * The PSK premaster secret (RFC 4279 section 2): `otherSecret` is absent for plain PSK (N zero
 * bytes as long as the key), the ECDH secret for ECDHE_PSK (RFC 5489 section 2).
 */
export function pskPremasterSecret(psk: Uint8Array, otherSecret?: Uint8Array): Uint8Array {
  const other = otherSecret ?? new Uint8Array(psk.length);
  const out = new Uint8Array(4 + other.length + psk.length);
  out[0] = other.length >> 8;
  out[1] = other.length & 0xff;
  out.set(other, 2);
  out[2 + other.length] = psk.length >> 8;
  out[3 + other.length] = psk.length & 0xff;
  out.set(psk, 4 + other.length);
  return out;
}

/** The master secret without EMS (RFC 5246 section 8.1). */
export function masterSecret(
  premaster: Uint8Array,
  clientRandom: Uint8Array,
  serverRandom: Uint8Array,
): Uint8Array {
  return prfSha256(
    premaster,
    'master secret',
    Buffer.concat([clientRandom, serverRandom]),
    MASTER_SECRET_LENGTH,
  );
}

/** The extended master secret (RFC 7627 section 4) from the session hash. */
export function extendedMasterSecret(premaster: Uint8Array, sessionHash: Uint8Array): Uint8Array {
  return prfSha256(premaster, 'extended master secret', sessionHash, MASTER_SECRET_LENGTH);
}

/** The keys of both directions, cut from the key block (RFC 5246 section 6.3). */
export interface KeyMaterial {
  readonly clientMacKey: Uint8Array;
  readonly serverMacKey: Uint8Array;
  readonly clientWriteKey: Uint8Array;
  readonly serverWriteKey: Uint8Array;
  /** Implicit IV (the 4-byte CCM salt); empty for CBC suites. */
  readonly clientWriteIv: Uint8Array;
  readonly serverWriteIv: Uint8Array;
}

/** Expands the master secret into the key material `suite` needs. Views share one buffer. */
export function deriveKeys(
  master: Uint8Array,
  clientRandom: Uint8Array,
  serverRandom: Uint8Array,
  suite: CipherSuite,
): KeyMaterial {
  const block = prfSha256(
    master,
    'key expansion',
    Buffer.concat([serverRandom, clientRandom]),
    keyBlockLength(suite),
  );
  let at = 0;
  const take = (n: number): Uint8Array => block.subarray(at, (at += n));
  const clientMacKey = take(suite.macKeyLength);
  const serverMacKey = take(suite.macKeyLength);
  const clientWriteKey = take(suite.encKeyLength);
  const serverWriteKey = take(suite.encKeyLength);
  const clientWriteIv = take(suite.fixedIvLength);
  const serverWriteIv = take(suite.fixedIvLength);
  return { clientMacKey, serverMacKey, clientWriteKey, serverWriteKey, clientWriteIv, serverWriteIv };
}

/** Finished.verify_data of the client or the server (RFC 5246 section 7.4.9). */
export function finishedVerifyData(
  master: Uint8Array,
  sender: 'client' | 'server',
  handshakeHash: Uint8Array,
): Uint8Array {
  return prfSha256(master, `${sender} finished`, handshakeHash, VERIFY_DATA_LENGTH);
}

/**
 * The running SHA-256 of the handshake transcript. In DTLS each message enters it in its
 * unfragmented form, the 12-byte handshake header with fragment_offset 0 and fragment_length
 * equal to length (RFC 6347 4.2.6), and the first ClientHello and HelloVerifyRequest stay out
 * of it (RFC 6347 4.2.1). `digest()` gives the hash so far and leaves the transcript running.
 */
export class TranscriptHash {
  private readonly hash: Hash = createHash('sha256');

  /** Adds one whole handshake message, header included. */
  update(message: Uint8Array): this {
    this.hash.update(message);
    return this;
  }

  /** The hash of everything added so far. */
  digest(): Uint8Array {
    return this.hash.copy().digest();
  }
}
