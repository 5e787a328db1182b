import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ByteWriter, ByteWriterOverflowError } from '../../src/coap/ByteWriter.js';

test('grows by doubling and keeps what was written', () => {
  const w = new ByteWriter(2);
  w.writeUint8(0x01);
  w.writeUint16(0x0203);
  assert.equal(w.capacity, 4);
  w.writeUint32(0x04050607);
  w.writeBytes(Uint8Array.of(8, 9));
  assert.equal(w.capacity, 16);
  assert.deepEqual(w.bytes(), Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9));
});

test('view shares memory with the writer while bytes copies', () => {
  const w = new ByteWriter(8);
  w.writeUint16(0xaabb);
  const view = w.view();
  const copy = w.bytes();
  w.reset();
  w.writeUint16(0x1122);
  assert.deepEqual(view, Uint8Array.of(0x11, 0x22));
  assert.deepEqual(copy, Uint8Array.of(0xaa, 0xbb));
});

test('reset keeps capacity and reserve returns the offset to fill', () => {
  const w = new ByteWriter(1);
  w.writeBytes(new Uint8Array(100));
  const cap = w.capacity;
  w.reset();
  assert.equal(w.length, 0);
  assert.equal(w.capacity, cap);
  w.writeUint8(7);
  const at = w.reserve(3);
  assert.equal(at, 1);
  w.buffer.set([1, 2, 3], at);
  assert.deepEqual(w.bytes(), Uint8Array.of(7, 1, 2, 3));
});

test('refuses to grow past its maximum capacity', () => {
  const w = new ByteWriter(4, 8);
  w.writeUint32(1);
  w.writeUint32(2);
  assert.throws(() => w.writeUint8(3), ByteWriterOverflowError);
  assert.equal(w.length, 8);
});
