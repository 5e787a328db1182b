// The Observation handle's buffer (src/server/Observation.ts): a slow iterator loses the oldest
// notifications first and they are counted; with `buffer: 0` (how the REST API observes, taking
// values from the server's 'notification' event) the handle keeps none, yet an iterator already
// waiting still gets the next one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Observation } from '../../src/server/Observation.js';
import type { Notification } from '../../src/lwm2m/responses.js';

const note = (n: number): Notification => ({ code: 69, ok: true, observe: n }) as unknown as Notification;
const observeOf = (n: Notification | undefined): unknown => (n as { observe?: number } | undefined)?.observe;

test('a bounded buffer keeps the newest notifications for a slow iterator and counts the dropped ones', async () => {
  const h = new Observation(2);
  for (let i = 1; i <= 5; i++) h.push(note(i));
  assert.equal(h.dropped, 3);
  const it = h[Symbol.asyncIterator]();
  assert.equal(observeOf((await it.next()).value), 4);
  assert.equal(observeOf((await it.next()).value), 5);
  h.end();
  assert.equal((await it.next()).done, true);
});

test('buffer 0 keeps nothing, drops nothing, and still hands a waiting iterator the next notification', async () => {
  const h = new Observation(0);
  for (let i = 1; i <= 100; i++) h.push(note(i));
  assert.equal(h.dropped, 0);
  const it = h[Symbol.asyncIterator]();
  const next = it.next();
  h.push(note(101));
  assert.equal(observeOf((await next).value), 101);
  h.end();
  assert.equal((await it.next()).done, true);
});
