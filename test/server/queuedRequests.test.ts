// Core TS 1.1.1 section 6.5 (Queue Mode) with a QueuedRequestStore (issue 14 item 4): every request
// held for a sleeping client has an id and a status in the store, is sent in order when the client
// wakes, can be cancelled while queued, and ends with a final status and the queuedRequestDone event.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Code } from '../../src/coap/CoapMessage.js';
import { getUriPath } from '../../src/coap/options.js';
import { ContentFormat } from '../../src/content/ContentFormat.js';
import { execute } from '../../src/lwm2m/requests.js';
import type { QueuedRequestDoneEvent } from '../../src/server/Lwm2mServerEvents.js';
import { MemoryQueuedRequestStore } from '../../src/store/memory/MemoryQueuedRequestStore.js';
import { contentFormat } from '../support/ScriptedClient.js';
import { settle, startServer } from './serverFixture.js';

async function sleepingClient(options = {}) {
  const queuedRequestStore = new MemoryQueuedRequestStore({ maxHistoryPerClient: 2 });
  const s = await startServer({ awakeWindowMs: 93_000, queuedRequestStore, ...options });
  const done: QueuedRequestDoneEvent[] = [];
  s.server.on('queuedRequestDone', (e) => void done.push(e));
  const { id } = await s.client.register(['ep=q', 'lt=3600', 'lwm2m=1.1', 'Q']);
  s.clock.advance(93_001);
  return { ...s, id: id!, store: queuedRequestStore, done };
}

/** Queues a read and returns its promise and the id the store gave it. */
async function queuedRead(s: Awaited<ReturnType<typeof sleepingClient>>, path: string, timeoutMs?: number) {
  let id: string | undefined;
  const response = s.server.read('q', path, {
    onQueued: (i) => (id = i),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
  await settle();
  assert.ok(id, 'queued with an id');
  return { response, id };
}

test('a held request is stored as queued, then sent, then answered with its content', async () => {
  const s = await sleepingClient();
  const { response, id } = await queuedRead(s, '/3/0/0');
  const stored = await s.store.get(id);
  assert.equal(stored?.status, 'queued');
  assert.equal(stored?.endpoint, 'q');
  assert.equal(String((stored?.request as { path: unknown }).path), '/3/0/0');
  assert.ok(stored!.deadlineAt - stored!.createdAt === 300_000, 'default deadline: queuedRequestTimeoutMs');
  assert.equal((await s.client.update(s.id)).code, Code.CHANGED);
  const req = await s.client.nextRequest();
  assert.equal((await s.store.get(id))?.status, 'sent');
  await s.client.respond(req, Code.CONTENT, 'OMA', [contentFormat(ContentFormat.TEXT)]);
  assert.equal((await response).ok, true);
  await settle();
  const final = await s.store.get(id);
  assert.equal(final?.status, 'answered');
  assert.equal(final?.result?.code, Code.CONTENT);
  assert.deepEqual(final?.result?.content, {
    kind: 'resource',
    id: 0,
    value: { type: 'string', value: 'OMA' },
  });
  assert.deepEqual(
    s.done.map((e) => `${e.record.id}:${e.record.status}`),
    [`${id}:answered`],
  );
  await s.close();
});

test('requests held while the client sleeps go out in the order they were made when it wakes', async () => {
  const s = await sleepingClient();
  const paths = ['/3/0/0', '/3/0/1', '/3/0/2'];
  const held = [];
  for (const p of paths) held.push(await queuedRead(s, p));
  assert.equal(s.client.peer.pending, 0, 'nothing is sent while the client sleeps');
  assert.deepEqual(
    (await s.store.byEndpoint('q')).map((r) => r.status),
    ['queued', 'queued', 'queued'],
  );
  await s.client.update(s.id);
  const seen: string[] = [];
  for (let i = 0; i < paths.length; i++) {
    const req = await s.client.nextRequest();
    seen.push(`/${getUriPath(req).join('/')}`);
    await s.client.respond(req, Code.CONTENT, 'x', [contentFormat(ContentFormat.TEXT)]);
  }
  assert.deepEqual(seen, paths);
  for (const h of held) assert.equal((await h.response).ok, true);
  await settle();
  // History bound (2 per client here): the oldest finished entry is dropped and counted.
  assert.deepEqual(
    (await s.store.byEndpoint('q')).map((r) => r.id),
    [held[2]!.id, held[1]!.id],
  );
  assert.equal(s.store.stats().droppedFromHistory, 1);
  await s.close();
});

test('a request cancelled while queued is never sent; cancelling it again or a sent one is refused', async () => {
  const s = await sleepingClient();
  const { response, id } = await queuedRead(s, '/3/0/0');
  let executeId: string | undefined;
  const exec = s.server.send('q', execute('/3/0/4'), { onQueued: (i) => (executeId = i) });
  await settle();
  assert.deepEqual(await s.server.cancelQueuedRequest(executeId!), { cancelled: true });
  assert.equal((await exec).failure, 'cancelled');
  assert.deepEqual(
    await s.server.cancelQueuedRequest(executeId!),
    { cancelled: false, status: 'cancelled' },
    'already cancelled',
  );
  assert.deepEqual(await s.server.cancelQueuedRequest('no-such-id'), { cancelled: false });
  await s.client.update(s.id);
  const req = await s.client.nextRequest();
  assert.deepEqual(getUriPath(req), ['3', '0', '0'], 'only the read goes out');
  assert.deepEqual(await s.server.cancelQueuedRequest(id), { cancelled: false, status: 'sent' });
  await s.client.respond(req, Code.CONTENT, 'x', [contentFormat(ContentFormat.TEXT)]);
  await response;
  await settle();
  assert.equal(s.client.peer.pending, 0, 'the cancelled Execute never went out');
  assert.equal((await s.store.get(executeId!))?.status, 'cancelled');
  assert.deepEqual(await s.server.cancelQueuedRequest(id), { cancelled: false, status: 'answered' });
  await s.close();
});

test('a held request whose deadline passes is stored as expired; one whose client de-registers as failed', async () => {
  const s = await sleepingClient();
  const short = await queuedRead(s, '/3/0/0', 10_000);
  const long = await queuedRead(s, '/3/0/1', 60_000);
  s.clock.advance(10_001);
  assert.equal((await short.response).failure, 'timeout');
  await settle();
  assert.equal((await s.store.get(short.id))?.status, 'expired');
  await s.client.deregister(s.id);
  assert.equal((await long.response).failure, 'deregistered');
  await settle();
  const failed = await s.store.get(long.id);
  assert.equal(failed?.status, 'failed');
  assert.equal(failed?.result?.failure, 'deregistered');
  assert.deepEqual(
    s.done.map((e) => e.record.status),
    ['expired', 'failed'],
  );
  await s.close();
});

test('a request to an awake client is not stored', async () => {
  const s = await sleepingClient();
  await s.client.update(s.id);
  const pending = s.server.read('q', '/3/0/0', { onQueued: () => assert.fail('not queued') });
  const req = await s.client.nextRequest();
  await s.client.respond(req, Code.CONTENT, 'x', [contentFormat(ContentFormat.TEXT)]);
  assert.equal((await pending).ok, true);
  assert.deepEqual(await s.store.byEndpoint('q'), []);
  await s.close();
});

test('a request the store cannot keep is answered "cancelled" at once, never sent, and a warning says why', async () => {
  const queuedRequestStore = new MemoryQueuedRequestStore();
  queuedRequestStore.add = () => Promise.reject(new Error('disk full'));
  const s = await sleepingClient({ queuedRequestStore });
  const res = await s.server.read('q', '/3/0/0', {
    onQueued: () => assert.fail('no id for an entry not stored'),
  });
  assert.equal(res.failure, 'cancelled');
  assert.match(res.diagnostic ?? '', /could not be stored/);
  assert.match(String(s.named('warning')[0]), /disk full/);
  await s.client.update(s.id);
  await settle();
  assert.equal(s.client.peer.pending, 0, 'nothing is sent');
  assert.equal(s.server.stats().queuedRequests, 0);
  await s.close();
});
