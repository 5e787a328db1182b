// Observations across NAT rebinding (Core TS 1.1.1 6.2.2: an Update from a new address moves the
// registration): the relations move with it, still matched on address and token (RFC 7252 5.3.2).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Code, MessageType, OptionNumber } from '../../src/coap/CoapMessage.js';
import { decodeMessage, encodeMessage } from '../../src/coap/messageCodec.js';
import { encodeUint, getObserve } from '../../src/coap/options.js';
import { ContentFormat } from '../../src/content/ContentFormat.js';
import type { Notification } from '../../src/lwm2m/responses.js';
import type { NotificationEvent } from '../../src/server/Lwm2mServerEvents.js';
import { ScriptedClient, contentFormat } from '../support/ScriptedClient.js';
import { settle, startServer } from './serverFixture.js';

const observeOpt = (n: number) => ({ number: OptionNumber.OBSERVE, value: encodeUint(n) });
const valueOf = (n: Notification | undefined): unknown =>
  n?.content && 'kind' in n.content && n.content.kind === 'resource' ? n.content.value.value : undefined;

let mid = 0x7100;

/** Sends a CON notification 2.05 with `token` from `c`; returns its message ID. */
async function conNotify(c: ScriptedClient, token: Uint8Array, seq: number, text: string): Promise<number> {
  const messageId = mid++;
  const msg = {
    type: MessageType.CON,
    code: Code.CONTENT,
    messageId,
    token,
    options: [observeOpt(seq), contentFormat(ContentFormat.TEXT)],
    payload: new TextEncoder().encode(text),
  };
  await c.peer.send(encodeMessage(msg), c.server);
  return messageId;
}

/** A client registered and observed from socket A, then moved to socket B by an Update. */
async function rebound() {
  const s = await startServer();
  const { id } = await s.client.register(['ep=nat', 'lt=300', 'lwm2m=1.1'], '</1/0>,</3303/0>');
  const obs = s.server.observe('nat', '/3303/0/5700');
  const req = await s.client.nextRequest();
  await s.client.respond(req, Code.CONTENT, '20', [observeOpt(1), contentFormat(ContentFormat.TEXT)]);
  assert.equal((await obs.response).ok, true);
  const moved = await ScriptedClient.open(s.target);
  assert.equal((await moved.update(id!)).code, Code.CHANGED);
  await settle();
  const reg = await s.server.getRegistration('nat');
  assert.equal(reg?.peer.port, moved.peer.address.port, 'the registration follows the new address');
  const close = async (): Promise<void> => {
    await moved.close();
    await s.close();
  };
  return { ...s, obs, token: req.token, moved, close };
}

test('after an Update from a new address, notifications from there with the old token reach the handle', async () => {
  const s = await rebound();
  const it = s.obs[Symbol.asyncIterator]();
  assert.equal(valueOf((await it.next()).value), 20);
  const sent = await conNotify(s.moved, s.token, 2, '21');
  const ack = decodeMessage((await s.moved.peer.next()).bytes);
  assert.equal(ack.type, MessageType.ACK, 'the notification is acknowledged, not reset');
  assert.equal(ack.messageId, sent);
  assert.equal(valueOf((await it.next()).value), 21);
  const events = s.named('notification') as NotificationEvent[];
  assert.equal(events.length, 1);
  assert.equal(events[0]?.registration.peer.port, s.moved.peer.address.port);
  await s.close();
});

test('after the move, a notification from the old address with the same token is reset, not delivered', async () => {
  const s = await rebound();
  const sent = await conNotify(s.client, s.token, 2, '99');
  const reply = decodeMessage((await s.client.peer.next()).bytes);
  assert.equal(reply.type, MessageType.RST);
  assert.equal(reply.messageId, sent);
  await settle();
  assert.equal(s.named('notification').length, 0);
  assert.equal(s.obs.isEnded, false, 'the relation stands at the new address');
  await s.close();
});

test('an active cancel after the move goes to the new address with the observation token', async () => {
  const s = await rebound();
  const cancelled = s.obs.cancel({ active: true });
  const req = await s.moved.nextRequest();
  assert.equal(getObserve(req), 1);
  assert.deepEqual(req.token, s.token);
  await s.moved.respond(req, Code.CONTENT, '21', [contentFormat(ContentFormat.TEXT)]);
  assert.equal((await cancelled).ok, true);
  await settle();
  assert.equal(s.client.peer.pending, 0, 'nothing is sent to the old address');
  await s.close();
});

test('a stranger address cannot inject notifications with a known token', async () => {
  const s = await rebound();
  const stranger = await ScriptedClient.open(s.target);
  const sent = await conNotify(stranger, s.token, 5, '66');
  const reply = decodeMessage((await stranger.peer.next()).bytes);
  assert.equal(reply.type, MessageType.RST);
  assert.equal(reply.messageId, sent);
  await settle();
  assert.equal(s.named('notification').length, 0);
  await stranger.close();
  await s.close();
});
