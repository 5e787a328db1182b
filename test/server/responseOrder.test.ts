// Core TS 1.1.1 sections 6.2.1-6.2.2 and 6.5 (Queue Mode) at the CoAP byte level: the server
// answers a Register or Update before anything its listeners or its queue send to that client.
// A raw peer records the datagrams in the order they arrive.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Code, MessageType, type CoapMessage } from '../../src/coap/CoapMessage.js';
import { decodeMessage, encodeMessage } from '../../src/coap/messageCodec.js';
import { getUriPath } from '../../src/coap/options.js';
import { contentFormat, requestMessage } from '../support/ScriptedClient.js';
import { settle, startServer } from './serverFixture.js';

type Started = Awaited<ReturnType<typeof startServer>>;

/** Sends `msg` from the raw peer and returns the next `count` datagrams, decoded, in arrival order. */
async function sendAndRecord(s: Started, msg: CoapMessage, count: number): Promise<CoapMessage[]> {
  await s.client.peer.send(encodeMessage(msg), s.target);
  const got: CoapMessage[] = [];
  for (let i = 0; i < count; i++) got.push(decodeMessage((await s.client.peer.next()).bytes));
  return got;
}

const register = (query: string[]): CoapMessage =>
  requestMessage(Code.POST, '/rd', query, '</3/0>', [contentFormat(40)]);

test("the 2.01 of a Register goes out before a 'registered' listener's request", async () => {
  const s = await startServer();
  try {
    s.server.on('registered', ({ registration }) => {
      void s.server.read(registration.endpoint, '/3/0/0');
    });
    const msg = register(['ep=first', 'lt=300', 'lwm2m=1.1', 'b=U']);
    const [first, second] = await sendAndRecord(s, msg, 2);
    assert.equal(first!.type, MessageType.ACK);
    assert.equal(first!.code, Code.CREATED, 'the Register is answered first');
    assert.equal(first!.messageId, msg.messageId);
    assert.equal(second!.code, Code.GET, "then the listener's Read");
    assert.deepEqual(getUriPath(second!), ['3', '0', '0']);
  } finally {
    await s.close();
  }
});

test('a queue-mode client gets the 2.04 of its Update before the requests held for it', async () => {
  const s = await startServer({ awakeWindowMs: 10_000 });
  try {
    const { id } = await s.client.register(['ep=q', 'lt=3600', 'lwm2m=1.1', 'Q']);
    await settle();
    s.clock.advance(10_001);
    assert.equal(s.named('sleeping').length, 1);
    const held = [s.server.read('q', '/3/0/0'), s.server.read('q', '/3/0/1')];
    await settle();
    assert.equal(s.client.peer.pending, 0, 'nothing goes out while the client sleeps');
    const update = requestMessage(Code.POST, `/rd/${id!}`);
    const [ack, req] = await sendAndRecord(s, update, 2);
    assert.deepEqual(
      [ack!.type, ack!.code, ack!.messageId],
      [MessageType.ACK, Code.CHANGED, update.messageId],
    );
    assert.deepEqual([req!.type, req!.code], [MessageType.CON, Code.GET], 'then the first held request');
    await s.client.respond(req!, Code.CONTENT, 'x');
    await s.client.respond(await s.client.nextRequest(), Code.CONTENT, 'y');
    for (const res of await Promise.all(held)) assert.equal(res.ok, true);
  } finally {
    await s.close();
  }
});
