// RFC 7959 section 2.2: Block option value vectors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  blockOffset,
  blockSize,
  decodeBlock,
  encodeBlock,
  formatBlock,
  szxForSize,
} from '../../../src/coap/blockwise/blockOption.js';
import { DecodeError } from '../../../src/transport/DecodeError.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const vectors: { num: number; more: boolean; szx: number; hex: string }[] = [
  { num: 0, more: false, szx: 0, hex: '' },
  { num: 0, more: false, szx: 6, hex: '06' },
  { num: 0, more: true, szx: 2, hex: '0a' },
  { num: 1, more: true, szx: 6, hex: '1e' },
  { num: 15, more: false, szx: 1, hex: 'f1' },
  { num: 16, more: false, szx: 0, hex: '0100' },
  { num: 4095, more: true, szx: 6, hex: 'fffe' },
  { num: 4096, more: false, szx: 3, hex: '010003' },
  { num: 0xfffff, more: true, szx: 6, hex: 'fffffe' },
];

for (const v of vectors) {
  test(`encodes ${v.num}/${v.more ? 1 : 0}/${blockSize(v.szx)} as "${v.hex}" and back`, () => {
    assert.equal(hex(encodeBlock(v)), v.hex);
    assert.deepEqual(decodeBlock(Buffer.from(v.hex, 'hex')), { num: v.num, more: v.more, szx: v.szx });
  });
}

test('decodes a non-minimal encoding (leading zero bytes) to the same value', () => {
  assert.deepEqual(decodeBlock(Uint8Array.of(0, 0, 0x1e)), { num: 1, more: true, szx: 6 });
});

test('rejects the reserved SZX 7 with a DecodeError', () => {
  assert.throws(() => decodeBlock(Uint8Array.of(0x17)), DecodeError);
  assert.throws(() => decodeBlock(Uint8Array.of(0x01, 0x0f)), /reserved SZX 7/);
});

test('rejects a Block option longer than 3 bytes with a DecodeError', () => {
  assert.throws(() => decodeBlock(Uint8Array.of(0, 0, 0, 1)), DecodeError);
});

test('decodes every 0..3 byte input to a valid value or a DecodeError only', () => {
  for (let i = 0; i < 5000; i++) {
    const len = i % 4;
    const bytes = Uint8Array.from({ length: len }, (_, k) => (i * 2654435761 + k * 97) & 0xff);
    try {
      const b = decodeBlock(bytes);
      assert.ok(b.num >= 0 && b.num <= 0xfffff && b.szx <= 6);
      assert.deepEqual(decodeBlock(encodeBlock(b)), b);
    } catch (e) {
      assert.ok(e instanceof DecodeError);
    }
  }
});

test('refuses to encode a block number past 2^20 - 1, a negative one, or SZX 7', () => {
  assert.throws(() => encodeBlock({ num: 0x100000, more: false, szx: 0 }), RangeError);
  assert.throws(() => encodeBlock({ num: -1, more: false, szx: 0 }), RangeError);
  assert.throws(() => encodeBlock({ num: 0, more: false, szx: 7 }), RangeError);
});

test('maps sizes to the largest SZX that fits', () => {
  assert.equal(szxForSize(16), 0);
  assert.equal(szxForSize(63), 1);
  assert.equal(szxForSize(64), 2);
  assert.equal(szxForSize(1024), 6);
  assert.equal(szxForSize(1152), 6);
  assert.equal(szxForSize(1_000_000), 6);
  assert.throws(() => szxForSize(15), RangeError);
});

test('computes offsets and formats blocks as the RFC figures do', () => {
  assert.equal(blockOffset({ num: 3, more: true, szx: 3 }), 384);
  assert.equal(formatBlock({ num: 2, more: true, szx: 3 }), '2/1/128');
});
