// NumberFifo (src/transport/NumberFifo.ts): the batched UDP transport's IPv4 peer cache, a bounded
// map from whole numbers below 2^53 to values that evicts the oldest inserted. Checked against a
// Map and a list in insertion order under seeded mixes of lookups, adds and evictions, with
// capacities that are and are not powers of two, keys of peer-cache shape (address * 65536 +
// port, above V8's small integers) and keys chosen to collide in the index.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NumberFifo } from '../../src/transport/NumberFifo.js';
import { FUZZ_SEED, Mutator } from '../fuzz/mutator.js';

test('behaves as a Map that drops its oldest entry when full', () => {
  for (let seed = FUZZ_SEED; seed < FUZZ_SEED + 20; seed++) {
    const rnd = new Mutator(seed);
    const capacity = [1, 2, 3, 64, 65, 100, 1000][seed % 7]!;
    const fifo = new NumberFifo<number>(capacity);
    const model = new Map<number, number>(); // insertion-ordered: its first key is the oldest
    // a few thousand distinct keys: addresses 127.x.y.z (host order) times 65536 plus a port
    const keyOf = (n: number): number => (0x7f000000 + (n >> 2)) * 65536 + 20_000 + (n & 3);
    const at = (i: number): string => `seed ${seed}, capacity ${capacity}, step ${i}`;
    for (let i = 0; i < 20_000; i++) {
      const key = keyOf(rnd.int(3 * capacity + 3));
      const r = rnd.int(10);
      if (r < 6) {
        assert.equal(fifo.get(key), model.get(key), at(i));
        if (!model.has(key)) {
          fifo.add(key, i);
          model.set(key, i);
          if (model.size > capacity) model.delete(model.keys().next().value!);
        }
      } else if (r < 7) {
        const oldest = model.keys().next();
        const expected = oldest.done ? undefined : model.get(oldest.value);
        if (!oldest.done) model.delete(oldest.value);
        assert.equal(fifo.evict(), expected, at(i));
      } else assert.equal(fifo.get(key), model.get(key), at(i));
      assert.equal(fifo.size, model.size, at(i));
    }
    for (const [k, v] of model) assert.equal(fifo.get(k), v, `seed ${seed}: ${k} at the end`);
  }
});

test('keys equal modulo 2^32 (same port and low address bits) stay apart, and deletes keep their probe runs whole', () => {
  const fifo = new NumberFifo<string>(50);
  const keys = Array.from({ length: 50 }, (_, i) => i * 0x100000000 + 5683);
  keys.forEach((k, i) => fifo.add(k, `v${i}`));
  keys.forEach((k, i) => assert.equal(fifo.get(k), `v${i}`));
  for (let i = 0; i < 25; i++) assert.equal(fifo.evict(), `v${i}`);
  keys.forEach((k, i) => assert.equal(fifo.get(k), i < 25 ? undefined : `v${i}`));
  assert.equal(fifo.get(5683), undefined);
});

test('a capacity that is not a whole number >= 1 is refused', () => {
  for (const c of [0, -1, 1.5, NaN]) assert.throws(() => new NumberFifo(c), RangeError);
});
