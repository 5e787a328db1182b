// AES-128-CCM with an 8-byte tag through node:crypto against published vectors: NIST SP 800-38C
// Example 3 (the 12-byte nonce TLS uses) and RFC 3610 packet vector 1 (13-byte nonce).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ccm8Decrypt, ccm8Encrypt } from '../../../src/transport/dtls/record/aesCcm8.js';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s/g, ''), 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

const VECTORS = [
  {
    name: 'NIST SP 800-38C Example 3',
    key: '404142434445464748494a4b4c4d4e4f',
    nonce: '101112131415161718191a1b',
    aad: '000102030405060708090a0b0c0d0e0f10111213',
    plaintext: '202122232425262728292a2b2c2d2e2f3031323334353637',
    sealed: 'e3b201a9f5b71a7a9b1ceaeccd97e70b6176aad9a4428aa5484392fbc1b09951',
  },
  {
    name: 'RFC 3610 packet vector 1',
    key: 'c0c1c2c3c4c5c6c7c8c9cacbcccdcecf',
    nonce: '00000003020100a0a1a2a3a4a5',
    aad: '0001020304050607',
    plaintext: '08090a0b0c0d0e0f101112131415161718191a1b1c1d1e',
    sealed: '588c979a61c663d2f066d0c2c0f989806d5f6b61dac38417e8d12cfdf926e0',
  },
];

for (const v of VECTORS) {
  test(`${v.name}: encrypts to the published ciphertext and tag, and decrypts back`, () => {
    const sealed = ccm8Encrypt(hex(v.key), hex(v.nonce), hex(v.aad), hex(v.plaintext));
    assert.equal(toHex(sealed), v.sealed);
    const s = hex(v.sealed);
    const opened = ccm8Decrypt(hex(v.key), hex(v.nonce), hex(v.aad), s.subarray(0, -8), s.subarray(-8));
    assert.equal(toHex(opened!), v.plaintext);
  });

  test(`${v.name}: a flipped bit anywhere (ciphertext, tag, AAD) fails to decrypt`, () => {
    const s = hex(v.sealed);
    for (let i = 0; i < s.length; i++) {
      const bad = s.slice();
      bad[i]! ^= 0x01;
      assert.equal(
        ccm8Decrypt(hex(v.key), hex(v.nonce), hex(v.aad), bad.subarray(0, -8), bad.subarray(-8)),
        undefined,
      );
    }
    const aad = hex(v.aad);
    aad[0]! ^= 0x80;
    assert.equal(ccm8Decrypt(hex(v.key), hex(v.nonce), aad, s.subarray(0, -8), s.subarray(-8)), undefined);
  });
}

test('an empty plaintext seals to a bare tag and opens to empty', () => {
  const key = new Uint8Array(16).fill(3);
  const nonce = new Uint8Array(12).fill(4);
  const aad = hex('00');
  const sealed = ccm8Encrypt(key, nonce, aad, new Uint8Array(0));
  assert.equal(sealed.length, 8);
  assert.equal(ccm8Decrypt(key, nonce, aad, sealed.subarray(0, 0), sealed)?.length, 0);
});
