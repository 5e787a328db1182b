// Tests of the exchange layer (RFC 7252 5.3): tokens, matching by (peer, token), separate
// responses, default deadlines.
import { test } from '../support/isolatedTest.js';
import assert from 'node:assert/strict';
import { MessageLayer, type MessageLayerUpper } from '../../src/coap/MessageLayer.js';
import { ExchangeLayer } from '../../src/coap/ExchangeLayer.js';
import { MessageType, type CoapMessage } from '../../src/coap/CoapMessage.js';
import { decodeMessage, encodeMessage } from '../../src/coap/messageCodec.js';
import { deriveParams } from '../../src/coap/transmissionParams.js';
import { makePeer, type Peer } from '../../src/transport/Peer.js';
import { ManualClock } from '../support/ManualClock.js';
import { MemoryNetwork, flush } from '../support/MemoryTransport.js';

function setup(random: () => number = Math.random, tokenLength?: number) {
  const { net, a, b } = MemoryNetwork.pair();
  const clock = new ManualClock();
  const params = deriveParams();
  const holder: { ex?: ExchangeLayer } = {};
  const upper: MessageLayerUpper = {
    onRequest: () => undefined,
    onResponse: (m, p) => holder.ex!.onResponse(m, p),
    onUnmatchedReset: () => undefined,
  };
  const messages = new MessageLayer(a, upper, { clock, random, params });
  const ex = new ExchangeLayer(messages, { clock, random, params, tokenLength });
  holder.ex = ex;
  a.onDatagram((bytes, peer) => messages.receive(bytes, peer));
  const requests = () => net.sentBy(a).map((x) => decodeMessage(x));
  const inject = (from: Peer, m: CoapMessage) => net.inject(from, a, encodeMessage(m));
  return { net, a, b, clock, ex, requests, inject, peerB: b.self };
}

const get = (): CoapMessage => ({
  type: MessageType.CON,
  code: 1,
  messageId: 0,
  token: new Uint8Array(0),
  options: [],
  payload: new Uint8Array(0),
});

const reply = (type: number, mid: number, token: Uint8Array, code = 0x45): CoapMessage => ({
  type: type as CoapMessage['type'],
  code,
  messageId: mid,
  token,
  options: [],
  payload: new Uint8Array(0),
});

test('tokens are 4 bytes from the injected random source and unique among outstanding exchanges', async () => {
  const fixed = () => 0.5; // every draw the same: the second token must still differ
  let calls = 0;
  const s = setup(() => (calls++ < 12 ? fixed() : Math.random()));
  void s.ex.request(s.peerB, get()).catch(() => undefined);
  void s.ex.request(s.b.self, { ...get(), type: MessageType.NON }).catch(() => undefined);
  const [t1, t2] = s.requests().map((m) => m.token);
  assert.deepEqual([...t1!], [128, 128, 128, 128]);
  assert.equal(t2!.length, 4);
  assert.notDeepEqual([...t2!], [...t1!]);
  assert.equal(s.ex.size, 2);
});

test('the token length is configurable', () => {
  const s = setup(Math.random, 8);
  void s.ex.request(s.peerB, get()).catch(() => undefined);
  assert.equal(s.requests()[0]!.token.length, 8);
  assert.throws(() => setup(Math.random, 9));
});

test('with 1-byte tokens, 300 peers at once share tokens and each response still finds its own request', async () => {
  const s = setup(Math.random, 1);
  const peers = Array.from({ length: 300 }, (_, i) => makePeer(`10.1.${i >> 8}.${i & 255}`, 5683));
  const pending = peers.map((p) => s.ex.request(p, get()));
  const sent = s.net.log.map((d) => ({ to: d.to, m: decodeMessage(d.bytes) }));
  assert.equal(sent.length, 300);
  assert.ok(new Set(sent.map((x) => x.m.token[0])).size <= 256, 'tokens repeat across peers');
  // answered in reverse order, each by its own peer with the token it was sent, as a separate NON
  // response (matched by peer and token alone, RFC 7252 5.3.2) whose MID tells them apart
  for (let i = sent.length - 1; i >= 0; i--)
    s.inject(sent[i]!.to, reply(MessageType.NON, 0x1000 + i, sent[i]!.m.token));
  const res = await Promise.all(pending);
  res.forEach((r, i) => assert.equal(r.message.messageId, 0x1000 + i, `peer ${i} got its own response`));
  assert.equal(s.ex.size, 0);
});

test('a separate response is matched by token and acknowledged', async () => {
  const s = setup();
  const p = s.ex.request(s.peerB, get());
  const sent = s.requests()[0]!;
  s.inject(s.peerB, reply(MessageType.ACK, sent.messageId, new Uint8Array(0), 0));
  await flush();
  s.inject(s.peerB, reply(MessageType.CON, 0x7777, sent.token));
  const res = await p;
  assert.equal(res.code, 0x45);
  assert.equal(res.message.messageId, 0x7777);
  await flush();
  assert.equal(s.requests().at(-1)!.type, MessageType.ACK);
  assert.equal(s.ex.size, 0);
});

test('a separate response overtaking the empty ACK acknowledges the request: no more retransmissions', async () => {
  const s = setup();
  const p = s.ex.request(s.peerB, get());
  s.inject(s.peerB, reply(MessageType.NON, 0x1111, s.requests()[0]!.token));
  await p;
  s.clock.advance(100_000);
  assert.equal(s.requests().length, 1);
});

test('the same token from another peer is not a match and gets RST', async () => {
  const s = setup();
  const p = s.ex.request(s.peerB, get());
  const other = s.net.bind('10.0.0.7').self;
  s.inject(other, reply(MessageType.CON, 0x2222, s.requests()[0]!.token));
  await flush();
  const last = s.net.log.at(-1)!;
  assert.equal(last.to.key, other.key);
  assert.equal(decodeMessage(last.bytes).type, MessageType.RST);
  assert.equal(s.ex.size, 1);
  p.catch(() => undefined);
});

test('a piggybacked ACK with a foreign token counts as an empty ACK', async () => {
  const s = setup();
  const p = s.ex.request(s.peerB, get());
  const sent = s.requests()[0]!;
  s.inject(s.peerB, reply(MessageType.ACK, sent.messageId, new Uint8Array([0xde, 0xad])));
  await flush();
  assert.equal(s.ex.size, 1);
  s.inject(s.peerB, reply(MessageType.CON, 0x3333, sent.token, 0x44));
  assert.equal((await p).code, 0x44);
});

test('after an empty ACK the response is awaited for EXCHANGE_LIFETIME', async () => {
  const s = setup();
  const p = s.ex.request(s.peerB, get()).catch((e: { code: string }) => e.code);
  s.inject(s.peerB, reply(MessageType.ACK, s.requests()[0]!.messageId, new Uint8Array(0), 0));
  await flush();
  s.clock.advance(246_999);
  assert.equal(s.ex.size, 1);
  s.clock.advance(1);
  assert.equal(await p, 'COAP_TIMEOUT');
});

test('an unanswered NON request times out after MAX_TRANSMIT_WAIT', async () => {
  const s = setup();
  const p = s.ex.request(s.peerB, { ...get(), type: MessageType.NON }).catch((e: { code: string }) => e.code);
  s.clock.advance(92_999);
  assert.equal(s.ex.size, 1);
  s.clock.advance(1);
  assert.equal(await p, 'COAP_TIMEOUT');
});

test('a caller-chosen token already in use is refused', async () => {
  const s = setup();
  const token = new Uint8Array([1, 2, 3]);
  void s.ex.request(s.peerB, { ...get(), token }).catch(() => undefined);
  const e = await s.ex
    .request(s.peerB, { ...get(), token: new Uint8Array([1, 2, 3]) })
    .catch((x: { code: string }) => x.code);
  assert.equal(e, 'COAP_BAD_REQUEST_OPTIONS');
});

test('responses with an unrecognized critical option are rejected: RST for a CON, an error for an ACK', async () => {
  const s = setup();
  const crit = [{ number: 0x7ff1, value: new Uint8Array([1]) }];
  const p1 = s.ex.request(s.peerB, get()).catch((e: { code: string }) => e.code);
  const t1 = s.requests()[0]!;
  s.inject(s.peerB, { ...reply(MessageType.ACK, t1.messageId, t1.token), options: crit });
  assert.equal(await p1, 'COAP_BAD_RESPONSE');
  const p2 = s.ex.request(s.peerB, get());
  const t2 = s.requests()[1]!;
  s.inject(s.peerB, { ...reply(MessageType.CON, 0x5151, t2.token), options: crit });
  await flush();
  const rst = s.requests().at(-1)!;
  assert.equal(rst.type, MessageType.RST);
  assert.equal(rst.messageId, 0x5151);
  assert.equal(s.ex.size, 1, 'the exchange still waits');
  s.inject(s.peerB, reply(MessageType.CON, 0x5152, t2.token));
  assert.equal((await p2).code, 0x45);
});

test('a moved observation is matched from its new peer only (RFC 7252 5.3.2: endpoint and token)', async () => {
  const s = setup();
  const seen: number[] = [];
  const sink = {
    onNotification: (_r: unknown, obs: number | undefined) => void seen.push(obs ?? -1),
    onEnd: () => undefined,
  };
  const observe = { ...get(), options: [{ number: 6, value: new Uint8Array(0) }] };
  const control = s.ex.observe(s.peerB, observe, sink);
  const token = s.requests()[0]!.token;
  const notification = (mid: number, n: number): CoapMessage => ({
    ...reply(MessageType.CON, mid, token),
    options: [{ number: 6, value: Uint8Array.of(n) }],
  });
  s.inject(s.peerB, { ...notification(s.requests()[0]!.messageId, 1), type: MessageType.ACK });
  await flush();
  const moved = s.net.bind('10.0.0.9').self;
  assert.equal(control.rebind?.(moved), true);
  s.inject(moved, notification(0x3001, 2));
  await flush();
  assert.equal(decodeMessage(s.net.log.at(-1)!.bytes).type, MessageType.ACK);
  s.inject(s.peerB, notification(0x3002, 3));
  await flush();
  const last = s.net.log.at(-1)!;
  assert.equal(last.to.key, s.peerB.key);
  assert.equal(decodeMessage(last.bytes).type, MessageType.RST, 'the old address no longer matches');
  assert.deepEqual(seen, [1, 2]);
  void control.cancel();
  await flush();
  const cancel = decodeMessage(s.net.log.at(-1)!.bytes);
  assert.equal(s.net.log.at(-1)!.to.key, moved.key, 'the active cancel goes to the new peer');
  assert.deepEqual([...cancel.token], [...token]);
});
