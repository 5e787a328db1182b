// Issue 14 item 4 on GET /api/events: a request held for a sleeping Queue Mode client (Transport TS
// 1.1.1 section 6.5) that reaches its final status is streamed as a `queuedRequestDone` event with
// the entry's id, status and endpoint, never the request's payload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { Code } from '../../src/coap/CoapMessage.js';
import { getUriPath } from '../../src/coap/options.js';
import { createHttpApi } from '../../src/http/createHttpApi.js';
import { lwm2mServerPort } from '../../src/http/lwm2mServerPort.js';
import { opaqueValue, toBase64 } from '../../src/lwm2m/values.js';
import { closeAfter } from '../support/closeAfter.js';
import { SseReader } from '../support/SseReader.js';
import { settle, startServer } from '../server/serverFixture.js';

const SECRET = new TextEncoder().encode('do-not-stream-this-key');

test('a queued request that is answered is streamed as queuedRequestDone with its id, status and endpoint, not its payload', async () => {
  const s = await startServer({ awakeWindowMs: 93_000 });
  const app = createHttpApi(lwm2mServerPort(s.server));
  closeAfter({ close: () => app.close() });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/api`;
  const events = await SseReader.open(`${base}/events?types=queuedRequestDone`);

  const { id: regId } = await s.client.register(['ep=q', 'lt=3600', 'lwm2m=1.1', 'Q']);
  s.clock.advance(93_001); // the awake window ended: the client sleeps
  let queuedId: string | undefined;
  const write = s.server.write('q', '/0/0/5', opaqueValue(SECRET), { onQueued: (id) => (queuedId = id) });
  await settle();
  assert.ok(queuedId, 'the write is queued');

  assert.equal((await s.client.update(regId!)).code, Code.CHANGED);
  const req = await s.client.nextRequest();
  assert.deepEqual(getUriPath(req), ['0', '0', '5']);
  await s.client.respond(req, Code.CHANGED);
  assert.equal((await write).ok, true);

  const frame = await events.waitFor((f) => f.data['id'] === queuedId, 'the queuedRequestDone event');
  assert.equal(frame.event, 'queuedRequestDone');
  assert.equal(frame.data['endpoint'], 'q');
  assert.equal(frame.data['status'], 'answered');
  assert.equal(frame.data['operation'], 'write');
  assert.deepEqual(frame.data['paths'], ['/0/0/5']);
  assert.deepEqual(frame.data['result'], { ok: true, code: '2.04' });
  const text = JSON.stringify(frame.data);
  assert.ok(!text.includes(toBase64(SECRET)) && !text.includes('do-not-stream'), text);
});
