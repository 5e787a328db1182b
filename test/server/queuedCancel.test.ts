// Active cancel (RFC 7641 3.6) to a sleeping Queue Mode client (Core TS 1.1.1 6.5): the GET with
// Observe=1 waits in the client's queue like any downlink request; locally the handle ends at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Code, OptionNumber } from '../../src/coap/CoapMessage.js';
import { encodeUint, getObserve, getUriPath } from '../../src/coap/options.js';
import { ContentFormat } from '../../src/content/ContentFormat.js';
import type { Notification } from '../../src/lwm2m/responses.js';
import { contentFormat } from '../support/ScriptedClient.js';
import { settle, startServer } from './serverFixture.js';

const observeOpt = (n: number) => ({ number: OptionNumber.OBSERVE, value: encodeUint(n) });

/** A queue-mode client with one accepted observation of /3/0/9, asleep. */
async function sleepingObserved(options = {}) {
  const s = await startServer({ awakeWindowMs: 93_000, ...options });
  const { id } = await s.client.register(['ep=q', 'lt=3600', 'lwm2m=1.1', 'Q']);
  const obs = s.server.observe('q', '/3/0/9');
  const req = await s.client.nextRequest();
  await s.client.respond(req, Code.CONTENT, '90', [observeOpt(1), contentFormat(ContentFormat.TEXT)]);
  assert.equal((await obs.response).ok, true);
  s.clock.advance(93_001);
  assert.equal(s.named('sleeping').length, 1);
  return { ...s, obs, token: req.token, id: id! };
}

test('an active cancel to a sleeping client waits for its next Update, then sends GET Observe=1 with the token', async () => {
  const s = await sleepingObserved();
  const cancelled = s.obs.cancel({ active: true });
  assert.equal(s.obs.isEnded, true, 'the handle ends at once');
  await settle();
  assert.equal(s.client.peer.pending, 0, 'nothing is sent while the client sleeps');
  assert.equal(await s.server.config.store.observations.size(), 0);
  assert.equal((await s.client.update(s.id)).code, Code.CHANGED);
  const req = await s.client.nextRequest();
  assert.equal(req.code, Code.GET);
  assert.equal(getObserve(req), 1);
  assert.deepEqual(req.token, s.token);
  assert.deepEqual(getUriPath(req), ['3', '0', '9']);
  await s.client.respond(req, Code.CONTENT, '88', [contentFormat(ContentFormat.TEXT)]);
  const outcome = await cancelled;
  assert.equal(outcome.ok, true);
  assert.equal(outcome.failure, undefined);
  await s.close();
});

test('a notification arriving while the cancel waits is not delivered, and wakes the client for the cancel', async () => {
  const s = await sleepingObserved();
  const seen: Notification[] = [];
  const consumed = (async () => {
    for await (const n of s.obs) seen.push(n);
  })();
  await settle();
  const cancelled = s.obs.cancel({ active: true });
  await consumed;
  await settle();
  assert.equal(s.client.peer.pending, 0);
  await s.client.notify(s.token, 2, '70', ContentFormat.TEXT);
  const req = await s.client.nextRequest();
  assert.equal(getObserve(req), 1);
  assert.deepEqual(req.token, s.token);
  await s.client.respond(req, Code.CONTENT, '70', [contentFormat(ContentFormat.TEXT)]);
  assert.equal((await cancelled).ok, true);
  assert.equal(seen.length, 1, 'only the first answer reached the handle');
  assert.equal(s.named('notification').length, 0);
  await s.close();
});

test('a queued active cancel fails with "timeout" at its own deadline and is then never sent', async () => {
  const s = await sleepingObserved();
  const cancelled = s.obs.cancel({ active: true, timeoutMs: 10_000 });
  await settle();
  assert.equal(s.client.peer.pending, 0, 'nothing is sent while the client sleeps');
  s.clock.advance(10_001);
  const outcome = await cancelled;
  assert.equal(outcome.ok, false);
  assert.equal(outcome.failure, 'timeout');
  assert.equal((await s.client.update(s.id)).code, Code.CHANGED);
  await settle();
  assert.equal(s.client.peer.pending, 0, 'the expired cancel is not sent after the client wakes');
  await s.close();
});

test('a queued active cancel resolves with "deregistered" when the client de-registers', async () => {
  const s = await sleepingObserved();
  const cancelled = s.obs.cancel({ active: true });
  await settle();
  assert.equal((await s.client.deregister(s.id)).code, Code.DELETED);
  assert.equal((await cancelled).failure, 'deregistered');
  await s.close();
});

test('an active cancel with queue: false fails with "sleeping" and cancels passively', async () => {
  const s = await sleepingObserved();
  const cancelled = s.obs.cancel({ active: true, queue: false });
  await settle();
  assert.equal(s.client.peer.pending, 0, 'nothing is sent to the sleeping client');
  assert.equal((await cancelled).failure, 'sleeping');
  assert.equal(s.obs.isEnded, true);
  const mid = await s.client.notify(s.token, 3, '60', ContentFormat.TEXT);
  const reply = await s.client.peer.next();
  assert.equal((reply.bytes[0]! >> 4) & 0x3, 3, 'the next notification is reset (RFC 7641 3.6)');
  assert.equal((reply.bytes[2]! << 8) | reply.bytes[3]!, mid);
  await s.close();
});

test('an active cancel to an awake queue-mode client goes out at once', async () => {
  const s = await startServer();
  await s.client.register(['ep=q', 'lt=3600', 'lwm2m=1.1', 'Q']);
  const obs = s.server.observe('q', '/3/0/9');
  const first = await s.client.nextRequest();
  await s.client.respond(first, Code.CONTENT, '90', [observeOpt(1), contentFormat(ContentFormat.TEXT)]);
  await obs.response;
  const cancelled = obs.cancel({ active: true });
  const req = await s.client.nextRequest();
  assert.equal(getObserve(req), 1);
  assert.deepEqual(req.token, first.token);
  await s.client.respond(req, Code.CONTENT, '90', [contentFormat(ContentFormat.TEXT)]);
  assert.equal((await cancelled).ok, true);
  await s.close();
});

test('an active cancel the awake client does not answer fails with "timeout" and is not queued again', async () => {
  const s = await startServer();
  const { id } = await s.client.register(['ep=q', 'lt=3600', 'lwm2m=1.1', 'Q']);
  const obs = s.server.observe('q', '/3/0/9');
  const first = await s.client.nextRequest();
  await s.client.respond(first, Code.CONTENT, '90', [observeOpt(1), contentFormat(ContentFormat.TEXT)]);
  await obs.response;
  const cancelled = obs.cancel({ active: true, timeoutMs: 5_000 });
  const unanswered = await s.client.nextRequest();
  assert.equal(getObserve(unanswered), 1);
  s.clock.advance(5_001);
  assert.equal((await cancelled).failure, 'timeout');
  assert.equal(s.named('sleeping').length, 1, 'the silent client is taken as asleep');
  assert.equal((await s.client.update(id!)).code, Code.CHANGED);
  await settle();
  assert.equal(s.client.peer.pending, 0, 'the relation is gone locally: nothing to re-send');
  await s.close();
});
