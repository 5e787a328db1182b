// AES-128-CCM with an 8-byte tag (RFC 3610, NIST SP 800-38C; the AEAD of RFC 6655 as TLS uses it)
// through the native record cipher when it is built (nativeCcm8.ts: OpenSSL's AES-CCM with a
// re-keyed context, ~0.5 us per record) and node:crypto otherwise. OpenSSL's CCM is one-shot: the plaintext length goes with the AAD, and
// `update` is called once with the whole message. A wrong tag makes `final()` throw, which
// `ccm8Decrypt` turns into `undefined`; nothing else is ever thrown for bad input.
//
// A node:crypto cipher object cannot be re-keyed or re-IVed, so there each record costs one
// (research/dtls.md 1.5: ~5 us to seal, ~4 us to open; object creation dominates).

import { createCipheriv, createDecipheriv } from 'node:crypto';
import { nativeCcm8 } from './nativeCcm8.js';

/** Tag length of the CCM_8 suites. */
export const CCM8_TAG_LENGTH = 8;

const native = nativeCcm8;
/** key (16) | nonce (12) for the native calls of the separate-argument functions. */
const joined = new Uint8Array(28);

/**
 * ccm8EncryptInto with the key and the nonce in one 28-byte array (key | nonce), as the record
 * layer keeps them: no copy on the native path.
 */
export function ccm8EncryptIntoJoined(
  keyNonce: Uint8Array,
  aad: Uint8Array,
  plaintext: Uint8Array,
  out: Uint8Array,
  at: number,
): void {
  if (native) native.seal(keyNonce, aad, plaintext, out, at);
  else nodeEncryptInto(keyNonce.subarray(0, 16), keyNonce.subarray(16), aad, plaintext, out, at);
}

/** ccm8Decrypt with the key and the nonce in one 28-byte array (key | nonce). */
export function ccm8DecryptJoined(
  keyNonce: Uint8Array,
  aad: Uint8Array,
  ciphertext: Uint8Array,
  tag: Uint8Array,
): Uint8Array | undefined {
  if (!native) return nodeDecrypt(keyNonce.subarray(0, 16), keyNonce.subarray(16), aad, ciphertext, tag);
  if (tag.length !== CCM8_TAG_LENGTH) return undefined;
  const plaintext = Buffer.allocUnsafe(ciphertext.length);
  return native.open(keyNonce, aad, ciphertext, tag, plaintext) ? plaintext : undefined;
}

/**
 * Encrypts `plaintext` and writes ciphertext then the 8-byte tag at `at` of `out`. `plaintext`
 * may be the very bytes being overwritten (encryption in place): it is read before the write.
 */
export function ccm8EncryptInto(
  key: Uint8Array,
  nonce: Uint8Array,
  aad: Uint8Array,
  plaintext: Uint8Array,
  out: Uint8Array,
  at: number,
): void {
  if (!native || key.length !== 16 || nonce.length !== 12)
    nodeEncryptInto(key, nonce, aad, plaintext, out, at);
  else ccm8EncryptIntoJoined(join(key, nonce), aad, plaintext, out, at);
}

/** `key` | `nonce` in the module's 28-byte scratch array. */
function join(key: Uint8Array, nonce: Uint8Array): Uint8Array {
  joined.set(key, 0);
  joined.set(nonce, 16);
  return joined;
}

function nodeEncryptInto(
  key: Uint8Array,
  nonce: Uint8Array,
  aad: Uint8Array,
  plaintext: Uint8Array,
  out: Uint8Array,
  at: number,
): void {
  const cipher = createCipheriv('aes-128-ccm', key, nonce, { authTagLength: CCM8_TAG_LENGTH });
  cipher.setAAD(aad, { plaintextLength: plaintext.length });
  const ciphertext = cipher.update(plaintext);
  cipher.final();
  out.set(ciphertext, at);
  out.set(cipher.getAuthTag(), at + ciphertext.length);
}

/** Encrypts `plaintext`; returns ciphertext followed by the 8-byte tag. */
export function ccm8Encrypt(
  key: Uint8Array,
  nonce: Uint8Array,
  aad: Uint8Array,
  plaintext: Uint8Array,
): Uint8Array {
  const out = new Uint8Array(plaintext.length + CCM8_TAG_LENGTH);
  ccm8EncryptInto(key, nonce, aad, plaintext, out, 0);
  return out;
}

/** Decrypts and authenticates; `undefined` when the tag does not verify. */
export function ccm8Decrypt(
  key: Uint8Array,
  nonce: Uint8Array,
  aad: Uint8Array,
  ciphertext: Uint8Array,
  tag: Uint8Array,
): Uint8Array | undefined {
  if (!native || key.length !== 16 || nonce.length !== 12)
    return nodeDecrypt(key, nonce, aad, ciphertext, tag);
  return ccm8DecryptJoined(join(key, nonce), aad, ciphertext, tag);
}

function nodeDecrypt(
  key: Uint8Array,
  nonce: Uint8Array,
  aad: Uint8Array,
  ciphertext: Uint8Array,
  tag: Uint8Array,
): Uint8Array | undefined {
  const decipher = createDecipheriv('aes-128-ccm', key, nonce, { authTagLength: CCM8_TAG_LENGTH });
  decipher.setAuthTag(tag);
  decipher.setAAD(aad, { plaintextLength: ciphertext.length });
  const plaintext = decipher.update(ciphertext);
  try {
    decipher.final();
  } catch {
    return undefined;
  }
  return plaintext;
}
