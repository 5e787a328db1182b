// ShardedMap (src/store/memory/ShardedMap.ts): the registration indexes split over 64 Maps so that
// no Register rehashes a million entries at once; it must behave as the Map it replaces, and
// spread the keys a server holds (endpoint names, random ids, peer keys) evenly.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { SHARDS, ShardedMap, shardOf } from '../../src/store/memory/ShardedMap.js';

test('a ShardedMap sets, replaces, finds, deletes, counts and lists like a Map', () => {
  const m = new ShardedMap<number>();
  assert.deepEqual([...m.values()], []);
  const ref = new Map<string, number>();
  for (let i = 0; i < 5_000; i++) {
    const key = i % 7 === 0 ? '' : `ep-${i % 3_000}`;
    m.set(key, i);
    ref.set(key, i);
    if (i % 5 === 0) assert.equal(m.delete(`ep-${(i * 13) % 3_000}`), ref.delete(`ep-${(i * 13) % 3_000}`));
  }
  assert.equal(m.size, ref.size);
  for (const [k, v] of ref) {
    assert.equal(m.get(k), v);
    assert.ok(m.has(k));
  }
  assert.equal(m.get('absent'), undefined);
  assert.equal(m.delete('absent'), false);
  assert.deepEqual(
    [...m.values()].sort((a, b) => a - b),
    [...ref.values()].sort((a, b) => a - b),
  );
});

test('endpoint names, registration ids and peer keys spread evenly over the shards', () => {
  const families: Record<string, (i: number) => string> = {
    endpoint: (i) => `bench-${i}`,
    id: () => randomBytes(12).toString('base64url'),
    peer: (i) => `127.1.${(i >> 8) & 15}.${i & 255}|${20_000 + (i >> 12)}`,
  };
  const n = 64_000;
  for (const [name, key] of Object.entries(families)) {
    const counts = new Array<number>(SHARDS).fill(0);
    for (let i = 0; i < n; i++) counts[shardOf(key(i))]!++;
    const mean = n / SHARDS;
    assert.ok(Math.min(...counts) > mean / 2, `${name}: emptiest shard ${Math.min(...counts)} of ${mean}`);
    assert.ok(Math.max(...counts) < mean * 2, `${name}: fullest shard ${Math.max(...counts)} of ${mean}`);
  }
});
