// Issue 12, items 1 and 3: the per-source token buckets of Register are bounded by count; a flood
// of new (spoofed) sources neither grows the table nor hands anyone a fresh bucket.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SourceRateLimiter } from '../../src/server/SourceRateLimiter.js';
import { ManualClock } from '../support/ManualClock.js';

test('a source gets `burst` at once, then one token per 1/rate seconds; the wait is reported', () => {
  const clock = new ManualClock();
  const limiter = new SourceRateLimiter({ ratePerSecond: 2, burst: 3, maxSources: 10 }, clock);
  assert.deepEqual(
    [0, 1, 2, 3].map(() => limiter.take('192.0.2.1')),
    [0, 0, 0, 500],
  );
  clock.advance(250);
  assert.equal(limiter.take('192.0.2.1'), 250);
  clock.advance(250);
  assert.equal(limiter.take('192.0.2.1'), 0);
  assert.equal(limiter.take('192.0.2.2'), 0, 'another source has its own bucket');
});

test('10 000 new sources keep the table at maxSources and share one overflow bucket', () => {
  const clock = new ManualClock();
  const limiter = new SourceRateLimiter({ ratePerSecond: 1, burst: 5, maxSources: 100 }, clock);
  let allowed = 0;
  for (let i = 0; i < 10_000; i++) {
    if (limiter.take(`10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`) === 0) allowed++;
    assert.ok(limiter.size <= 100);
  }
  // 100 tracked sources spent one token each; everyone else drew from the shared bucket (5).
  assert.equal(allowed, 105);
  // Once the tracked buckets refill, their sources are forgotten and newcomers are tracked again.
  clock.advance(5_000);
  assert.equal(limiter.take('203.0.113.1'), 0);
  assert.equal(limiter.take('203.0.113.1'), 0, 'its own bucket now, not the overflow one');
});
