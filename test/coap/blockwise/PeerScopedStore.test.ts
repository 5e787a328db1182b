// RFC 7959 section 7: per-peer bounded state (count, bytes, time).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PeerScopedStore, type PeerScopedStoreLimits } from '../../../src/coap/blockwise/PeerScopedStore.js';
import { ManualClock } from '../../support/ManualClock.js';

const limits = (over: Partial<PeerScopedStoreLimits> = {}): PeerScopedStoreLimits => ({
  maxPerPeer: 2,
  maxTotalBytes: 100,
  lifetimeMs: 1000,
  onFull: 'refuse',
  ...over,
});

test('drops the least recently used entry of a peer beyond maxPerPeer, not other peers', () => {
  const s = new PeerScopedStore<string>(limits(), new ManualClock());
  s.set('p', 'a', 'A', 1);
  s.set('p', 'b', 'B', 1);
  s.set('q', 'a', 'QA', 1);
  s.get('p', 'a'); // touch: 'b' is now the oldest of p
  s.set('p', 'c', 'C', 1);
  assert.equal(s.get('p', 'b'), undefined);
  assert.equal(s.get('p', 'a'), 'A');
  assert.equal(s.get('q', 'a'), 'QA');
  assert.equal(s.size, 3);
});

test('refuses what would pass the byte budget in refuse mode', () => {
  const s = new PeerScopedStore<number>(limits({ maxPerPeer: 10 }), new ManualClock());
  assert.equal(s.set('p', 'a', 1, 60), true);
  assert.equal(s.set('q', 'a', 2, 50), false);
  assert.equal(s.resize('p', 'a', 101), false);
  assert.equal(s.resize('p', 'a', 100), true);
  assert.equal(s.totalBytes, 100);
});

test('evicts the least recently used entries of any peer in evict mode', () => {
  const s = new PeerScopedStore<number>(limits({ maxPerPeer: 10, onFull: 'evict' }), new ManualClock());
  s.set('p', 'a', 1, 40);
  s.set('q', 'b', 2, 40);
  s.set('r', 'c', 3, 40);
  assert.equal(s.get('p', 'a'), undefined);
  assert.equal(s.get('q', 'b'), 2);
  assert.equal(s.totalBytes, 80);
  assert.equal(s.set('r', 'd', 4, 101), false);
});

test('forgets entries not touched within the lifetime and frees their bytes', () => {
  const clock = new ManualClock();
  const s = new PeerScopedStore<number>(limits(), clock);
  s.set('p', 'a', 1, 10);
  clock.advance(600);
  s.set('p', 'b', 2, 10);
  clock.advance(600);
  assert.equal(s.get('p', 'a'), undefined);
  assert.equal(s.get('p', 'b'), 2);
  assert.equal(s.totalBytes, 10);
});
