// Tests of DeadlineQueue, the one-timer queue of CON retransmit timeouts and exchange deadlines
// (RFC 7252 4.2, 4.8): order, ties, cancel, re-scheduling from a callback, a single clock timer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DeadlineQueue, type Deadline } from '../../src/coap/DeadlineQueue.js';
import { ManualClock } from '../support/ManualClock.js';

class Entry implements Deadline {
  deadlineAt = 0;
  deadlineSeq = 0;
  deadlineSlot = -1;
  constructor(
    readonly name: string,
    readonly log: string[],
    readonly then?: () => void,
  ) {}
  onDeadline(): void {
    this.log.push(this.name);
    this.then?.();
  }
}

test('runs entries in deadline order, equal deadlines in scheduling order, with one clock timer', () => {
  const clock = new ManualClock();
  const q = new DeadlineQueue(clock);
  const log: string[] = [];
  const e = (n: string): Entry => new Entry(n, log);
  q.schedule(e('c'), 300);
  q.schedule(e('a'), 100);
  q.schedule(e('b1'), 200);
  q.schedule(e('b2'), 200);
  assert.equal(clock.pendingTimers, 1);
  clock.advance(199);
  assert.deepEqual(log, ['a']);
  clock.advance(1);
  assert.deepEqual(log, ['a', 'b1', 'b2']);
  clock.advance(1000);
  assert.deepEqual(log, ['a', 'b1', 'b2', 'c']);
  assert.equal(q.size, 0);
  assert.equal(clock.pendingTimers, 0);
});

test('a cancelled entry never runs; emptying the queue leaves the timer, which then fires idle', () => {
  const clock = new ManualClock();
  const q = new DeadlineQueue(clock);
  const log: string[] = [];
  const a = new Entry('a', log);
  const b = new Entry('b', log);
  q.schedule(a, 100);
  q.schedule(b, 50);
  q.cancel(b);
  assert.equal(q.has(b), false);
  assert.equal(q.has(a), true);
  clock.advance(100);
  assert.deepEqual(log, ['a']);
  assert.equal(clock.pendingTimers, 0, 'nothing left: the timer is not re-armed');
  // One request at a time: the timer armed for the first is kept, not cleared and made anew.
  q.schedule(b, 10);
  q.cancel(b);
  assert.equal(clock.pendingTimers, 1);
  q.schedule(a, 20);
  assert.equal(clock.pendingTimers, 1, 'a later deadline reuses the armed timer');
  clock.advance(10);
  assert.deepEqual(log, ['a'], 'the early firing finds nothing due');
  assert.equal(clock.pendingTimers, 1, 're-armed for the next deadline');
  clock.advance(10);
  assert.deepEqual(log, ['a', 'a']);
  assert.equal(clock.pendingTimers, 0);
});

test('re-scheduling moves an entry; an entry earlier than the armed timer runs on time', () => {
  const clock = new ManualClock();
  const q = new DeadlineQueue(clock);
  const log: string[] = [];
  const late = new Entry('late', log);
  q.schedule(late, 1000);
  q.schedule(late, 2000);
  q.schedule(new Entry('early', log), 10);
  clock.advance(10);
  assert.deepEqual(log, ['early']);
  clock.advance(1990);
  assert.deepEqual(log, ['early', 'late']);
});

test('an entry re-scheduled from its own callback keeps the earlier ones on time', () => {
  const clock = new ManualClock();
  const q = new DeadlineQueue(clock);
  const log: string[] = [];
  let fired = 0;
  const retransmit: Entry = new Entry('retransmit', log, () => {
    if (++fired < 3) q.schedule(retransmit, 2000 * 2 ** fired);
  });
  q.schedule(new Entry('deadline', log), 3000);
  q.schedule(retransmit, 2000);
  clock.advance(2000);
  assert.deepEqual(log, ['retransmit']);
  clock.advance(1000);
  assert.deepEqual(log, ['retransmit', 'deadline']);
  clock.advance(2999); // the second retransmission is due at 2000 + 4000
  assert.deepEqual(log, ['retransmit', 'deadline']);
  clock.advance(1);
  assert.deepEqual(log, ['retransmit', 'deadline', 'retransmit']);
  clock.advance(20_000);
  assert.deepEqual(log, ['retransmit', 'deadline', 'retransmit', 'retransmit']);
  assert.equal(clock.pendingTimers, 0);
});

test('clear forgets every entry and stops the timer', () => {
  const clock = new ManualClock();
  const q = new DeadlineQueue(clock);
  const log: string[] = [];
  const a = new Entry('a', log);
  q.schedule(a, 5);
  q.schedule(new Entry('b', log), 6);
  q.clear();
  assert.equal(q.has(a), false);
  assert.equal(clock.pendingTimers, 0);
  clock.advance(100);
  assert.deepEqual(log, []);
});
