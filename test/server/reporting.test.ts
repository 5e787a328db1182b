// Information Reporting (Core TS 5.5 / 6.4, Transport TS 6.5): Observe with notifications decoded
// and emitted, passive and active cancel, observations across update and de-registration; Send.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Code, MessageType } from '../../src/coap/CoapMessage.js';
import { decodeMessage } from '../../src/coap/messageCodec.js';
import { getObserve, getUriPath } from '../../src/coap/options.js';
import { ContentFormat } from '../../src/content/ContentFormat.js';
import type { Notification } from '../../src/lwm2m/responses.js';
import type { NotificationEvent, SendEvent } from '../../src/server/Lwm2mServerEvents.js';
import { ScriptedClient, contentFormat, requestMessage } from '../support/ScriptedClient.js';
import { encodeUint } from '../../src/coap/options.js';
import { OptionNumber } from '../../src/coap/CoapMessage.js';
import { settle, startServer } from './serverFixture.js';

const observeOpt = (n: number) => ({ number: OptionNumber.OBSERVE, value: encodeUint(n) });
const valueOf = (n: Notification): unknown =>
  n.content && 'kind' in n.content && n.content.kind === 'resource' ? n.content.value.value : undefined;

async function observed() {
  const s = await startServer();
  const { id } = await s.client.register(['ep=obs', 'lt=300', 'lwm2m=1.1'], '</1/0>,</3/0>,</3303/0>');
  const obs = s.server.observe('obs', '/3303/0/5700');
  const req = await s.client.nextRequest();
  assert.equal(getObserve(req), 0);
  assert.deepEqual(getUriPath(req), ['3303', '0', '5700']);
  await s.client.respond(req, Code.CONTENT, '20.5', [observeOpt(1), contentFormat(ContentFormat.TEXT)]);
  const response = await obs.response;
  assert.equal(response.ok, true);
  return { ...s, obs, token: req.token, id: id! };
}

test('observes a resource: the answer and each notification arrive decoded, in order', async () => {
  const s = await observed();
  const it = s.obs[Symbol.asyncIterator]();
  assert.equal(valueOf((await it.next()).value as Notification), 20.5);
  await s.client.notify(s.token, 2, '21', ContentFormat.TEXT);
  const second = (await it.next()).value as Notification;
  assert.equal(valueOf(second), 21);
  assert.equal(second.sequence, 2);
  const [e] = s.named('notification') as NotificationEvent[];
  assert.equal(e?.registration.endpoint, 'obs');
  assert.equal(e?.observation.paths[0]?.toString(), '/3303/0/5700');
  assert.equal(valueOf(e!.notification), 21);
  assert.equal(await s.server.config.store.observations.size(), 1);
  await s.close();
});

test('a passive cancel forgets the observation: the next notification gets RST', async () => {
  const s = await observed();
  await s.obs.cancel();
  assert.equal(await s.server.config.store.observations.size(), 0);
  const mid = await s.client.notify(s.token, 3, '22', ContentFormat.TEXT);
  const reply = decodeMessage((await s.client.peer.next()).bytes);
  assert.equal(reply.type, MessageType.RST);
  assert.equal(reply.messageId, mid);
  await s.close();
});

test('an active cancel sends GET with Observe=1 and the same token', async () => {
  const s = await observed();
  const cancelled = s.obs.cancel({ active: true });
  const req = await s.client.nextRequest();
  assert.equal(getObserve(req), 1);
  assert.deepEqual(req.token, s.token);
  await s.client.respond(req, Code.CONTENT, '22', [contentFormat(ContentFormat.TEXT)]);
  await cancelled;
  assert.equal(s.obs.isEnded, true);
  assert.equal(await s.server.config.store.observations.size(), 0);
  await s.close();
});

test('keeps observations across an update and ends them on de-registration', async () => {
  const s = await observed();
  assert.equal((await s.client.update(s.id, ['lt=600'])).code, Code.CHANGED);
  await s.client.notify(s.token, 5, '23', ContentFormat.TEXT);
  await settle();
  assert.equal(s.named('notification').length, 1);
  assert.equal(await s.server.config.store.observations.size(), 1);
  assert.equal((await s.client.deregister(s.id)).code, Code.DELETED);
  await settle();
  assert.equal(s.obs.isEnded, true);
  assert.equal(await s.server.config.store.observations.size(), 0);
  await s.close();
});

test('a re-registration drops the observations of the old registration', async () => {
  const s = await observed();
  await s.client.register(['ep=obs', 'lt=300', 'lwm2m=1.1']);
  await settle();
  assert.equal(s.obs.isEnded, true);
  assert.equal(await s.server.config.store.observations.size(), 0);
  await s.close();
});

test('an observe the client refuses resolves with its error and ends the iteration', async () => {
  const s = await startServer();
  await s.client.register(['ep=obs', 'lt=300', 'lwm2m=1.1']);
  const obs = s.server.observe('obs', '/3303/0/5700');
  const req = await s.client.nextRequest();
  await s.client.respond(req, Code.NOT_FOUND);
  const res = await obs.response;
  assert.equal(res.code, Code.NOT_FOUND);
  const seen: Notification[] = [];
  for await (const n of obs) seen.push(n);
  assert.deepEqual(seen, []);
  assert.equal(await s.server.config.store.observations.size(), 0);
  await s.close();
});

test('accepts Send (POST /dp) from a registered client with 2.04 and emits the decoded data', async () => {
  const s = await startServer();
  await s.client.register(['ep=sender', 'lt=300', 'lwm2m=1.1']);
  const body = '[{"bn":"/3303/0/","bt":1700000000,"n":"5700","v":22.5}]';
  const res = await s.client.exchange(
    requestMessage(Code.POST, '/dp', [], body, [contentFormat(ContentFormat.SENML_JSON)]),
  );
  assert.equal(res.code, Code.CHANGED);
  await settle();
  const [e] = s.named('send') as SendEvent[];
  assert.equal(e?.registration.endpoint, 'sender');
  assert.equal(e?.data[0]?.timestamp, 1700000000);
  assert.equal(e?.data[0]?.nodes[0]?.path.toString(), '/3303/0/5700');
  await s.close();
});

test('answers Send from an unregistered address with 4.04 and a bad payload with 4.00', async () => {
  const s = await startServer();
  const body = '[{"n":"/3303/0/5700","v":22.5}]';
  const stranger = await s.client.exchange(
    requestMessage(Code.POST, '/dp', [], body, [contentFormat(ContentFormat.SENML_JSON)]),
  );
  assert.equal(stranger.code, Code.NOT_FOUND);
  await s.client.register(['ep=sender', 'lt=300', 'lwm2m=1.1']);
  const bad = await s.client.exchange(
    requestMessage(Code.POST, '/dp', [], '[{"n":', [contentFormat(ContentFormat.SENML_JSON)]),
  );
  assert.equal(bad.code, Code.BAD_REQUEST);
  assert.ok(bad.payload.length > 0);
  await settle();
  assert.equal(s.named('send').length, 0);
  await s.close();
});

test('another client address cannot Send in the name of a registered client', async () => {
  const s = await startServer();
  await s.client.register(['ep=sender', 'lt=300', 'lwm2m=1.1']);
  const other = await ScriptedClient.open(s.target);
  const res = await other.exchange(
    requestMessage(Code.POST, '/dp', [], '[{"n":"/3/0/0","vs":"x"}]', [
      contentFormat(ContentFormat.SENML_JSON),
    ]),
  );
  assert.equal(res.code, Code.NOT_FOUND);
  await other.close();
  await s.close();
});

test('observes several paths with Observe-Composite and decodes SenML notifications', async () => {
  const s = await startServer();
  await s.client.register(['ep=multi', 'lt=300', 'lwm2m=1.1'], '</1/0>,</3/0>,</3303/0>');
  const obs = s.server.observeComposite('multi', ['/3/0/9', '/3303/0/5700'], {
    format: ContentFormat.SENML_JSON,
    requestFormat: ContentFormat.SENML_JSON,
  });
  const req = await s.client.nextRequest();
  assert.equal(req.code, Code.FETCH);
  assert.equal(getObserve(req), 0);
  assert.deepEqual(JSON.parse(new TextDecoder().decode(req.payload)), [
    { n: '/3/0/9' },
    { n: '/3303/0/5700' },
  ]);
  const body = (battery: number, temp: number) =>
    `[{"n":"/3/0/9","v":${battery}},{"n":"/3303/0/5700","v":${temp}}]`;
  await s.client.respond(req, Code.CONTENT, body(90, 20.5), [
    observeOpt(7),
    contentFormat(ContentFormat.SENML_JSON),
  ]);
  const res = await obs.response;
  assert.equal(res.ok, true);
  await s.client.notify(req.token, 8, body(89, 21), ContentFormat.SENML_JSON);
  const it = obs[Symbol.asyncIterator]();
  await it.next();
  const second = (await it.next()).value as Notification;
  assert.ok(Array.isArray(second.content));
  const paths = (second.content as { path: { toString(): string } }[]).map((p) => p.path.toString());
  assert.deepEqual(paths, ['/3/0/9', '/3303/0/5700']);
  const [e] = s.named('notification') as NotificationEvent[];
  assert.equal(e?.observation.kind, 'composite');
  await s.close();
});

test('an expired registration ends its observations', async () => {
  const s = await startServer({ expiryGraceMs: 0 });
  await s.client.register(['ep=short', 'lt=30', 'lwm2m=1.1']);
  const obs = s.server.observe('short', '/3/0/9');
  const req = await s.client.nextRequest();
  await s.client.respond(req, Code.CONTENT, '50', [observeOpt(1), contentFormat(ContentFormat.TEXT)]);
  await obs.response;
  assert.equal(await s.server.config.store.observations.size(), 1);
  await s.clock.advanceAsync(32_000, 1_000);
  await settle();
  assert.equal(s.named('expired').length, 1);
  assert.equal(obs.isEnded, true);
  assert.equal(await s.server.config.store.observations.size(), 0);
  await s.close();
});
