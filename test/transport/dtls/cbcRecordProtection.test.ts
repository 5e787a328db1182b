// AES-128-CBC + HMAC-SHA256 MAC-then-encrypt records (RFC 5246 6.2.3.2), for
// TLS_PSK_WITH_AES_128_CBC_SHA256: the layout checked against node:crypto's AES-CBC and HMAC
// used directly, every padding length, and records that must not open (tampering, bad padding
// under a good MAC, CID records).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv, createDecipheriv, createHmac } from 'node:crypto';
import {
  decodeDatagram,
  encodeDatagram,
  type DtlsRecord,
} from '../../../src/transport/dtls/record/RecordCodec.js';
import { createRecordProtection } from '../../../src/transport/dtls/record/RecordProtection.js';
import { TLS_PSK_WITH_AES_128_CBC_SHA256 } from '../../../src/transport/dtls/suites.js';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s/g, ''), 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const keys = {
  key: hex('000102030405060708090a0b0c0d0e0f'),
  iv: new Uint8Array(0),
  macKey: Uint8Array.from({ length: 32 }, (_, i) => 0x40 + i),
};
const IV = hex('f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff');
const fixedIv = (n: number): Uint8Array => IV.subarray(0, n);
const params = { type: 23, version: 0xfefd, epoch: 1, sequenceNumber: 5 };
const cbc = () => createRecordProtection(TLS_PSK_WITH_AES_128_CBC_SHA256, keys, fixedIv);
const one = (bytes: Uint8Array): DtlsRecord => decodeDatagram(bytes)[0]!;

test('a sealed record is IV | CBC(content | HMAC over the classic header fields | padding)', () => {
  const content = new TextEncoder().encode('hello');
  const bytes = cbc().seal(params, content);
  assert.equal(bytes.length, 13 + 16 + 48); // 5 + 32 + 11 padding bytes = 48
  assert.equal(toHex(bytes.subarray(0, 13)), '17fefd0001000000000005' + '0040');
  assert.equal(toHex(bytes.subarray(13, 29)), toHex(IV));
  const d = createDecipheriv('aes-128-cbc', keys.key, IV).setAutoPadding(false);
  const plain = Buffer.concat([d.update(bytes.subarray(29)), d.final()]);
  const mac = createHmac('sha256', keys.macKey)
    .update(hex('0001000000000005 17 fefd 0005'))
    .update(content)
    .digest();
  assert.equal(toHex(plain), toHex(Buffer.concat([content, mac, Buffer.alloc(11, 10)])));
  assert.equal(toHex(cbc().open(one(bytes))!.content), toHex(content));
});

test('every content length from 0 to 40 (each padding length) round-trips', () => {
  for (let n = 0; n <= 40; n++) {
    const content = Uint8Array.from({ length: n }, (_, i) => i);
    const bytes = cbc().seal({ ...params, sequenceNumber: n }, content);
    assert.equal((bytes.length - 13) % 16, 0);
    const opened = cbc().open(one(bytes));
    assert.equal(opened?.type, 23, `length ${n}`);
    assert.equal(toHex(opened.content), toHex(content));
  }
});

test('a changed bit anywhere, a wrong MAC key or a wrong sequence number makes it fail to open', () => {
  const bytes = cbc().seal(params, new TextEncoder().encode('some content'));
  for (let i = 0; i < bytes.length; i++) {
    if (i === 11 || i === 12) continue;
    const bad = bytes.slice();
    bad[i]! ^= 0x20;
    assert.equal(cbc().open(one(bad)), undefined, `byte ${i}`);
  }
  const otherMac = createRecordProtection(TLS_PSK_WITH_AES_128_CBC_SHA256, {
    ...keys,
    macKey: new Uint8Array(32),
  });
  assert.equal(otherMac.open(one(bytes)), undefined);
});

test('bad padding under a good MAC, short or unaligned fragments, and CID records do not open', () => {
  const content = hex('aabbcc');
  const mac = createHmac('sha256', keys.macKey)
    .update(hex('0001000000000005 17 fefd 0003'))
    .update(content)
    .digest();
  const seal = (padding: Uint8Array): Uint8Array => {
    const c = createCipheriv('aes-128-cbc', keys.key, IV).setAutoPadding(false);
    const ct = Buffer.concat([c.update(Buffer.concat([content, mac, padding])), c.final()]);
    const fragment = Uint8Array.from([...IV, ...ct]);
    return encodeDatagram([{ ...params, fragment }]);
  };
  const good = Buffer.alloc(13, 12);
  assert.equal(toHex(cbc().open(one(seal(good)))!.content), 'aabbcc');
  const bad = Buffer.from(good);
  bad[3] = 11;
  assert.equal(cbc().open(one(seal(bad))), undefined);
  const tooLong = Buffer.alloc(13, 0xff);
  assert.equal(cbc().open(one(seal(tooLong))), undefined);
  for (const n of [0, 16, 63, 65, 70]) {
    assert.equal(
      cbc().open(one(encodeDatagram([{ ...params, fragment: new Uint8Array(n) }]))),
      undefined,
      `${n}`,
    );
  }
  const cidRecord = { ...params, type: 25, cid: hex('01'), fragment: new Uint8Array(64) };
  assert.equal(cbc().open(decodeDatagram(encodeDatagram([cidRecord]), { cidLength: 1 })[0]!), undefined);
  assert.throws(() => cbc().seal({ ...params, cid: hex('01') }, content), RangeError);
});
