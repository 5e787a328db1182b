// The optional native AES-128-CCM_8 record cipher (native/ccm8.c, built on install by
// scripts/build-native.mjs into build/native/ccm8.node): OpenSSL's AES-CCM through one re-keyed
// context per direction instead of a node:crypto cipher object per record (~0.5 us instead of ~3
// per record; issue 13). It is used only when it loads and agrees with node:crypto on a
// known-answer check at load time; otherwise, or with LWM2M_NATIVE_CRYPTO=0, aesCcm8.ts keeps
// node:crypto. Same bytes either way.

import { createCipheriv } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** The addon's two calls (see native/ccm8.c). */
export interface NativeCcm8 {
  /** Encrypts `input`, writing ciphertext then the 8-byte tag at `outAt` of `out` (in place allowed). */
  seal(keyNonce: Uint8Array, aad: Uint8Array, input: Uint8Array, out: Uint8Array, outAt: number): void;
  /** Decrypts into `out`; false when the tag does not verify. */
  open(
    keyNonce: Uint8Array,
    aad: Uint8Array,
    ciphertext: Uint8Array,
    tag: Uint8Array,
    out: Uint8Array,
  ): boolean;
}

/** Where the build puts the addon: build/native/ccm8.node at the package root (src/ and dist/ are 4 levels deep). */
export const NATIVE_CCM8_PATH = fileURLToPath(new URL('../../../../build/native/ccm8.node', import.meta.url));

/** Why the native cipher is not in use (undefined when it is). */
export let nativeCcm8Unavailable: string | undefined;

/** True when `addon` gives node:crypto's bytes for a record-sized message and rejects a forged tag. */
function agreesWithNodeCrypto(addon: NativeCcm8): boolean {
  const keyNonce = Uint8Array.from({ length: 28 }, (_, i) => (i * 37 + 11) & 0xff);
  const aad = Uint8Array.from({ length: 13 }, (_, i) => i + 1);
  const plain = Uint8Array.from({ length: 45 }, (_, i) => (i * 7) & 0xff);
  const c = createCipheriv('aes-128-ccm', keyNonce.subarray(0, 16), keyNonce.subarray(16), {
    authTagLength: 8,
  });
  c.setAAD(aad, { plaintextLength: plain.length });
  const expected = Buffer.concat([c.update(plain), c.final(), c.getAuthTag()]);
  const sealed = new Uint8Array(plain.length + 8);
  addon.seal(keyNonce, aad, plain, sealed, 0);
  if (!expected.equals(sealed)) return false;
  const back = new Uint8Array(plain.length);
  const ct = sealed.subarray(0, plain.length);
  if (!addon.open(keyNonce, aad, ct, sealed.subarray(plain.length), back) || !Buffer.from(back).equals(plain))
    return false;
  const forged = Uint8Array.from(sealed.subarray(plain.length));
  forged[0]! ^= 1;
  return !addon.open(keyNonce, aad, ct, forged, back);
}

function load(): NativeCcm8 | undefined {
  if (process.env.LWM2M_NATIVE_CRYPTO === '0') {
    nativeCcm8Unavailable = 'disabled by LWM2M_NATIVE_CRYPTO=0';
    return undefined;
  }
  if (!existsSync(NATIVE_CCM8_PATH)) {
    nativeCcm8Unavailable = `${NATIVE_CCM8_PATH} not built (npm install runs scripts/build-native.mjs)`;
    return undefined;
  }
  try {
    const addon = createRequire(import.meta.url)(NATIVE_CCM8_PATH) as NativeCcm8;
    if (agreesWithNodeCrypto(addon)) return addon;
    nativeCcm8Unavailable = `${NATIVE_CCM8_PATH} disagrees with node:crypto`;
  } catch (e) {
    nativeCcm8Unavailable = `${NATIVE_CCM8_PATH} does not load: ${e instanceof Error ? e.message : String(e)}`;
  }
  return undefined;
}

/** The native cipher, or undefined (then `nativeCcm8Unavailable` says why). */
export const nativeCcm8: NativeCcm8 | undefined = load();
