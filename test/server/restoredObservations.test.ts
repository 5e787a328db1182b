// Issue 14 item 1, RFC 7641 3.6 / Core TS 6.4: after a restart on the same store, a notification
// for an observation the previous run stored is recognized (ACKed, not RST), matched by token and
// endpoint, decoded and delivered as a `notification` event; other tokens and other sources are not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Code, MessageType, OptionNumber } from '../../src/coap/CoapMessage.js';
import { decodeMessage, encodeMessage } from '../../src/coap/messageCodec.js';
import { encodeUint } from '../../src/coap/options.js';
import type { NotificationEvent } from '../../src/server/Lwm2mServerEvents.js';
import { MemoryRegistrationStore } from '../../src/store/memory/MemoryRegistrationStore.js';
import type { RegistrationStore } from '../../src/store/RegistrationStore.js';
import { SqliteRegistrationStore } from '../../src/store/sqlite/SqliteRegistrationStore.js';
import { openTempDatabase, tempDataFile } from '../store/sqlite/tempDataFiles.js';
import { contentFormat } from '../support/ScriptedClient.js';
import { RawCoapPeer } from '../support/RawCoapPeer.js';
import { waitUntil } from '../support/waitUntil.js';
import { valueOf } from '../integration/support/notifications.js';
import { startServer } from './serverFixture.js';

/** A CON notification (2.05, Observe `seq`, text/plain) with `token`, as encoded bytes. */
function notification(token: Uint8Array, seq: number, value: string, messageId: number): Uint8Array {
  return encodeMessage({
    type: MessageType.CON,
    code: Code.CONTENT,
    messageId,
    token,
    options: [{ number: OptionNumber.OBSERVE, value: encodeUint(seq) }, contentFormat(0)],
    payload: new TextEncoder().encode(value),
  });
}

/** Runs a first server that registers `ep` and observes /3/0/9; returns the store and the token. */
async function previousRun(store: RegistrationStore = new MemoryRegistrationStore()) {
  const first = await startServer({ store });
  await first.client.register(['ep=dev', 'lt=600', 'lwm2m=1.1']);
  const obs = first.server.observe('dev', '/3/0/9');
  const req = await first.client.nextRequest();
  await first.client.respond(req, Code.CONTENT, '80', [
    { number: OptionNumber.OBSERVE, value: encodeUint(1) },
    contentFormat(0),
  ]);
  assert.equal((await obs.response).ok, true);
  await first.server.stop(); // the process ends: the relation is gone, the stored record stays
  assert.equal(await store.observations.size(), 1);
  return { store, client: first.client, token: req.token };
}

test('a notification for an observation stored before a restart is ACKed, decoded and delivered', async () => {
  const { store, client, token } = await previousRun();
  const s = await startServer({ store });
  const delivered: NotificationEvent[] = [];
  s.server.on('notification', (e) => void delivered.push(e));
  await client.peer.send(notification(token, 2, '42', 0x7001), s.target);
  const reply = decodeMessage((await client.peer.next()).bytes);
  assert.equal(reply.type, MessageType.ACK, 'taken, not rejected with RST');
  assert.equal(reply.messageId, 0x7001);
  await waitUntil(() => delivered.length === 1, 'the notification event');
  const [e] = delivered;
  assert.equal(e?.registration.endpoint, 'dev');
  assert.equal(String(e?.observation.paths[0]), '/3/0/9');
  assert.equal(valueOf(e?.notification), 42);
  await s.close();
});

test('the same after a real restart on SQLite: the observation is read back from the data file', async () => {
  const file = tempDataFile();
  const db = openTempDatabase(file);
  const { client, token } = await previousRun(await SqliteRegistrationStore.open(db));
  await db.close();
  const store = await SqliteRegistrationStore.open(openTempDatabase(file));
  const s = await startServer({ store });
  const delivered: NotificationEvent[] = [];
  s.server.on('notification', (e) => void delivered.push(e));
  await client.peer.send(notification(token, 2, '17', 0x7005), s.target);
  assert.equal(decodeMessage((await client.peer.next()).bytes).type, MessageType.ACK);
  await waitUntil(() => delivered.length === 1, 'the notification event');
  assert.equal(valueOf(delivered[0]?.notification), 17);
  await s.close();
});

test('a notification with an unknown token, or a stored token from another endpoint, is not delivered', async () => {
  const { store, client, token } = await previousRun();
  const s = await startServer({ store });
  const delivered: NotificationEvent[] = [];
  s.server.on('notification', (e) => void delivered.push(e));
  await client.peer.send(notification(Uint8Array.from([9, 9, 9, 9]), 2, '1', 0x7002), s.target);
  assert.equal(decodeMessage((await client.peer.next()).bytes).type, MessageType.RST);
  const stranger = await RawCoapPeer.open('127.0.0.1');
  try {
    await stranger.send(notification(token, 3, '2', 0x7003), s.target);
    await stranger.next();
    // Then one from the registered endpoint: only it is delivered.
    await client.peer.send(notification(token, 4, '3', 0x7004), s.target);
    await client.peer.next();
    await waitUntil(() => delivered.length >= 1, 'the notification event');
    assert.deepEqual(
      delivered.map((e) => valueOf(e.notification)),
      [3],
    );
  } finally {
    await stranger.close();
  }
  await s.close();
});

test('once the registration ends, its stored tokens are rejected again', async () => {
  const { store, client, token } = await previousRun();
  const s = await startServer({ store });
  const reg = await s.server.getRegistration('dev');
  await client.peer.send(
    encodeMessage({
      type: MessageType.CON,
      code: Code.DELETE,
      messageId: 0x7010,
      token: Uint8Array.from([1]),
      options: [
        { number: OptionNumber.URI_PATH, value: new TextEncoder().encode('rd') },
        { number: OptionNumber.URI_PATH, value: new TextEncoder().encode(reg!.id) },
      ],
      payload: new Uint8Array(0),
    }),
    s.target,
  );
  assert.equal(decodeMessage((await client.peer.next()).bytes).code, Code.DELETED);
  await client.peer.send(notification(token, 5, '4', 0x7011), s.target);
  assert.equal(decodeMessage((await client.peer.next()).bytes).type, MessageType.RST);
  await s.close();
});
