// Issue 14 item 4 over REST: GET/DELETE /api/clients/{ep}/queue[/{id}] and ?wait=false (202 with
// the queue entry's id and Location) in front of a real Lwm2mServer (ManualClock) and a raw
// Queue Mode client.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Code } from '../../src/coap/CoapMessage.js';
import { getUriPath } from '../../src/coap/options.js';
import { ContentFormat } from '../../src/content/ContentFormat.js';
import { createHttpApi } from '../../src/http/createHttpApi.js';
import { lwm2mServerPort } from '../../src/http/lwm2mServerPort.js';
import { MemoryQueuedRequestStore } from '../../src/store/memory/MemoryQueuedRequestStore.js';
import { closeAfter } from '../support/closeAfter.js';
import { contentFormat } from '../support/ScriptedClient.js';
import { waitUntil } from '../support/waitUntil.js';
import { settle, startServer } from '../server/serverFixture.js';

async function sleepingClientBehindApi() {
  const store = new MemoryQueuedRequestStore();
  const s = await startServer({ awakeWindowMs: 93_000, queuedRequestStore: store });
  const app = createHttpApi(lwm2mServerPort(s.server));
  closeAfter({ close: () => app.close() });
  await app.ready();
  const { id } = await s.client.register(['ep=q', 'lt=3600', 'lwm2m=1.1', 'Q']);
  s.clock.advance(93_001);
  return { ...s, app, id: id!, store };
}

interface Entry {
  id: string;
  status: string;
  operation: string;
  paths: string[];
  result?: { code?: string; content?: unknown; failure?: string };
}

test('?wait=false on a sleeping client answers 202 with the queue entry; GET shows it until it is answered', async () => {
  const s = await sleepingClientBehindApi();
  const res = await s.app.inject({ method: 'GET', url: '/api/clients/q/3/0/0?wait=false' });
  assert.equal(res.statusCode, 202);
  const { id, status } = res.json<{ id: string; status: string }>();
  assert.equal(status, 'queued');
  assert.equal(res.headers['location'], `/api/clients/q/queue/${encodeURIComponent(id)}`);
  const one = await s.app.inject({ method: 'GET', url: res.headers['location'] });
  assert.equal(one.statusCode, 200);
  assert.deepEqual(
    (({ id: i, status: st, operation, paths }) => ({ i, st, operation, paths }))(one.json<Entry>()),
    { i: id, st: 'queued', operation: 'read', paths: ['/3/0/0'] },
  );
  await s.client.update(s.id);
  const req = await s.client.nextRequest();
  await s.client.respond(req, Code.CONTENT, 'OMA', [contentFormat(ContentFormat.TEXT)]);
  await waitUntil(async () => (await s.store.get(id))?.status === 'answered', 'the answered status');
  const list = await s.app.inject({ method: 'GET', url: '/api/clients/q/queue' });
  assert.equal(list.statusCode, 200);
  const [entry] = list.json<{ items: Entry[] }>().items;
  assert.equal(entry?.status, 'answered');
  assert.equal(entry?.result?.code, '2.05');
  assert.deepEqual(entry?.result?.content, { kind: 'resource', id: 0, type: 'string', value: 'OMA' });
  await s.close();
});

test('DELETE of a queued entry cancels it (204) and it is never sent; again 409; unknown 404', async () => {
  const s = await sleepingClientBehindApi();
  const exec = await s.app.inject({ method: 'POST', url: '/api/clients/q/3/0/4?wait=false' });
  assert.equal(exec.statusCode, 202);
  const { id } = exec.json<{ id: string }>();
  const read = await s.app.inject({ method: 'GET', url: '/api/clients/q/3/0/1?wait=false' });
  const readId = read.json<{ id: string }>().id;
  const del = await s.app.inject({ method: 'DELETE', url: `/api/clients/q/queue/${id}` });
  assert.equal(del.statusCode, 204);
  const again = await s.app.inject({ method: 'DELETE', url: `/api/clients/q/queue/${id}` });
  assert.equal(again.statusCode, 409);
  assert.equal(again.json<{ status: string }>().status, 'cancelled');
  assert.equal((await s.app.inject({ method: 'DELETE', url: '/api/clients/q/queue/nope' })).statusCode, 404);
  assert.equal(
    (await s.app.inject({ method: 'DELETE', url: `/api/clients/other/queue/${readId}` })).statusCode,
    404,
    'an entry is found under its own endpoint only',
  );
  await s.client.update(s.id);
  const req = await s.client.nextRequest();
  assert.deepEqual(getUriPath(req), ['3', '0', '1'], 'only the read goes out');
  const sent = await s.app.inject({ method: 'DELETE', url: `/api/clients/q/queue/${readId}` });
  assert.equal(sent.statusCode, 409);
  assert.equal(sent.json<{ status: string }>().status, 'sent');
  await s.client.respond(req, Code.CONTENT, 'x', [contentFormat(ContentFormat.TEXT)]);
  await settle();
  assert.equal(s.client.peer.pending, 0, 'the cancelled Execute never went out');
  const list = await s.app.inject({ method: 'GET', url: '/api/clients/q/queue?limit=1' });
  assert.equal(list.json<{ items: Entry[] }>().items.length, 1);
  await s.close();
});

test('?wait=false on an awake client answers as usual', async () => {
  const s = await sleepingClientBehindApi();
  await s.client.update(s.id);
  const pending = s.app.inject({ method: 'GET', url: '/api/clients/q/3/0/0?wait=false' });
  const req = await s.client.nextRequest();
  await s.client.respond(req, Code.CONTENT, 'OMA', [contentFormat(ContentFormat.TEXT)]);
  const res = await pending;
  assert.equal(res.statusCode, 200);
  assert.equal(res.json<{ code: string }>().code, '2.05');
  assert.deepEqual((await s.app.inject({ method: 'GET', url: '/api/clients/q/queue' })).json(), {
    endpoint: 'q',
    items: [],
  });
  await s.close();
});
