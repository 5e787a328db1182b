// Issue 16 item 1: the web UI's session table is bounded (oldest dropped and counted), sessions end
// at their lifetime and on logout, and only digests of tokens are kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cookieValue, UiSessions } from '../../src/http/uiSessions.js';

test('a session is valid until its lifetime ends or it is closed', () => {
  let now = 1_000;
  const s = new UiSessions({ ttlMs: 500, now: () => now });
  const a = s.open();
  const b = s.open();
  assert.match(a, /^[A-Za-z0-9_-]{43}$/);
  assert.ok(s.valid(a) && s.valid(b));
  s.close(a);
  assert.equal(s.valid(a), false);
  now += 499;
  assert.equal(s.valid(b), true);
  now += 1;
  assert.equal(s.valid(b), false);
  assert.equal(s.size, 0);
  assert.equal(s.valid(undefined), false);
  assert.equal(s.valid(''), false);
  assert.equal(s.valid('x'.repeat(1000)), false);
});

test('the table holds at most maxSessions: expired ones go first, then the oldest, counted', () => {
  let now = 0;
  const s = new UiSessions({ maxSessions: 3, ttlMs: 100, now: () => now });
  const first = s.open();
  now = 50;
  const second = s.open();
  const third = s.open();
  now = 120; // first expired
  const fourth = s.open();
  assert.equal(s.evicted, 0, 'an expired session made room');
  assert.equal(s.valid(first), false);
  const fifth = s.open();
  assert.equal(s.evicted, 1);
  assert.equal(s.valid(second), false, 'the oldest live session was dropped');
  for (const t of [third, fourth, fifth]) assert.ok(s.valid(t));
  assert.ok(s.size <= 3);
});

test('the table keeps digests, never the tokens', () => {
  const s = new UiSessions();
  const token = s.open();
  assert.doesNotMatch(
    JSON.stringify([...(s as unknown as { sessions: Map<string, number> }).sessions]),
    new RegExp(token),
  );
});

test('bad settings are refused', () => {
  assert.throws(() => new UiSessions({ maxSessions: 0 }), RangeError);
  assert.throws(() => new UiSessions({ ttlMs: 0 }), RangeError);
});

test('cookieValue reads one cookie of a Cookie header', () => {
  assert.equal(cookieValue('a=1; lwm2m_session=abc; b=2', 'lwm2m_session'), 'abc');
  assert.equal(cookieValue('a=1', 'lwm2m_session'), undefined);
  assert.equal(cookieValue(undefined, 'lwm2m_session'), undefined);
  assert.equal(cookieValue('broken; lwm2m_session=', 'lwm2m_session'), '');
});
