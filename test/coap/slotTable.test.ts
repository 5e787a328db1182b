// Tests of SlotTable, the open-addressing key -> slot index under the duplicate-detection cache
// (RFC 7252 4.5): lookups, overwrites, deletion without tombstones, growth, both key kinds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SlotTable } from '../../src/coap/SlotTable.js';

test('finds, overwrites and deletes number and string keys', () => {
  const t = new SlotTable();
  t.set(5, 1);
  t.set('p|1:5', 2);
  assert.equal(t.get(5), 1);
  assert.equal(t.get('p|1:5'), 2);
  assert.equal(t.get('5'), -1, 'a string is not the number it spells');
  t.set(5, 7);
  assert.equal(t.get(5), 7);
  assert.equal(t.size, 2);
  t.delete(5);
  t.delete(5);
  assert.equal(t.get(5), -1);
  assert.equal(t.size, 1);
  t.clear();
  assert.equal(t.get('p|1:5'), -1);
  assert.equal(t.size, 0);
});

test('tells apart numeric keys that differ only above bit 32 (peer index * 65536 + MID)', () => {
  const t = new SlotTable();
  for (let peer = 0; peer < 200; peer++) t.set(peer * 0x100000000 * 4 + 7, peer);
  for (let peer = 0; peer < 200; peer++) assert.equal(t.get(peer * 0x100000000 * 4 + 7), peer);
  assert.equal(t.get(7 + 0x100000000), -1);
});

test('agrees with a Map through random inserts and deletes that grow the table', () => {
  const t = new SlotTable();
  const ref = new Map<number, number>();
  let seed = 12345;
  const rnd = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % n;
  };
  for (let i = 0; i < 50_000; i++) {
    const key = rnd(3000) * 0x10000 + rnd(4); // few distinct low bits: many probe collisions
    if (rnd(3) === 0) {
      t.delete(key);
      ref.delete(key);
    } else {
      t.set(key, i);
      ref.set(key, i);
    }
  }
  assert.equal(t.size, ref.size);
  for (const [k, v] of ref) assert.equal(t.get(k), v);
  for (let i = 0; i < 1000; i++) {
    const key = rnd(3000) * 0x10000 + rnd(4);
    assert.equal(t.get(key), ref.get(key) ?? -1);
  }
});
