// Queue Mode (Transport TS 1.1.1 section 7, Core TS 6.5) with an injected clock: requests wait
// while the client sleeps and go out when it is heard from; each keeps its own deadline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Code, OptionNumber } from '../../src/coap/CoapMessage.js';
import { encodeUint, getUriPath } from '../../src/coap/options.js';
import { ContentFormat } from '../../src/content/ContentFormat.js';
import type { QueueModeEvent } from '../../src/server/Lwm2mServerEvents.js';
import { contentFormat, requestMessage } from '../support/ScriptedClient.js';
import { settle, startServer } from './serverFixture.js';

async function sleepingClient(options = {}) {
  const s = await startServer({ awakeWindowMs: 93_000, ...options });
  const { id } = await s.client.register(['ep=q', 'lt=3600', 'lwm2m=1.1', 'Q']);
  await settle();
  assert.equal(s.named('awake').length, 1);
  s.clock.advance(93_001);
  assert.equal(s.named('sleeping').length, 1);
  return { ...s, id: id! };
}

test('a queue-mode client is awake after registering and sleeps after the awake window', async () => {
  const s = await startServer();
  await s.client.register(['ep=q', 'lt=3600', 'lwm2m=1.1', 'Q']);
  await settle();
  const reg = (await s.server.getRegistration('q'))!;
  assert.equal(s.server.isAwake(reg), true);
  s.clock.advance(92_000);
  assert.equal(s.named('sleeping').length, 0);
  s.clock.advance(1_001); // default window: MAX_TRANSMIT_WAIT, 93 s
  assert.deepEqual(
    (s.named('sleeping') as QueueModeEvent[]).map((e) => e.registration.endpoint),
    ['q'],
  );
  assert.equal(s.server.isAwake(reg), false);
  await s.close();
});

test('a request to a sleeping client waits and goes out after its next Update', async () => {
  const s = await sleepingClient();
  const pending = s.server.read('q', '/3/0/0');
  await settle();
  assert.equal(s.client.peer.pending, 0, 'nothing is sent while the client sleeps');
  assert.equal((await s.client.update(s.id)).code, Code.CHANGED);
  const req = await s.client.nextRequest();
  assert.deepEqual(getUriPath(req), ['3', '0', '0']);
  await s.client.respond(req, Code.CONTENT, 'OMA', [contentFormat(ContentFormat.TEXT)]);
  const res = await pending;
  assert.equal(res.ok, true);
  assert.equal(s.named('awake').length, 2);
  await s.close();
});

test('each queued request keeps its own deadline', async () => {
  const s = await sleepingClient();
  const short = s.server.read('q', '/3/0/0', { timeoutMs: 10_000 });
  const long = s.server.read('q', '/3/0/1', { timeoutMs: 60_000 });
  await settle(); // the registration lookup runs before the request is queued
  s.clock.advance(10_001);
  assert.equal((await short).failure, 'timeout');
  assert.equal((await s.client.update(s.id)).code, Code.CHANGED);
  const req = await s.client.nextRequest();
  assert.deepEqual(getUriPath(req), ['3', '0', '1']);
  await s.client.respond(req, Code.CONTENT, 'LwM2M', [contentFormat(ContentFormat.TEXT)]);
  assert.equal((await long).ok, true);
  await s.close();
});

test('a request with queue: false fails at once with "sleeping"', async () => {
  const s = await sleepingClient();
  const res = await s.server.read('q', '/3/0/0', { queue: false });
  assert.equal(res.failure, 'sleeping');
  await s.close();
});

test('queued requests resolve with "deregistered" when the client de-registers', async () => {
  const s = await sleepingClient();
  const pending = s.server.read('q', '/3/0/0');
  await settle();
  assert.equal((await s.client.deregister(s.id)).code, Code.DELETED);
  assert.equal((await pending).failure, 'deregistered');
  await s.close();
});

test('the queue per client is bounded', async () => {
  const s = await sleepingClient({ maxQueuedPerClient: 2 });
  const a = s.server.read('q', '/3/0/0');
  const b = s.server.read('q', '/3/0/1');
  const c = await s.server.read('q', '/3/0/2');
  assert.equal(c.failure, 'sleeping');
  assert.equal(s.server.stats().queuedRequests, 2);
  assert.equal(s.server.stats().queueFullRefusals, 1, 'counted for lwm2m_limits_hit_total');
  await s.client.deregister(s.id);
  assert.equal((await a).failure, 'deregistered');
  assert.equal((await b).failure, 'deregistered');
  await s.close();
});

test('requests to a client not in queue mode are never held', async () => {
  const s = await startServer();
  await s.client.register(['ep=always', 'lt=3600', 'lwm2m=1.1']);
  s.clock.advance(200_000);
  const pending = s.server.read('always', '/3/0/0');
  const req = await s.client.nextRequest();
  await s.client.respond(req, Code.CONTENT, 'x', [contentFormat(ContentFormat.TEXT)]);
  assert.equal((await pending).ok, true);
  assert.equal(s.named('sleeping').length, 0);
  await s.close();
});

test('a Send from a sleeping client wakes it and its queued requests go out', async () => {
  const s = await sleepingClient();
  const pending = s.server.read('q', '/3/0/0');
  await settle();
  const body = '[{"n":"/3/0/9","v":80}]';
  const ack = await s.client.exchange(
    requestMessage(Code.POST, '/dp', [], body, [contentFormat(ContentFormat.SENML_JSON)]),
  );
  assert.equal(ack.code, Code.CHANGED);
  const req = await s.client.nextRequest();
  await s.client.respond(req, Code.CONTENT, 'OMA', [contentFormat(ContentFormat.TEXT)]);
  assert.equal((await pending).ok, true);
  assert.equal(s.named('awake').length, 2);
  await s.close();
});

test('a request that times out puts an awake queue-mode client to sleep', async () => {
  const s = await startServer();
  await s.client.register(['ep=q', 'lt=3600', 'lwm2m=1.1', 'Q']);
  const pending = s.server.read('q', '/3/0/0', { timeoutMs: 5_000 });
  await s.client.nextRequest();
  s.clock.advance(5_001);
  assert.equal((await pending).failure, 'timeout');
  assert.equal(s.named('sleeping').length, 1);
  await s.close();
});

test('a queued request the client does not answer goes back to the queue until its deadline', async () => {
  const s = await sleepingClient({ queuedRequestTimeoutMs: 600_000 });
  const pending = s.server.read('q', '/3/0/0');
  await settle();
  assert.equal((await s.client.update(s.id)).code, Code.CHANGED);
  const unanswered = await s.client.nextRequest();
  s.clock.advance(100_000); // retransmissions exhausted, request timeout (93 s) passed
  await settle();
  assert.equal(s.named('sleeping').length, 2, 'the silent client is taken as asleep again');
  assert.equal((await s.client.update(s.id)).code, Code.CHANGED);
  let again = await s.client.nextRequest();
  while (again.messageId === unanswered.messageId) again = await s.client.nextRequest();
  assert.deepEqual(getUriPath(again), ['3', '0', '0']);
  await s.client.respond(again, Code.CONTENT, 'OMA', [contentFormat(ContentFormat.TEXT)]);
  assert.equal((await pending).ok, true);
  await s.close();
});

test('a notification from a sleeping client wakes it', async () => {
  const s = await startServer();
  await s.client.register(['ep=q', 'lt=3600', 'lwm2m=1.1', 'Q']);
  const obs = s.server.observe('q', '/3/0/9');
  const req = await s.client.nextRequest();
  await s.client.respond(req, Code.CONTENT, '90', [
    { number: OptionNumber.OBSERVE, value: encodeUint(1) },
    contentFormat(ContentFormat.TEXT),
  ]);
  assert.equal((await obs.response).ok, true);
  s.clock.advance(94_000);
  assert.equal(s.named('sleeping').length, 1);
  await s.client.notify(req.token, 2, '89', ContentFormat.TEXT);
  await settle();
  assert.equal(s.named('awake').length, 2);
  await s.close();
});
