// RFC 6347 4.1.2.6 replay window: first record, in-order and out-of-order arrival, duplicates,
// records that fell out of the 64-record window, shifts of every size, the 48-bit limit. Each
// case is checked against a plain Set-based model too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REPLAY_WINDOW_SIZE, ReplayWindow } from '../../../src/transport/dtls/record/ReplayWindow.js';

/** Marks `seq` when it is not a replay; returns whether it was accepted. */
const offer = (w: ReplayWindow, seq: number): boolean => {
  if (w.isReplay(seq)) return false;
  w.markReceived(seq);
  return true;
};

test('the first record is accepted whatever its sequence number, and a duplicate of it is not', () => {
  for (const first of [0, 1, 63, 64, 1000, 2 ** 48 - 1]) {
    const w = new ReplayWindow();
    assert.equal(offer(w, first), true, `first ${first}`);
    assert.equal(offer(w, first), false, `duplicate of ${first}`);
    assert.equal(w.highestReceived, first);
  }
});

test('records after the first one that are older, within the window, are accepted once', () => {
  const w = new ReplayWindow();
  offer(w, 100);
  assert.equal(offer(w, 37), true); // 100 - 63: the oldest the window holds
  assert.equal(offer(w, 37), false);
  assert.equal(offer(w, 36), false); // 100 - 64: too old to tell, refused
  assert.equal(offer(w, 99), true);
  assert.equal(offer(w, 68), true); // age 32: the first bit of the high half
  assert.equal(offer(w, 68), false);
  assert.equal(offer(w, 69), true); // age 31: the last bit of the low half
  assert.equal(offer(w, 69), false);
});

test('checking does not mark: a record that failed authentication may come again', () => {
  const w = new ReplayWindow();
  assert.equal(w.isReplay(5), false);
  assert.equal(w.isReplay(5), false);
  assert.equal(w.highestReceived, -1);
});

test('a shift by 64 or more forgets the whole window; by 32 moves the low half up exactly', () => {
  const w = new ReplayWindow();
  for (let s = 0; s < 64; s++) offer(w, s);
  assert.equal(offer(w, 63 + 64), true);
  for (let s = 64; s < 127; s++) assert.equal(w.isReplay(s), false, `seq ${s} was never received`);
  assert.equal(w.isReplay(63), true, 'seq 63 is older than the window now');

  const v = new ReplayWindow();
  offer(v, 10);
  offer(v, 9);
  offer(v, 42); // shift by 32: 10 and 9 now at ages 32 and 33
  assert.equal(v.isReplay(10), true);
  assert.equal(v.isReplay(9), true);
  assert.equal(v.isReplay(11), false);
  assert.equal(v.isReplay(8), false);
});

test('marking a record older than the window changes nothing', () => {
  const w = new ReplayWindow();
  offer(w, 200);
  w.markReceived(10);
  assert.equal(w.highestReceived, 200);
  assert.equal(w.isReplay(199), false);
});

test('sequence numbers near 2^48 keep exact arithmetic', () => {
  const w = new ReplayWindow();
  const top = 2 ** 48 - 1;
  offer(w, top - 70);
  assert.equal(offer(w, top), true);
  assert.equal(offer(w, top - 1), true);
  assert.equal(offer(w, top - 63), true);
  assert.equal(offer(w, top - 64), false);
  assert.equal(offer(w, top - 70), false);
});

test('agrees with a set-based model over random arrivals with every shift size', () => {
  let seed = 12345;
  const rnd = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % n;
  };
  for (let run = 0; run < 50; run++) {
    const w = new ReplayWindow();
    const seen = new Set<number>();
    let highest = -1;
    let next = rnd(100);
    for (let i = 0; i < 2000; i++) {
      const jump = rnd(4) === 0 ? rnd(140) : 1;
      const seq = rnd(3) === 0 ? Math.max(0, next - rnd(80)) : (next += jump);
      const expected = !seen.has(seq) && (highest < 0 || seq > highest - REPLAY_WINDOW_SIZE);
      assert.equal(offer(w, seq), expected, `run ${run} step ${i}: seq ${seq}, highest ${highest}`);
      if (expected) {
        seen.add(seq);
        highest = Math.max(highest, seq);
      }
    }
  }
});
