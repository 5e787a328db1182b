// CCM_8 record protection (RFC 6655 3, RFC 6347 4.1.2.1) and its RFC 9146 tls12_cid form: the
// wire layout of sealed records, round trips, and records that must not open (tampering, wrong
// key, missing inner content type). The golden check against real peers is captureReplay.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeCidAad } from '../../../src/transport/dtls/record/additionalData.js';
import { ccm8Encrypt } from '../../../src/transport/dtls/record/aesCcm8.js';
import {
  decodeDatagram,
  encodeDatagram,
  type DtlsRecord,
} from '../../../src/transport/dtls/record/RecordCodec.js';
import { createRecordProtection } from '../../../src/transport/dtls/record/RecordProtection.js';
import { TLS_PSK_WITH_AES_128_CCM_8 } from '../../../src/transport/dtls/suites.js';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s/g, ''), 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const keys = { key: hex('000102030405060708090a0b0c0d0e0f'), iv: hex('a0a1a2a3'), macKey: new Uint8Array(0) };
const other = { ...keys, key: hex('ff0102030405060708090a0b0c0d0e0f') };
const params = { type: 23, version: 0xfefd, epoch: 1, sequenceNumber: 0x0102_0304_0506 };
const content = new TextEncoder().encode('hello');

const one = (bytes: Uint8Array, cidLength = 0): DtlsRecord => {
  const rs = decodeDatagram(bytes, { cidLength });
  assert.equal(rs.length, 1);
  return rs[0]!;
};

test('a sealed record carries epoch|seq as explicit nonce, then ciphertext and an 8-byte tag', () => {
  const p = createRecordProtection(TLS_PSK_WITH_AES_128_CCM_8, keys);
  const bytes = p.seal(params, content);
  assert.equal(p.overhead, 16);
  assert.equal(bytes.length, 13 + 8 + content.length + 8);
  assert.equal(toHex(bytes.subarray(0, 13)), '17fefd0001010203040506' + '0015');
  assert.equal(toHex(bytes.subarray(13, 21)), '0001010203040506');
  // the ciphertext is CCM over the classic additional data with salt | explicit nonce
  const expected = ccm8Encrypt(
    keys.key,
    hex('a0a1a2a3 0001010203040506'),
    hex('0001010203040506 17 fefd 0005'),
    content,
  );
  assert.equal(toHex(bytes.subarray(21)), toHex(expected));
  const opened = p.open(one(bytes));
  assert.deepEqual(opened && { type: opened.type, content: toHex(opened.content) }, {
    type: 23,
    content: toHex(content),
  });
});

test('every single-bit change of a sealed record, header included, makes it fail to open', () => {
  const p = createRecordProtection(TLS_PSK_WITH_AES_128_CCM_8, keys);
  const bytes = p.seal(params, content);
  for (let i = 0; i < bytes.length; i++) {
    if (i === 11 || i === 12) continue; // the length field: a change makes the record not parse
    const bad = bytes.slice();
    bad[i]! ^= 0x04;
    assert.equal(p.open(one(bad)), undefined, `bit flipped in byte ${i}`);
  }
  assert.equal(createRecordProtection(TLS_PSK_WITH_AES_128_CCM_8, other).open(one(bytes)), undefined);
});

test('a record too short for nonce and tag does not open', () => {
  const p = createRecordProtection(TLS_PSK_WITH_AES_128_CCM_8, keys);
  for (let n = 0; n < 16; n++) {
    const r = { type: 23, version: 0xfefd, epoch: 1, sequenceNumber: 1, fragment: new Uint8Array(n) };
    assert.equal(p.open(one(encodeDatagram([r]))), undefined);
  }
});

test('with a CID the record is tls12_cid: content and real type encrypted, RFC 9146 AAD', () => {
  const p = createRecordProtection(TLS_PSK_WITH_AES_128_CCM_8, keys);
  const cid = hex('c0ffee01');
  const bytes = p.seal({ ...params, type: 22, cid }, content);
  assert.equal(toHex(bytes.subarray(0, 17)), '19fefd0001010203040506' + 'c0ffee01' + '0016');
  const inner = Uint8Array.from([...content, 22]);
  const aad = new Uint8Array(40);
  const n = writeCidAad(aad, 0xfefd, 1, params.sequenceNumber, cid, inner.length);
  assert.equal(
    toHex(aad.subarray(0, n)),
    'ffffffffffffffff' + '19' + '04' + '19' + 'fefd' + '0001010203040506' + 'c0ffee01' + '0006',
  );
  const expected = ccm8Encrypt(keys.key, hex('a0a1a2a3 0001010203040506'), aad.subarray(0, n), inner);
  assert.equal(toHex(bytes.subarray(25)), toHex(expected));
  const opened = p.open(one(bytes, 4));
  assert.equal(opened?.type, 22);
  assert.equal(toHex(opened!.content), toHex(content));
  // the CID is authenticated: the same record under another CID of the same length fails
  const moved = bytes.slice();
  moved[14]! ^= 0x01;
  assert.equal(p.open(one(moved, 4)), undefined);
});

test('an empty CID means no CID: the record is sent in the classic format', () => {
  const p = createRecordProtection(TLS_PSK_WITH_AES_128_CCM_8, keys);
  const bytes = p.seal({ ...params, cid: new Uint8Array(0) }, content);
  assert.equal(bytes[0], 23);
  assert.equal(p.open(one(bytes))?.type, 23);
});

test('zero padding after the inner content type is stripped; an all-zero inner plaintext is refused', () => {
  const p = createRecordProtection(TLS_PSK_WITH_AES_128_CCM_8, keys);
  const cid = hex('abcd');
  const build = (inner: Uint8Array): Uint8Array => {
    const aad = new Uint8Array(40);
    const n = writeCidAad(aad, 0xfefd, 1, 7, cid, inner.length);
    const sealed = ccm8Encrypt(keys.key, hex('a0a1a2a3 0001000000000007'), aad.subarray(0, n), inner);
    const fragment = Uint8Array.from([...hex('0001000000000007'), ...sealed]);
    return encodeDatagram([{ type: 25, version: 0xfefd, epoch: 1, sequenceNumber: 7, cid, fragment }]);
  };
  const padded = p.open(one(build(hex('414243 17 000000')), 2));
  assert.equal(padded?.type, 23);
  assert.equal(toHex(padded!.content), '414243');
  const empty = p.open(one(build(hex('15')), 2));
  assert.equal(empty?.type, 21);
  assert.equal(empty?.content.length, 0);
  assert.equal(p.open(one(build(hex('00000000')), 2)), undefined);
  assert.equal(p.open(one(build(new Uint8Array(0)), 2)), undefined);
});

test('sealing refuses content over 2^14 bytes, and a CCM_8 key of the wrong size', () => {
  const p = createRecordProtection(TLS_PSK_WITH_AES_128_CCM_8, keys);
  assert.equal(p.seal(params, new Uint8Array(16_384)).length, 13 + 16 + 16_384);
  assert.throws(() => p.seal(params, new Uint8Array(16_385)), RangeError);
  assert.throws(
    () => createRecordProtection(TLS_PSK_WITH_AES_128_CCM_8, { ...keys, iv: hex('00') }),
    RangeError,
  );
});
