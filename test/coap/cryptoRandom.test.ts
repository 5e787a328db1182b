import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cryptoRandom } from '../../src/coap/Clock.js';

test('cryptoRandom gives floats in [0, 1) spread over the range, across pool refills', () => {
  const n = 5_000; // several 1024-value pool refills
  const buckets = new Array<number>(10).fill(0);
  const seen = new Set<number>();
  for (let i = 0; i < n; i++) {
    const x = cryptoRandom();
    assert.ok(x >= 0 && x < 1, `out of range: ${x}`);
    buckets[Math.floor(x * 10)]!++;
    seen.add(x);
  }
  // Each tenth gets 500 ± a wide margin (a broken pool, e.g. all zeros or never refilled, fails).
  for (const b of buckets) assert.ok(b > 350 && b < 650, `uneven: ${buckets}`);
  assert.ok(seen.size > n * 0.99, 'values repeat');
});
