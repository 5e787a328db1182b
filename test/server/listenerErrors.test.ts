// Event listeners are user code run from inside CoAP request handling (Core TS 1.1.1 6.2, 6.4):
// one that throws or rejects must not change the protocol outcome; it becomes a 'warning'.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Code, MessageType, OptionNumber } from '../../src/coap/CoapMessage.js';
import { decodeMessage, encodeMessage } from '../../src/coap/messageCodec.js';
import { encodeUint, getUriPath } from '../../src/coap/options.js';
import { ContentFormat } from '../../src/content/ContentFormat.js';
import type { Notification } from '../../src/lwm2m/responses.js';
import { callListeners } from '../../src/binding/callListeners.js';
import { contentFormat, requestMessage } from '../support/ScriptedClient.js';
import { settle, startServer } from './serverFixture.js';

const observeOpt = (n: number) => ({ number: OptionNumber.OBSERVE, value: encodeUint(n) });
const boom = new Error('listener bug');
const thrower = (): never => {
  throw boom;
};
const valueOf = (n: Notification | undefined): unknown =>
  n?.content && 'kind' in n.content && n.content.kind === 'resource' ? n.content.value.value : undefined;

function assertListenerWarning(warnings: unknown[], event: string): void {
  const w = warnings.find((e) => e instanceof Error && e.message.includes(`'${event}'`)) as Error | undefined;
  assert.ok(w, `a warning names the '${event}' event (got ${warnings.map(String).join('; ')})`);
  assert.equal(w.cause, boom);
}

test('a throwing "registered" listener: the client still gets 2.01 with Location and is registered', async () => {
  const s = await startServer();
  const later: string[] = [];
  s.server.on('registered', thrower);
  s.server.on('registered', (e) => void later.push(e.registration.endpoint));
  const { res, id } = await s.client.register(['ep=dev', 'lt=300', 'lwm2m=1.1']);
  assert.equal(res.code, Code.CREATED);
  assert.ok(id, 'Location-Path rd/{id} is present');
  assert.equal((await s.server.getRegistration('dev'))?.id, id);
  assert.deepEqual(later, ['dev'], 'listeners after the failing one still run');
  assertListenerWarning(s.named('warning'), 'registered');
  await s.close();
});

test('a throwing "notification" listener: the notification is ACKed and the relation stands', async () => {
  const s = await startServer();
  await s.client.register(['ep=dev', 'lt=300', 'lwm2m=1.1'], '</1/0>,</3303/0>');
  const obs = s.server.observe('dev', '/3303/0/5700');
  const req = await s.client.nextRequest();
  await s.client.respond(req, Code.CONTENT, '20', [observeOpt(1), contentFormat(ContentFormat.TEXT)]);
  await obs.response;
  s.server.on('notification', thrower);
  const it = obs[Symbol.asyncIterator]();
  await it.next();
  for (const [seq, mid] of [
    [2, 0x7201],
    [3, 0x7202],
  ] as const) {
    const msg = {
      type: MessageType.CON,
      code: Code.CONTENT,
      messageId: mid,
      token: req.token,
      options: [observeOpt(seq), contentFormat(ContentFormat.TEXT)],
      payload: new TextEncoder().encode(String(20 + seq)),
    };
    await s.client.peer.send(encodeMessage(msg), s.target);
    const ack = decodeMessage((await s.client.peer.next()).bytes);
    assert.equal(ack.type, MessageType.ACK);
    assert.equal(ack.messageId, mid);
    assert.equal(valueOf((await it.next()).value), 20 + seq);
  }
  await settle();
  assert.equal(obs.isEnded, false);
  assert.equal(s.named('notification').length, 2);
  assertListenerWarning(s.named('warning'), 'notification');
  await s.close();
});

test('a throwing "updated" listener: 2.04, and the queued requests of the woken client still go out', async () => {
  const s = await startServer({ awakeWindowMs: 93_000 });
  const { id } = await s.client.register(['ep=q', 'lt=3600', 'lwm2m=1.1', 'Q']);
  s.clock.advance(93_001);
  const pending = s.server.read('q', '/3/0/0');
  await settle();
  s.server.on('updated', thrower);
  assert.equal((await s.client.update(id!, ['lt=600'])).code, Code.CHANGED);
  assert.equal((await s.server.getRegistration('q'))?.lifetime, 600);
  const req = await s.client.nextRequest();
  assert.deepEqual(getUriPath(req), ['3', '0', '0']);
  await s.client.respond(req, Code.CONTENT, 'OMA', [contentFormat(ContentFormat.TEXT)]);
  assert.equal((await pending).ok, true);
  assertListenerWarning(s.named('warning'), 'updated');
  await s.close();
});

test('a throwing "send" listener: the Send is still answered 2.04', async () => {
  const s = await startServer();
  await s.client.register(['ep=dev', 'lt=300', 'lwm2m=1.1']);
  s.server.on('send', thrower);
  const res = await s.client.exchange(
    requestMessage(Code.POST, '/dp', [], '[{"n":"/3/0/9","v":80}]', [
      contentFormat(ContentFormat.SENML_JSON),
    ]),
  );
  assert.equal(res.code, Code.CHANGED);
  assertListenerWarning(s.named('warning'), 'send');
  await s.close();
});

test('a rejecting async listener becomes a warning; a throwing "warning" listener is ignored', async () => {
  const s = await startServer();
  let warningCalls = 0;
  s.server.on('warning', () => {
    warningCalls++;
    throw new Error('the warning listener is broken too');
  });
  s.server.on('registered', () => Promise.reject(boom));
  s.server.on('deregistered', thrower);
  const { res, id } = await s.client.register(['ep=dev', 'lt=300', 'lwm2m=1.1']);
  assert.equal(res.code, Code.CREATED);
  assert.equal((await s.client.deregister(id!)).code, Code.DELETED);
  assert.equal(await s.server.getRegistration('dev'), undefined);
  await settle();
  assertListenerWarning(s.named('warning'), 'registered');
  assertListenerWarning(s.named('warning'), 'deregistered');
  assert.equal(warningCalls, 2, 'one call per failing listener, no recursion');
  await s.close();
});

test('callListeners runs every listener in order and reports each failure', () => {
  const calls: string[] = [];
  const errors: unknown[] = [];
  callListeners(
    [(a) => void calls.push(`a${String(a)}`), thrower, (a) => void calls.push(`c${String(a)}`)],
    [1],
    (e) => void errors.push(e),
  );
  assert.deepEqual(calls, ['a1', 'c1']);
  assert.deepEqual(errors, [boom]);
});
