// OutgoingResponse.afterSend (src/coap/Router.ts): the endpoint runs a handler's hook once, right
// after its response went to the transport (RFC 7252 5.2.1 piggybacked and 5.2.2 separate), so
// what the hook sends follows the answer on the wire; block-wise keeps it for block 0 only
// (RFC 7959 2.2), and a duplicate served from the dedup cache runs nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CoapEndpoint } from '../../src/coap/CoapEndpoint.js';
import { Code, MessageType } from '../../src/coap/CoapMessage.js';
import { decodeMessage } from '../../src/coap/messageCodec.js';
import { ManualClock } from '../support/ManualClock.js';
import { MemoryNetwork, flush } from '../support/MemoryTransport.js';

function setup() {
  const { net, a, b } = MemoryNetwork.pair();
  const clock = new ManualClock();
  const server = new CoapEndpoint(a, { clock, random: () => 0.25 });
  const client = new CoapEndpoint(b, { clock, random: () => 0.75 });
  const sentByServer = () =>
    net.log.filter((d) => d.from.key === a.self.key).map((d) => decodeMessage(d.bytes));
  return { net, clock, server, client, sentByServer, serverPeer: a.self, clientPeer: b.self };
}

test('the hook runs once, after the piggybacked response, and what it sends follows it', async () => {
  const s = setup();
  s.client.router.use('/ping', () => ({ code: Code.CONTENT }));
  const seen: number[] = [];
  s.server.router.use('/rd', () => ({
    code: Code.CREATED,
    afterSend: () => {
      seen.push(s.sentByServer().length);
      void s.server.request(s.clientPeer, { method: 'GET', path: '/ping' });
    },
  }));
  const res = await s.client.request(s.serverPeer, { method: 'POST', path: '/rd' });
  assert.equal(res.code, Code.CREATED);
  await flush();
  assert.deepEqual(seen, [1], 'the ACK had been sent when the hook ran');
  const [ack, get] = s.sentByServer();
  assert.deepEqual([ack!.type, ack!.code], [MessageType.ACK, Code.CREATED]);
  assert.deepEqual([get!.type, get!.code], [MessageType.CON, Code.GET]);
});

test('after a separate response the hook runs once that response is sent', async () => {
  const s = setup();
  let ran = 0;
  s.server.router.use(
    '/slow',
    () =>
      new Promise((resolve) =>
        s.clock.setTimer(5_000, () => resolve({ code: Code.CHANGED, afterSend: () => void ran++ })),
      ),
  );
  const p = s.client.request(s.serverPeer, { method: 'POST', path: '/slow' });
  await flush();
  await s.clock.advanceAsync(2_000, 500);
  assert.equal(ran, 0, 'not after the empty ACK');
  await s.clock.advanceAsync(4_000, 500);
  assert.equal((await p).code, Code.CHANGED);
  assert.equal(ran, 1);
});

test('a block-wise response runs the hook with block 0 only; a throwing hook changes nothing', async () => {
  const s = setup();
  let ran = 0;
  const body = new Uint8Array(3000).fill(0x61);
  s.server.router.use('/big', () => ({
    code: Code.CONTENT,
    payload: body,
    afterSend: () => {
      ran++;
      throw new Error('hook failure');
    },
  }));
  const res = await s.client.request(s.serverPeer, { method: 'GET', path: '/big' });
  assert.equal(res.payload.length, 3000);
  assert.ok(s.sentByServer().length >= 3, 'several blocks went out');
  assert.equal(ran, 1);
});
