// Tests of PeerIndex, the per-peer small integers behind the message layer's numeric
// (peer, MID) keys (RFC 7252 4.5): stability per peer key, uniqueness, recycling only when idle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PeerIndex } from '../../src/coap/PeerIndex.js';
import { makePeer, type Peer } from '../../src/transport/Peer.js';
import { ManualClock } from '../support/ManualClock.js';

test('peers with the same key share an index; (peer, MID) keys never collide', () => {
  const idx = new PeerIndex(new ManualClock(), 1000);
  const a = idx.midKey(makePeer('10.0.0.1', 5683), 0xffff);
  assert.equal(idx.midKey(makePeer('10.0.0.1', 5683), 0xffff), a, 'another Peer object, same key');
  const b = idx.midKey(makePeer('10.0.0.2', 5683), 0);
  assert.notEqual(a, b);
  assert.equal(a % 0x10000, 0xffff);
  assert.equal(b % 0x10000, 0);
  assert.notEqual(Math.floor(a / 0x10000), Math.floor(b / 0x10000));
  assert.equal(idx.size, 2);
});

test('an index is recycled only after its peer has been idle for idleMs', () => {
  const clock = new ManualClock();
  const idx = new PeerIndex(clock, 1000);
  const peer = (i: number) => makePeer(`10.1.${i >> 8}.${i & 255}`, 5683);
  for (let i = 0; i < 1024; i++) idx.indexFor(peer(i));
  clock.advance(999);
  const kept = idx.indexFor(peer(0)); // used again: stays
  // The table is full (1024): it is swept, but nobody has been idle for 1000 ms yet.
  assert.equal(idx.indexFor(peer(5000)), 1024);
  clock.advance(1);
  for (let i = 1; i < 1024; i++) assert.equal(idx.indexFor(peer(6000 + i)), 1024 + i);
  // Doubled (2048): the next sweep frees the 1023 peers last used at time 0.
  const recycled = idx.indexFor(peer(9000));
  assert.ok(recycled > 0 && recycled < 1024 && recycled !== kept, `recycled ${recycled}`);
  assert.equal(idx.size, 2048 - 1023 + 1);
  assert.equal(idx.indexFor(peer(0)), kept);
  assert.equal(idx.indexFor(peer(5000)), 1024);
});

test('a flood of new sources is bounded by count: never more than maxPeers, not-recent peers go first', () => {
  const clock = new ManualClock();
  let evicted = 0;
  const idx = new PeerIndex(clock, 340_000, {
    maxPeers: 100,
    recentMs: 10_000,
    onEvicted: (n) => (evicted += n),
  });
  const regular = makePeer('192.0.2.1', 5683);
  const regularIndex = idx.indexFor(regular);
  const indexes = new Set<number>();
  for (let i = 0; i < 10_000; i++) {
    if (i % 50 === 0) {
      clock.advance(1_000);
      assert.equal(idx.indexFor(regular), regularIndex, 'a peer heard from recently keeps its index');
    }
    indexes.add(idx.indexFor(makePeer(`10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`, 40_000)));
    assert.ok(idx.size <= 100, `size ${idx.size}`);
  }
  assert.ok(evicted >= 9_800, `evicted ${evicted}`);
  // Indexes stay below 2 * maxPeers: the table behind them is bounded too.
  assert.ok(Math.max(...indexes) < 200, `largest index ${Math.max(...indexes)}`);
});

test('an index dropped before its peer was idle is not handed to a new peer while fresh ones remain', () => {
  const clock = new ManualClock();
  const idx = new PeerIndex(clock, 340_000, { maxPeers: 8, recentMs: 0 });
  const first = Array.from({ length: 8 }, (_, i) => idx.indexFor(makePeer(`10.0.0.${i}`, 1)));
  const next = Array.from({ length: 8 }, (_, i) => idx.indexFor(makePeer(`10.0.1.${i}`, 1)));
  assert.deepEqual(
    next.filter((n) => first.includes(n)),
    [],
  );
});

test('the index noted on a Peer object is used only while it still belongs to that peer', () => {
  const clock = new ManualClock();
  const idx = new PeerIndex(clock, 1000);
  const kept = makePeer('10.2.0.1', 5683);
  const first = idx.indexFor(kept);
  assert.equal(idx.indexFor(kept), first);
  // `kept` goes idle; 1024 peers fill the table and the sweep recycles its index.
  clock.advance(1000);
  const others = Array.from({ length: 1024 }, (_, i) => makePeer(`10.3.${i >> 8}.${i & 255}`, 5683));
  const given = others.map((p) => idx.indexFor(p));
  assert.ok(given.includes(first), 'the idle peer index went to a new peer');
  const owner = others[given.indexOf(first)]!;
  // The same Peer object comes back: its note is stale, so it gets an index of its own.
  const again = idx.indexFor(kept);
  assert.notEqual(again, first);
  assert.equal(idx.indexFor(owner), first, 'the new owner keeps its index');
  assert.equal(idx.indexFor(makePeer('10.2.0.1', 5683)), again, 'found by key too');
});

test("another table's note on a Peer object, and a frozen Peer, are handled", () => {
  const a = new PeerIndex(new ManualClock(), 1000);
  const b = new PeerIndex(new ManualClock(), 1000);
  const shared = makePeer('10.4.0.1', 5683);
  for (let i = 0; i < 5; i++) b.indexFor(makePeer(`10.5.0.${i}`, 5683));
  const inB = b.indexFor(shared);
  const inA = a.indexFor(shared); // `shared` now carries A's note
  assert.notEqual(inA, inB);
  assert.equal(b.indexFor(shared), inB, "B does not take A's note");
  assert.equal(a.indexFor(shared), inA);
  const frozen = Object.freeze(makePeer('10.4.0.2', 5683));
  const f = a.indexFor(frozen);
  assert.equal(a.indexFor(frozen), f);
  assert.equal(a.indexFor(makePeer('10.4.0.2', 5683)), f);
});

test('a Peer object whose index was freed or evicted gets the index its key has', () => {
  for (const evicting of [false, true]) {
    const clock = new ManualClock();
    const idx = evicting
      ? new PeerIndex(clock, 340_000, { maxPeers: 1024, recentMs: 0 })
      : new PeerIndex(clock, 1000);
    const peer = (i: number): Peer => makePeer(`10.6.${i >> 8}.${i & 255}`, 5683);
    const early = Array.from({ length: 1024 }, (_, i) => peer(i));
    for (const p of early) idx.indexFor(p);
    clock.advance(1000);
    // One more peer: a sweep frees (or an eviction drops) indexes of the early peers.
    idx.indexFor(makePeer('10.7.0.0', 5683));
    // The same Peer objects come back: each must get what its key gets (a stale note would not).
    for (let i = 0; i < early.length; i++) {
      const noted = idx.indexFor(early[i]!);
      assert.equal(idx.indexFor(peer(i)), noted, `peer ${i}${evicting ? ' (evicting)' : ''}`);
    }
  }
});

test('a noted Peer still compares equal to one made afresh', () => {
  const idx = new PeerIndex(new ManualClock(), 1000);
  const peer = makePeer('10.9.0.1', 5683);
  idx.indexFor(peer);
  assert.deepStrictEqual(peer, makePeer('10.9.0.1', 5683));
  assert.deepEqual(Object.keys(peer), ['address', 'port', 'family', 'key']);
});

test('peek finds the index a peer holds without assigning one or noting a use; indexFor at a given time', () => {
  const clock = new ManualClock();
  const idx = new PeerIndex(clock, 1000);
  const a = makePeer('10.2.0.1', 5683);
  assert.equal(idx.peek(a), -1, 'no index yet');
  assert.equal(idx.size, 0, 'and peek assigns none');
  const i = idx.indexFor(a);
  assert.equal(idx.peek(a), i);
  assert.equal(idx.peek(makePeer('10.2.0.1', 5683)), i, 'another Peer object with the same key');
  assert.equal(idx.midKey(a, 7, 500), i * 0x10000 + 7);
  // Noted at time 500 (the time passed, not the clock's 0), then only peeked at: idle for
  // 1000 ms at 1500, so a sweep at 1500 frees it, and not one at 1499.
  for (let k = 0; k < 1023; k++) idx.indexFor(makePeer(`10.3.${k >> 8}.${k & 255}`, 5683), 600);
  clock.advance(1499);
  idx.peek(a);
  idx.indexFor(makePeer('10.4.0.1', 5683)); // the 1025th: sweeps, frees nobody yet
  assert.equal(idx.peek(a), i);
  clock.advance(1);
  for (let k = 1; k < 1024; k++) idx.indexFor(makePeer(`10.5.${k >> 8}.${k & 255}`, 5683));
  idx.indexFor(makePeer('10.6.0.1', 5683)); // the table doubled: this sweep frees a
  assert.equal(idx.peek(a), -1, 'recycled: peeking did not keep it');
});
