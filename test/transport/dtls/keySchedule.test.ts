// RFC 5246 5 PRF against the published TLS 1.2 P_SHA256 vector (posted to the TLS WG list, also
// in mbedTLS's and tinydtls's test data), and the RFC 4279 / 7627 / 5246 6.3 building blocks on
// small worked cases. The end-to-end check against real handshakes is captureReplay.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  deriveKeys,
  extendedMasterSecret,
  finishedVerifyData,
  masterSecret,
  prfSha256,
  pskPremasterSecret,
  TranscriptHash,
} from '../../../src/transport/dtls/handshake/KeySchedule.js';
import {
  TLS_PSK_WITH_AES_128_CBC_SHA256,
  TLS_PSK_WITH_AES_128_CCM_8,
} from '../../../src/transport/dtls/suites.js';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s/g, ''), 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

test('PRF-SHA256 reproduces the published TLS 1.2 test vector (100 bytes)', () => {
  const out = prfSha256(
    hex('9bbe436ba940f017b17652849a71db35'),
    'test label',
    hex('a0ba9f936cda311827a6f796ffd5198c'),
    100,
  );
  assert.equal(
    toHex(out),
    'e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a6b301791e90d35c9c9a46b4e14baf9af' +
      '0fa022f7077def17abfd3797c0564bab4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff7' +
      '0187347b66',
  );
});

test('PRF output is a prefix of a longer output (lengths not a multiple of 32)', () => {
  const secret = hex('00112233');
  const seed = hex('4455');
  const long = prfSha256(secret, 'x', seed, 70);
  for (const n of [0, 1, 12, 31, 32, 33, 48, 64, 65]) {
    assert.equal(toHex(prfSha256(secret, 'x', seed, n)), toHex(long.subarray(0, n)));
  }
});

test('the PSK premaster secret is N, N zero bytes, N, psk (RFC 4279 2), or the other secret', () => {
  assert.equal(toHex(pskPremasterSecret(hex('0a0b0c'))), '0003000000' + '0003' + '0a0b0c');
  assert.equal(toHex(pskPremasterSecret(hex('0a0b'), hex('ffeedd'))), '0003ffeedd' + '0002' + '0a0b');
  assert.equal(toHex(pskPremasterSecret(new Uint8Array(0))), '00000000');
});

test('master secrets follow their definitions (RFC 5246 8.1, RFC 7627 4)', () => {
  const pre = pskPremasterSecret(hex('73656372657450534b'));
  const cr = new Uint8Array(32).fill(1);
  const sr = new Uint8Array(32).fill(2);
  assert.equal(
    toHex(masterSecret(pre, cr, sr)),
    toHex(prfSha256(pre, 'master secret', Buffer.concat([cr, sr]), 48)),
  );
  const sessionHash = createHash('sha256').update('transcript').digest();
  assert.equal(
    toHex(extendedMasterSecret(pre, sessionHash)),
    toHex(prfSha256(pre, 'extended master secret', sessionHash, 48)),
  );
});

test('the key block is cut into MAC keys, write keys and salts in RFC 5246 6.3 order', () => {
  const ms = new Uint8Array(48).fill(7);
  const cr = new Uint8Array(32).fill(1);
  const sr = new Uint8Array(32).fill(2);
  const block = prfSha256(ms, 'key expansion', Buffer.concat([sr, cr]), 96);
  const ccm = deriveKeys(ms, cr, sr, TLS_PSK_WITH_AES_128_CCM_8);
  assert.equal(ccm.clientMacKey.length, 0);
  assert.equal(toHex(ccm.clientWriteKey), toHex(block.subarray(0, 16)));
  assert.equal(toHex(ccm.serverWriteKey), toHex(block.subarray(16, 32)));
  assert.equal(toHex(ccm.clientWriteIv), toHex(block.subarray(32, 36)));
  assert.equal(toHex(ccm.serverWriteIv), toHex(block.subarray(36, 40)));
  const cbc = deriveKeys(ms, cr, sr, TLS_PSK_WITH_AES_128_CBC_SHA256);
  assert.equal(toHex(cbc.clientMacKey), toHex(block.subarray(0, 32)));
  assert.equal(toHex(cbc.serverMacKey), toHex(block.subarray(32, 64)));
  assert.equal(toHex(cbc.clientWriteKey), toHex(block.subarray(64, 80)));
  assert.equal(toHex(cbc.serverWriteKey), toHex(block.subarray(80, 96)));
  assert.equal(cbc.clientWriteIv.length, 0);
});

test('verify_data is 12 bytes of PRF under the sender label', () => {
  const ms = new Uint8Array(48).fill(9);
  const h = createHash('sha256').update('abc').digest();
  assert.equal(toHex(finishedVerifyData(ms, 'client', h)), toHex(prfSha256(ms, 'client finished', h, 12)));
  assert.equal(toHex(finishedVerifyData(ms, 'server', h)), toHex(prfSha256(ms, 'server finished', h, 12)));
});

test('the transcript hash gives running digests and keeps running', () => {
  const t = new TranscriptHash();
  t.update(hex('0102'));
  assert.equal(toHex(t.digest()), createHash('sha256').update(hex('0102')).digest('hex'));
  t.update(hex('03'));
  assert.equal(toHex(t.digest()), createHash('sha256').update(hex('010203')).digest('hex'));
});
