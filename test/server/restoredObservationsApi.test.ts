// Issue 14: observations a previous run stored are visible and cancellable through the REST API
// after a restart. GET /api/clients/{ep}/observations lists them (`restored: true`) beside those of
// this run; DELETE .../observe cancels one passively (RFC 7641 3.6): its token leaves the store, and
// the client's next notification with it is answered with RST.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Code, MessageType, OptionNumber } from '../../src/coap/CoapMessage.js';
import { decodeMessage, encodeMessage } from '../../src/coap/messageCodec.js';
import { encodeUint } from '../../src/coap/options.js';
import { createHttpApi } from '../../src/http/createHttpApi.js';
import { lwm2mServerPort } from '../../src/http/lwm2mServerPort.js';
import type { Lwm2mServer } from '../../src/server/Lwm2mServer.js';
import type { NotificationEvent } from '../../src/server/Lwm2mServerEvents.js';
import { MemoryRegistrationStore } from '../../src/store/memory/MemoryRegistrationStore.js';
import { tokenKey } from '../../src/store/ObservationStore.js';
import { closeAfter } from '../support/closeAfter.js';
import { contentFormat, type ScriptedClient } from '../support/ScriptedClient.js';
import { waitUntil } from '../support/waitUntil.js';
import { startServer } from './serverFixture.js';

type Target = { address: string; port: number };

const observeOption = (seq: number) => ({ number: OptionNumber.OBSERVE, value: encodeUint(seq) });

/** Sends a CON notification with `token`; resolves with the server's reply type (ACK or RST). */
async function notify(client: ScriptedClient, to: Target, token: Uint8Array, seq: number, messageId: number) {
  await client.peer.send(
    encodeMessage({
      type: MessageType.CON,
      code: Code.CONTENT,
      messageId,
      token,
      options: [observeOption(seq), contentFormat(0)],
      payload: new TextEncoder().encode(String(seq)),
    }),
    to,
  );
  const reply = decodeMessage((await client.peer.next()).bytes);
  assert.equal(reply.messageId, messageId);
  return reply.type;
}

/** Observes `path` of `dev` from `server`, accepted by `client`; returns the token. */
async function observe(server: Lwm2mServer, client: ScriptedClient, path: string): Promise<Uint8Array> {
  const handle = server.observe('dev', path);
  const req = await client.nextRequest();
  const options = [observeOption(1), contentFormat(0)];
  const to = { address: '127.0.0.1', port: server.address().port };
  await client.peer.send(
    encodeMessage({
      type: MessageType.ACK,
      code: Code.CONTENT,
      messageId: req.messageId,
      token: req.token,
      options,
      payload: new TextEncoder().encode('1'),
    }),
    to,
  );
  assert.equal((await handle.response).ok, true);
  return req.token;
}

/** A first run that registers `dev` and observes /3/0/9 and /3/0/10, then a restart on the same store. */
async function restarted() {
  const store = new MemoryRegistrationStore();
  const first = await startServer({ store });
  await first.client.register(['ep=dev', 'lt=600', 'lwm2m=1.1']);
  const battery = await observe(first.server, first.client, '/3/0/9');
  const memory = await observe(first.server, first.client, '/3/0/10');
  await first.server.stop();
  const s = await startServer({ store });
  const client = first.client; // same socket: the registration's peer
  const app = createHttpApi(lwm2mServerPort(s.server));
  closeAfter({ close: () => app.close() });
  const delivered: NotificationEvent[] = [];
  s.server.on('notification', (e) => void delivered.push(e));
  return { s, store, client, app, battery, memory, delivered };
}

test('GET .../observations lists the observations stored before a restart as restored, and those of this run not', async () => {
  const { s, client, app, battery, memory } = await restarted();
  const live = await observe(s.server, client, '/3/0/13');
  const res = await app.inject({ method: 'GET', url: '/api/clients/dev/observations' });
  assert.equal(res.statusCode, 200, res.body);
  const body = res.json<{ items: { id: string; kind: string; paths: string[]; restored: boolean }[] }>();
  assert.deepEqual(
    body.items.map(({ id, kind, paths, restored }) => ({ id, kind, paths, restored })),
    [
      { id: tokenKey(battery), kind: 'single', paths: ['/3/0/9'], restored: true },
      { id: tokenKey(memory), kind: 'single', paths: ['/3/0/10'], restored: true },
      { id: tokenKey(live), kind: 'single', paths: ['/3/0/13'], restored: false },
    ],
  );
  const unknown = await app.inject({ method: 'GET', url: '/api/clients/nobody/observations' });
  assert.equal(unknown.statusCode, 404);
});

test('DELETE .../observe cancels a restored observation: gone from the store and the list, its next notification gets RST', async () => {
  const { s, store, client, app, battery, memory, delivered } = await restarted();
  const res = await app.inject({ method: 'DELETE', url: '/api/clients/dev/3/0/9/observe' });
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(res.json(), { cancelled: 1 });
  assert.equal(await store.observations.size(), 1, 'only the other observation is left');
  const list = await app.inject({ method: 'GET', url: '/api/clients/dev/observations' });
  assert.deepEqual(
    list.json<{ items: { id: string }[] }>().items.map((o) => o.id),
    [tokenKey(memory)],
  );
  assert.equal(await notify(client, s.target, battery, 2, 0x7101), MessageType.RST);
  // The other one still delivers.
  assert.equal(await notify(client, s.target, memory, 2, 0x7102), MessageType.ACK);
  await waitUntil(() => delivered.length === 1, 'the notification of the other observation');
  assert.equal(String(delivered[0]?.observation.paths[0]), '/3/0/10');
  const again = await app.inject({ method: 'DELETE', url: '/api/clients/dev/3/0/9/observe' });
  assert.equal(again.statusCode, 404);
});

test('a new Observe of the same target replaces a restored observation: its old token gets RST at once', async () => {
  const { s, client, app, battery } = await restarted();
  const renewed = await observe(s.server, client, '/3/0/9');
  assert.equal(await notify(client, s.target, battery, 2, 0x7201), MessageType.RST);
  assert.equal(await notify(client, s.target, renewed, 2, 0x7202), MessageType.ACK);
  const list = await app.inject({ method: 'GET', url: '/api/clients/dev/observations' });
  const items = list.json<{ items: { id: string; paths: string[]; restored: boolean }[] }>().items;
  assert.deepEqual(
    items.filter((o) => o.paths[0] === '/3/0/9').map(({ id, restored }) => ({ id, restored })),
    [{ id: tokenKey(renewed), restored: false }],
  );
});

test('DELETE .../composite/observe cancels a restored Observe-Composite of exactly its paths', async () => {
  const store = new MemoryRegistrationStore();
  const first = await startServer({ store });
  await first.client.register(['ep=dev', 'lt=600', 'lwm2m=1.1']);
  const handle = first.server.observeComposite('dev', ['/3/0/9', '/3/0/10'], { format: 110 });
  const req = await first.client.nextRequest();
  const senml = '[{"bn":"/3/0/","n":"9","v":80},{"n":"10","v":5}]';
  await first.client.respond(req, Code.CONTENT, senml, [observeOption(1), contentFormat(110)]);
  assert.equal((await handle.response).ok, true);
  await first.server.stop();
  const s = await startServer({ store });
  const app = createHttpApi(lwm2mServerPort(s.server));
  closeAfter({ close: () => app.close() });

  const single = await app.inject({ method: 'DELETE', url: '/api/clients/dev/3/0/9/observe' });
  assert.equal(single.statusCode, 404, 'not an Observe of /3/0/9 alone');
  const other = { paths: ['/3/0/9'] };
  const partial = await app.inject({
    method: 'DELETE',
    url: '/api/clients/dev/composite/observe',
    payload: other,
  });
  assert.equal(partial.statusCode, 404, 'not of these paths');
  const exact = { paths: ['/3/0/9', '/3/0/10'] };
  const res = await app.inject({
    method: 'DELETE',
    url: '/api/clients/dev/composite/observe',
    payload: exact,
  });
  assert.deepEqual(res.json(), { cancelled: 1 });
  assert.equal(await store.observations.size(), 0);
  assert.equal(await notify(first.client, s.target, req.token, 2, 0x7301), MessageType.RST);
});
