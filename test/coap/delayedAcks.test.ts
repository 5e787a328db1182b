// Tests of DelayedAcks (RFC 7252 5.2.2: an empty ACK for a CON request not answered in time):
// due in arrival order, answered requests never get one, and the ring keeps order as it compacts and grows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DelayedAcks } from '../../src/coap/DelayedAcks.js';
import { makePeer } from '../../src/transport/Peer.js';
import { ManualClock } from '../support/ManualClock.js';

function setup(delayMs = 1000): { clock: ManualClock; acks: DelayedAcks; due: number[] } {
  const clock = new ManualClock();
  const due: number[] = [];
  const acks = new DelayedAcks(clock, delayMs, (key, peer, mid) => {
    assert.equal(peer.port, 5683);
    assert.equal(mid, key & 0xffff);
    due.push(key);
  });
  return { clock, acks, due };
}

const peer = makePeer('127.0.0.1', 5683);

test('a request unanswered for the delay is due once; an answered one never', () => {
  const { clock, acks, due } = setup();
  acks.add(1, peer, 1);
  clock.advance(400);
  acks.add(2, peer, 2);
  acks.add(3, peer, 3);
  assert.equal(acks.size, 3);
  acks.delete(2);
  assert.equal(acks.has(2), false);
  assert.equal(acks.has(3), true);
  clock.advance(599);
  assert.deepEqual(due, []);
  clock.advance(1);
  assert.deepEqual(due, [1]);
  clock.advance(400);
  assert.deepEqual(due, [1, 3]);
  assert.equal(acks.size, 0);
  clock.advance(5000);
  assert.deepEqual(due, [1, 3]);
});

test('keeps arrival order through compaction and growth of its ring', () => {
  const { clock, acks, due } = setup(100);
  const expected: number[] = [];
  for (let i = 0; i < 1000; i++) {
    const key = 0x10000 * (i % 7) + i;
    acks.add(key, peer, key & 0xffff);
    // Every other request is answered at once: answered slots are dropped when the ring compacts.
    if (i % 2 === 0) acks.delete(key);
    else expected.push(key);
    if (i % 100 === 99) clock.advance(1);
  }
  assert.equal(acks.size, 500);
  clock.advance(200);
  assert.deepEqual(due, expected);
  assert.equal(acks.size, 0);
});

test('re-adding a waiting key restarts its wait; clear() forgets everything', () => {
  const { clock, acks, due } = setup();
  acks.add(9, peer, 9);
  clock.advance(500);
  acks.add(9, peer, 9);
  assert.equal(acks.size, 1);
  clock.advance(500);
  assert.deepEqual(due, []);
  clock.advance(500);
  assert.deepEqual(due, [9]);
  acks.add(10, peer, 10);
  acks.clear();
  clock.advance(2000);
  assert.deepEqual(due, [9]);
  assert.equal(acks.size, 0);
});
