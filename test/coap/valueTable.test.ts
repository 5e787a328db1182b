// Tests of ValueTable (the high-churn key → value table behind outstanding CONs and exchanges):
// map semantics, slot reuse, and the property it exists for: a value put in and taken out again
// is not kept alive by the table, so scavenges do not promote it (V8's Map does).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ValueTable } from '../../src/coap/ValueTable.js';

test('gets, sets, replaces and deletes by number and string keys', () => {
  const t = new ValueTable<string>();
  t.set(1, 'a');
  t.set('p|1#5', 'b');
  t.set(2 ** 40 + 3, 'c');
  assert.equal(t.get(1), 'a');
  assert.equal(t.get('p|1#5'), 'b');
  assert.equal(t.get(2 ** 40 + 3), 'c');
  assert.equal(t.get(2), undefined);
  assert.equal(t.size, 3);
  t.set(1, 'a2');
  assert.equal(t.size, 3, 'a replaced value is not counted twice');
  assert.equal(t.get(1), 'a2');
  assert.equal(t.delete(1), true);
  assert.equal(t.delete(1), false);
  assert.equal(t.has(1), false);
  assert.deepEqual(t.values().sort(), ['b', 'c']);
  t.clear();
  assert.equal(t.size, 0);
  assert.deepEqual(t.values(), []);
});

test('keeps every value through heavy churn (slots are reused, keys never mixed up)', () => {
  const t = new ValueTable<number>();
  const model = new Map<number, number>();
  let seed = 7;
  const rnd = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  for (let i = 0; i < 20_000; i++) {
    const k = Math.floor(rnd() * 500);
    if (rnd() < 0.5) {
      t.set(k, i);
      model.set(k, i);
    } else assert.equal(t.delete(k), model.delete(k));
  }
  assert.equal(t.size, model.size);
  for (const [k, v] of model) assert.equal(t.get(k), v);
  assert.equal(t.values().length, model.size);
});

/** Old-space growth while `store` puts 20k fresh objects in a long-lived table and takes them out. */
function promotedBy(store: (o: object, i: number) => void): number {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as (o?: { type: 'minor' | 'major' }) => void;
  const oldSpace = (): number =>
    getHeapSpaceStatistics().find((s) => s.space_name === 'old_space')!.space_used_size;
  gc();
  gc();
  const before = oldSpace();
  for (let round = 0; round < 20; round++) {
    for (let i = 0; i < 1000; i++) store({ a: new Array(8).fill(round), b: new Array(8).fill(i) }, i);
    gc({ type: 'minor' });
  }
  gc({ type: 'minor' });
  gc({ type: 'minor' });
  return oldSpace() - before;
}

test('a value taken out of the table is not promoted by the next scavenges', () => {
  const table = new ValueTable<object>();
  const viaTable = promotedBy((o, i) => {
    table.set(i + 1, o);
    table.delete(i + 1);
  });
  // About 3 MB are allocated; a Map used the same way promotes over a third of it.
  assert.ok(viaTable < 256 * 1024, `old space grew by ${viaTable} bytes`);
});
