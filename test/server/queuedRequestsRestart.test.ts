// Issue 14 item 4: requests held for a sleeping client survive a server restart. A server on a
// SQLite data file (temp dir) queues requests, stops; a new server on the same file re-arms them:
// the client's next Update gets them, the store shows the outcome, deadlines run on wall-clock time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Code } from '../../src/coap/CoapMessage.js';
import { getUriPath } from '../../src/coap/options.js';
import { ContentFormat } from '../../src/content/ContentFormat.js';
import { Lwm2mServer } from '../../src/server/Lwm2mServer.js';
import type { QueuedRequestDoneEvent } from '../../src/server/Lwm2mServerEvents.js';
import { openSqliteStores } from '../../src/store/sqlite/openSqliteStores.js';
import { closeAfter } from '../support/closeAfter.js';
import { ManualClock } from '../support/ManualClock.js';
import { ScriptedClient, contentFormat } from '../support/ScriptedClient.js';
import { waitUntil } from '../support/waitUntil.js';
import { tempDataFile } from '../store/sqlite/tempDataFiles.js';
import { settle } from './serverFixture.js';

/**
 * A server and a raw client on the SQLite stores of `file`; stop() closes all three. The manual
 * clock is also the server's wall clock (stored times), starting at `startAt`.
 */
async function serverOn(file: string, startAt = 1_000_000) {
  const clock = new ManualClock(startAt);
  const stores = await openSqliteStores(file);
  const server = await Lwm2mServer.start({
    address: '127.0.0.1',
    port: 0,
    clock,
    awakeWindowMs: 93_000,
    store: stores.registrations,
    queuedRequestStore: stores.queuedRequests,
  });
  const done: QueuedRequestDoneEvent[] = [];
  server.on('queuedRequestDone', (e) => void done.push(e));
  const client = await ScriptedClient.open({ address: '127.0.0.1', port: server.address().port });
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await client.close();
    await server.stop();
    await stores.close();
  };
  closeAfter({ close: stop });
  return { clock, stores, server, client, done, stop };
}

test('a request queued before a restart goes out after it when the client updates, and the store shows it answered', async () => {
  const file = tempDataFile('restart');
  const first = await serverOn(file);
  const { id: regId } = await first.client.register(['ep=q', 'lt=3600', 'lwm2m=1.1', 'Q']);
  first.clock.advance(93_001); // asleep
  let queuedId: string | undefined;
  const lost = first.server.read('q', '/3/0/0', { onQueued: (i) => (queuedId = i) });
  // Queued once its store write is durable (an fsync off the event loop: not within a few turns).
  await waitUntil(() => queuedId !== undefined, 'the request to be queued');
  assert.ok(queuedId);
  await first.stop();
  // The live caller is told the server stopped; the stored entry stays queued.
  assert.equal((await lost).failure, 'cancelled');

  const second = await serverOn(file);
  assert.equal((await second.stores.queuedRequests.get(queuedId))?.status, 'queued');
  assert.equal((await second.client.update(regId!)).code, Code.CHANGED);
  const req = await second.client.nextRequest();
  assert.deepEqual(getUriPath(req), ['3', '0', '0']);
  await second.client.respond(req, Code.CONTENT, 'OMA', [contentFormat(ContentFormat.TEXT)]);
  await waitUntil(() => second.done.length === 1, 'the queuedRequestDone event');
  const record = second.done[0]!.record;
  assert.equal(record.id, queuedId);
  assert.equal(record.status, 'answered');
  assert.deepEqual(record.result?.content, {
    kind: 'resource',
    id: 0,
    value: { type: 'string', value: 'OMA' },
  });
  await second.stop();

  // And it is durable: a third open of the file shows the same.
  const third = await openSqliteStores(file);
  assert.equal((await third.queuedRequests.get(queuedId))?.status, 'answered');
  await third.close();
});

test('a queued request whose deadline passed while the server was down is marked expired at start', async () => {
  const file = tempDataFile('expired');
  const first = await serverOn(file);
  await first.client.register(['ep=q', 'lt=3600', 'lwm2m=1.1', 'Q']);
  first.clock.advance(93_001);
  let queuedId: string | undefined;
  void first.server.read('q', '/3/0/0', { timeoutMs: 50, onQueued: (i) => (queuedId = i) });
  // Queued once its store write is durable (an fsync off the event loop: not within a few turns).
  await waitUntil(() => queuedId !== undefined, 'the request to be queued');
  const deadline = (await first.stores.queuedRequests.get(queuedId!))!.deadlineAt;
  await first.stop();

  // The server comes back after the deadline (wall clock).
  const second = await serverOn(file, deadline + 1);
  const record = await second.stores.queuedRequests.get(queuedId!);
  assert.equal(record?.status, 'expired');
  await waitUntil(() => second.done.length > 0, 'the queuedRequestDone event');
  assert.deepEqual(
    second.done.map((e) => e.record.id),
    [queuedId],
  );
  await second.stop();
});

test('a request that was on the wire when the server stopped is marked failed at start, never sent twice', async () => {
  const file = tempDataFile('inflight');
  const first = await serverOn(file);
  const { id: regId } = await first.client.register(['ep=q', 'lt=3600', 'lwm2m=1.1', 'Q']);
  first.clock.advance(93_001);
  let queuedId: string | undefined;
  void first.server.execute('q', '/3/0/4', undefined, { onQueued: (i) => (queuedId = i) });
  // Queued once its store write is durable (an fsync off the event loop: not within a few turns).
  await waitUntil(() => queuedId !== undefined, 'the request to be queued');
  await first.client.update(regId!);
  await first.client.nextRequest(); // sent, never answered
  await waitUntil(
    async () => (await first.stores.queuedRequests.get(queuedId!))?.status === 'sent',
    'the sent status',
  );
  await first.stop();

  const second = await serverOn(file);
  const record = await second.stores.queuedRequests.get(queuedId!);
  assert.equal(record?.status, 'failed');
  await second.client.update(regId!);
  await settle();
  assert.equal(second.client.peer.pending, 0, 'the Execute is not repeated');
  await second.stop();
});
