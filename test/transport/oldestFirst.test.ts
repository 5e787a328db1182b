// OldestFirst (src/transport/OldestFirst.ts): a bounded Map's oldest entry evicted through one
// iterator kept for the map's life. Checked against a plain list kept in insertion order, under
// seeded mixes of inserts, re-sets, deletes from outside, LRU-style re-inserts, entries taken and
// put back, and clears; on a Set too; and that it asks the map for keys once, not once per
// eviction (a fresh iterator per eviction steps over every slot deleted since the map's last
// rebuild: issue 17).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OldestFirst } from '../../src/transport/OldestFirst.js';
import { FUZZ_SEED, Mutator } from '../fuzz/mutator.js';

test('evicts in insertion order: re-sets stay put, re-inserts go last, outside deletes and clears are skipped', () => {
  for (let seed = FUZZ_SEED; seed < FUZZ_SEED + 20; seed++) {
    const rnd = new Mutator(seed);
    const map = new Map<number, number>();
    const oldest = new OldestFirst(map);
    const order: number[] = []; // the model: live keys, oldest first
    const cap = 1 + rnd.int(200);
    const at = (i: number): string => `seed ${seed}, step ${i}`;
    for (let i = 0; i < 20_000; i++) {
      const r = rnd.int(1000);
      const key = rnd.int(4 * cap);
      if (r < 2) {
        map.clear();
        order.length = 0;
      } else if (r < 150) {
        // deleted from outside (expiry, a removed peer)
        if (map.delete(key)) order.splice(order.indexOf(key), 1);
      } else if (r < 180) {
        // the oldest taken and, half the time, put back as the newest (SourceRateLimiter's probe)
        const value = order.length === 0 ? undefined : map.get(order[0]!);
        const taken = oldest.shift();
        assert.deepEqual(taken, order.length === 0 ? undefined : [order[0], value], at(i));
        if (taken) {
          order.shift();
          if (r < 165) {
            map.set(taken[0], taken[1]);
            order.push(taken[0]);
          }
        }
      } else if (r < 300 && map.has(key)) {
        // touched as an LRU does: delete and set again
        map.delete(key);
        map.set(key, i);
        order.splice(order.indexOf(key), 1);
        order.push(key);
      } else if (map.has(key)) {
        map.set(key, i); // a new value keeps the key's place
      } else {
        if (map.size >= cap) assert.equal(oldest.evict(), order.shift(), at(i));
        map.set(key, i);
        order.push(key);
      }
      assert.equal(map.size, order.length, at(i));
    }
    while (order.length > 0) assert.equal(oldest.evict(), order.shift());
    assert.equal(oldest.evict(), undefined, 'empty');
    assert.equal(oldest.shift(), undefined, 'empty');
    map.set(-1, 0);
    assert.equal(oldest.evict(), -1, 'still live after having been emptied');
  }
});

test('a Set: evicted oldest first, outside deletes skipped', () => {
  const set = new Set<string>();
  const oldest = new OldestFirst(set);
  for (let i = 0; i < 10; i++) set.add(`s${i}`);
  set.delete('s0');
  set.delete('s2');
  assert.equal(oldest.evict(), 's1');
  assert.deepEqual(oldest.shift(), ['s3', 's3']);
  set.add('s1');
  assert.deepEqual([...set], ['s4', 's5', 's6', 's7', 's8', 's9', 's1']);
  assert.equal(oldest.evict(), 's4');
});

test('one iterator for the map: evictions do not ask the map for its keys again', () => {
  let asked = 0;
  class CountingMap<K, V> extends Map<K, V> {
    override keys(): MapIterator<K> {
      asked++;
      return super.keys();
    }
  }
  const map = new CountingMap<string, number>();
  const oldest = new OldestFirst(map);
  for (let i = 0; i < 1000; i++) {
    if (map.size >= 10) {
      if (i % 2 === 0) oldest.evict();
      else oldest.shift();
    }
    map.set(`k${i}`, i);
  }
  assert.equal(map.size, 10);
  assert.deepEqual([...map.values()], [990, 991, 992, 993, 994, 995, 996, 997, 998, 999]);
  assert.equal(asked, 1);
});
