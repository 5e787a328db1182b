// AES-128-CCM with an 8-byte tag (RFC 3610, NIST SP 800-38C; the AEAD of RFC 6655 as TLS uses it)
// through node:crypto. OpenSSL's CCM is one-shot: the plaintext length goes with the AAD, and
// `update` is called once with the whole message. A wrong tag makes `final()` throw, which
// `ccm8Decrypt` turns into `undefined`; nothing else is ever thrown for bad input.
//
// A cipher object cannot be re-keyed or re-IVed, so each record costs one (research/dtls.md 1.5:
// ~5 us to seal, ~4 us to open; object creation dominates).

import { createCipheriv, createDecipheriv } from 'node:crypto';

/** Tag length of the CCM_8 suites. */
export const CCM8_TAG_LENGTH = 8;

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
