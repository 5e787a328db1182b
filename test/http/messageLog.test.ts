// Issue 16 item 3 over REST: POST|DELETE /api/clients/{ep}/messages/watch, GET|DELETE
// /api/clients/{ep}/messages and the `coapMessage` events of GET /api/events, in front of a real
// Lwm2mServer and a raw CoAP client.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Code } from '../../src/coap/CoapMessage.js';
import { ContentFormat } from '../../src/content/ContentFormat.js';
import { createHttpApi } from '../../src/http/createHttpApi.js';
import { lwm2mServerPort } from '../../src/http/lwm2mServerPort.js';
import { closeAfter } from '../support/closeAfter.js';
import { contentFormat } from '../support/ScriptedClient.js';
import { SseReader } from '../support/SseReader.js';
import { startServer } from '../server/serverFixture.js';

interface Entry {
  direction: string;
  type: string;
  code: string;
  messageId: number;
  token: string;
  options: string;
  payloadBytes: number;
  rttMs?: number;
}

async function apiOverServer(messageLog = {}) {
  const s = await startServer({ messageLog });
  const app = createHttpApi(lwm2mServerPort(s.server));
  closeAfter({ close: () => app.close() });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/api`;
  await s.client.register(['ep=dev1', 'lt=300', 'lwm2m=1.1']);
  return { ...s, app, base };
}

test("a watched client's Read shows as CON GET out and ACK 2.05 in, with the RTT; live over SSE", async () => {
  const s = await apiOverServer();
  const watch = await s.app.inject({ method: 'POST', url: '/api/clients/dev1/messages/watch' });
  assert.equal(watch.statusCode, 200);
  assert.deepEqual(watch.json(), { endpoint: 'dev1', expiresInMs: 300_000, entriesPerEndpoint: 200 });
  const events = await SseReader.open(`${s.base}/events?endpoint=dev1&types=coapMessage`);
  const read = s.app.inject({ method: 'GET', url: '/api/clients/dev1/3/0/0' });
  const req = await s.client.nextRequest();
  s.clock.advance(25);
  await s.client.respond(req, Code.CONTENT, 'OMA', [contentFormat(ContentFormat.TEXT)]);
  assert.equal((await read).statusCode, 200);
  const list = await s.app.inject({ method: 'GET', url: '/api/clients/dev1/messages' });
  const { watched, items } = list.json<{ watched: boolean; items: Entry[] }>();
  assert.equal(watched, true);
  assert.deepEqual(
    items.map((e) => [e.direction, e.type, e.code, e.messageId, e.options, e.payloadBytes, e.rttMs]),
    [
      ['out', 'CON', '0.01', req.messageId, '/3/0/0 accept=0', 0, undefined],
      ['in', 'ACK', '2.05', req.messageId, 'cf=0', 3, 25],
    ],
  );
  const frame = await events.waitFor((f) => f.data['type'] === 'ACK', 'the ACK as a coapMessage event');
  assert.equal(frame.event, 'coapMessage');
  assert.equal(frame.data['endpoint'], 'dev1');
  assert.equal(frame.data['code'], '2.05');

  assert.equal((await s.app.inject({ method: 'DELETE', url: '/api/clients/dev1/messages' })).statusCode, 204);
  const cleared = await s.app.inject({ method: 'GET', url: '/api/clients/dev1/messages' });
  assert.deepEqual(cleared.json<{ items: Entry[] }>().items, []);
  assert.equal(
    (await s.app.inject({ method: 'DELETE', url: '/api/clients/dev1/messages/watch' })).statusCode,
    204,
  );
  assert.equal(s.server.messageLog.active, false);
  const after = await s.app.inject({ method: 'GET', url: '/api/clients/dev1/messages' });
  assert.deepEqual(after.json(), { endpoint: 'dev1', watched: false, items: [] });
});

test('nothing is recorded for a client not watched; watching an unknown client is 404, one too many 409', async () => {
  const s = await apiOverServer({ maxWatched: 1 });
  const read = s.app.inject({ method: 'GET', url: '/api/clients/dev1/3/0/0' });
  const req = await s.client.nextRequest();
  await s.client.respond(req, Code.CONTENT, 'OMA', [contentFormat(ContentFormat.TEXT)]);
  await read;
  assert.equal(s.server.messageLog.stats().recorded, 0);
  const unknown = await s.app.inject({ method: 'POST', url: '/api/clients/nobody/messages/watch' });
  assert.equal(unknown.statusCode, 404);
  assert.equal(unknown.json<{ error: string }>().error, 'unknown endpoint');
  await s.client.register(['ep=dev2', 'lt=300']);
  assert.equal(
    (await s.app.inject({ method: 'POST', url: '/api/clients/dev1/messages/watch' })).statusCode,
    200,
  );
  const second = await s.app.inject({ method: 'POST', url: '/api/clients/dev2/messages/watch' });
  assert.equal(second.statusCode, 409);
  assert.equal(second.json<{ error: string }>().error, 'too many watches');
  const notWatched = await s.app.inject({ method: 'DELETE', url: '/api/clients/dev2/messages/watch' });
  assert.equal(notWatched.statusCode, 404);
  const doc = (await s.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
    paths: Record<string, Record<string, unknown>>;
  }>();
  assert.ok(doc.paths['/api/clients/{endpoint}/messages/watch']?.post);
  assert.ok(doc.paths['/api/clients/{endpoint}/messages']?.get);
  const valid = await new Validator().validate(structuredClone(doc) as unknown as Record<string, unknown>);
  assert.ok(valid.valid, JSON.stringify(valid.errors)?.slice(0, 2000));
});
