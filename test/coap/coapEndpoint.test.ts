// Tests of CoapEndpoint over an in-memory network: serving through the router and requesting on
// the same transport, piggybacked vs separate responses, errors, timeouts, abort, stages.
import { test } from '../support/isolatedTest.js';
import assert from 'node:assert/strict';
import { CoapEndpoint, type ExchangeSender } from '../../src/coap/CoapEndpoint.js';
import { Code, MessageType, type CoapMessage } from '../../src/coap/CoapMessage.js';
import { decodeMessage, encodeMessage } from '../../src/coap/messageCodec.js';
import type { RequestHandler } from '../../src/coap/Router.js';
import { ManualClock } from '../support/ManualClock.js';
import { MemoryNetwork, flush } from '../support/MemoryTransport.js';

const text = new TextDecoder();

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

function setup() {
  const { net, a, b } = MemoryNetwork.pair();
  const clock = new ManualClock();
  const server = new CoapEndpoint(a, { clock, random: lcg(1) });
  const client = new CoapEndpoint(b, { clock, random: lcg(2) });
  const wire = () => net.log.map((d) => ({ from: d.from.address, m: decodeMessage(d.bytes) }));
  return { net, a, b, clock, server, client, wire, serverPeer: a.self, clientPeer: b.self };
}

test('a CON GET is answered piggybacked in the ACK, two datagrams in all', async () => {
  const s = setup();
  s.server.router.use('/hello', (req) => ({
    code: Code.CONTENT,
    contentFormat: 0,
    payload: new TextEncoder().encode(`hi ${req.query.join('&')}`),
  }));
  const res = await s.client.request(s.serverPeer, { method: 'GET', path: '/hello', query: ['a=1'] });
  assert.equal(res.code, Code.CONTENT);
  assert.equal(res.contentFormat, 0);
  assert.equal(text.decode(res.payload), 'hi a=1');
  assert.equal(res.peer.key, s.serverPeer.key);
  const w = s.wire();
  assert.equal(w.length, 2);
  assert.equal(w[0]!.m.type, MessageType.CON);
  assert.equal(w[1]!.m.type, MessageType.ACK);
  assert.equal(w[1]!.m.messageId, w[0]!.m.messageId);
  assert.deepEqual(w[1]!.m.token, w[0]!.m.token);
  assert.equal(w[0]!.m.token.length, 4);
});

test('a slow handler gets an empty ACK and a separate CON response that the client ACKs', async () => {
  const s = setup();
  s.server.router.use(
    '/slow',
    () => new Promise((r) => s.clock.setTimer(5_000, () => r({ code: Code.CHANGED }))),
  );
  const p = s.client.request(s.serverPeer, { method: 'POST', path: '/slow', payload: 'x' });
  await flush();
  await s.clock.advanceAsync(6_000, 500);
  const res = await p;
  assert.equal(res.code, Code.CHANGED);
  const w = s.wire();
  assert.deepEqual(
    w.map((x) => [x.from, x.m.type, x.m.code]),
    [
      ['10.0.0.2', MessageType.CON, Code.POST],
      ['10.0.0.1', MessageType.ACK, 0],
      ['10.0.0.1', MessageType.CON, Code.CHANGED],
      ['10.0.0.2', MessageType.ACK, 0],
    ],
  );
  assert.equal(w[3]!.m.messageId, w[2]!.m.messageId);
});

test('a request with an unknown critical option is answered 4.02 before any handler runs', async () => {
  const s = setup();
  let calls = 0;
  s.server.router.use('', () => (calls++, { code: Code.CONTENT }));
  const res = await s.client.request(s.serverPeer, {
    method: 'GET',
    path: '/x',
    options: [{ number: 0x7ff1, value: new Uint8Array([1]) }],
  });
  assert.equal(res.code, Code.BAD_OPTION);
  assert.equal(calls, 0);
  const ok = await s.client.request(s.serverPeer, {
    method: 'GET',
    path: '/x',
    options: [{ number: 0x7ff0, value: new Uint8Array([1]) }],
  });
  assert.equal(ok.code, Code.CONTENT, 'unknown elective options are ignored');
});

test('errors thrown by handlers render: RenderableError with diagnostic payload, others as bare 5.00', async () => {
  const s = setup();
  s.server.router.use('/gone', () => {
    throw Object.assign(new Error('no such thing'), { coapCode: Code.NOT_FOUND });
  });
  s.server.router.use('/bug', () => {
    throw new Error('secret internals');
  });
  s.server.router.use('/async', async () => {
    throw Object.assign(new Error('nope'), { coapCode: Code.FORBIDDEN });
  });
  const gone = await s.client.request(s.serverPeer, { method: 'GET', path: '/gone' });
  assert.equal(gone.code, Code.NOT_FOUND);
  assert.equal(text.decode(gone.payload), 'no such thing');
  const bug = await s.client.request(s.serverPeer, { method: 'GET', path: '/bug' });
  assert.equal(bug.code, Code.INTERNAL_SERVER_ERROR);
  assert.equal(bug.payload.length, 0);
  const asyncErr = await s.client.request(s.serverPeer, { method: 'GET', path: '/async' });
  assert.equal(asyncErr.code, Code.FORBIDDEN);
  const missing = await s.client.request(s.serverPeer, { method: 'GET', path: '/nothing/here' });
  assert.equal(missing.code, Code.NOT_FOUND);
});

test('a lost request is retransmitted and then answered', async () => {
  const s = setup();
  s.server.router.use('/r', () => ({ code: Code.CONTENT }));
  let dropped = false;
  s.net.fate = () => (dropped ? 'deliver' : ((dropped = true), 'drop'));
  const p = s.client.request(s.serverPeer, { method: 'GET', path: '/r' });
  await s.clock.advanceAsync(4_000, 500);
  assert.equal((await p).code, Code.CONTENT);
  assert.equal(s.net.log.length, 3);
});

test('duplicated datagrams run the handler once and resolve the request once', async () => {
  const s = setup();
  let calls = 0;
  s.server.router.use('/d', () => (calls++, { code: Code.CONTENT }));
  s.net.fate = () => 'duplicate';
  const res = await s.client.request(s.serverPeer, { method: 'GET', path: '/d' });
  await flush();
  assert.equal(res.code, Code.CONTENT);
  assert.equal(calls, 1);
});

test('an unanswered CON request rejects with COAP_TIMEOUT once retransmissions are exhausted', async () => {
  const s = setup();
  s.net.fate = () => 'drop';
  const p = s.client.request(s.serverPeer, { method: 'GET', path: '/x' });
  const settled = p.then(
    () => 'resolved',
    (e: { code: string; name: string }) => `${e.code}/${e.name}`,
  );
  await s.clock.advanceAsync(95_000, 5_000);
  assert.equal(await settled, 'COAP_TIMEOUT/TimeoutError');
  assert.equal(s.net.log.length, 5);
});

test('timeoutMs bounds the wait and stops retransmitting', async () => {
  const s = setup();
  s.net.fate = () => 'drop';
  const p = s.client.request(s.serverPeer, { method: 'GET', path: '/x', timeoutMs: 5_000 });
  const settled = p.catch((e: { code: string }) => e.code);
  await s.clock.advanceAsync(4_900, 4_900);
  assert.equal(s.net.log.length, 2);
  await s.clock.advanceAsync(60_000, 1_000);
  assert.equal(await settled, 'COAP_TIMEOUT');
  assert.equal(s.net.log.length, 2);
});

test('an abort signal rejects with AbortError and stops retransmission', async () => {
  const s = setup();
  s.net.fate = () => 'drop';
  const ac = new AbortController();
  const p = s.client.request(s.serverPeer, { method: 'GET', path: '/x', signal: ac.signal });
  const settled = p.catch((e: { name: string; code: string }) => `${e.name}/${e.code}`);
  ac.abort();
  assert.equal(await settled, 'AbortError/COAP_ABORTED');
  await s.clock.advanceAsync(60_000, 10_000);
  assert.equal(s.net.log.length, 1);
  const pre = await s.client
    .request(s.serverPeer, { method: 'GET', path: '/x', signal: AbortSignal.abort() })
    .catch((e: { name: string }) => e.name);
  assert.equal(pre, 'AbortError');
  assert.equal(s.net.log.length, 1);
});

test('a Reset to the request rejects with COAP_RESET', async () => {
  const s = setup();
  await s.server.close();
  const rst = s.net.bind('10.0.0.1');
  rst.onDatagram((bytes, from) => {
    const m = decodeMessage(bytes);
    void rst.send(
      from,
      encodeMessage({
        ...m,
        type: MessageType.RST,
        code: 0,
        token: new Uint8Array(0),
        options: [],
        payload: new Uint8Array(0),
      }),
    );
  });
  const err = await s.client
    .request(s.serverPeer, { method: 'GET', path: '/x' })
    .catch((e: { code: string }) => e.code);
  assert.equal(err, 'COAP_RESET');
});

test('a CON response with a token nobody waits for is answered with RST', async () => {
  const s = setup();
  const stray: CoapMessage = {
    type: MessageType.CON,
    code: Code.CONTENT,
    messageId: 0x4242,
    token: new Uint8Array([9, 9, 9, 9]),
    options: [],
    payload: new Uint8Array(0),
  };
  s.net.inject(s.serverPeer, s.b, encodeMessage(stray));
  await flush();
  const out = s.net.sentBy(s.b).map((x) => decodeMessage(x));
  assert.equal(out.length, 1);
  assert.equal(out[0]!.type, MessageType.RST);
  assert.equal(out[0]!.messageId, 0x4242);
});

test('a NON request is answered with a NON response', async () => {
  const s = setup();
  s.server.router.use('/n', () => ({ code: Code.CONTENT }));
  const res = await s.client.request(s.serverPeer, { method: 'GET', path: '/n', confirmable: false });
  assert.equal(res.code, Code.CONTENT);
  assert.deepEqual(
    s.wire().map((x) => x.m.type),
    [MessageType.NON, MessageType.NON],
  );
});

test('one endpoint serves and requests on the same transport', async () => {
  const s = setup();
  s.server.router.use('/s', () => ({ code: Code.CONTENT, payload: new Uint8Array([1]) }));
  s.client.router.use('/c', () => ({ code: Code.CONTENT, payload: new Uint8Array([2]) }));
  const [r1, r2] = await Promise.all([
    s.client.request(s.serverPeer, { method: 'GET', path: '/s' }),
    s.server.request(s.clientPeer, { method: 'GET', path: '/c' }),
  ]);
  assert.deepEqual([r1.payload[0], r2.payload[0]], [1, 2]);
});

test('sender stages wrap request() and handler stages wrap dispatch, first given outermost', async () => {
  const { a, b } = MemoryNetwork.pair();
  const clock = new ManualClock();
  const order: string[] = [];
  const tag =
    (name: string) =>
    (next: ExchangeSender): ExchangeSender => ({
      exchange: async (peer, msg, opts) => {
        order.push(`send:${name}`);
        const res = await next.exchange(peer, msg, opts);
        order.push(`recv:${name}`);
        return res;
      },
    });
  const hstage =
    (name: string) =>
    (next: RequestHandler): RequestHandler =>
    async (req) => {
      order.push(`handle:${name}`);
      const res = await next(req);
      return { ...res, payload: new Uint8Array([...(res.payload ?? []), name.charCodeAt(0)]) };
    };
  const server = new CoapEndpoint(a, { clock, random: lcg(3), handlerStages: [hstage('A')] });
  server.useHandlerStage(hstage('B'));
  server.router.use('/p', () => ({ code: Code.CONTENT, payload: new Uint8Array([0x2d]) }));
  const client = new CoapEndpoint(b, { clock, random: lcg(4), senderStages: [tag('1')] });
  client.useSenderStage(tag('2'));
  const res = await client.request(a.self, { method: 'GET', path: '/p' });
  assert.equal(text.decode(res.payload), '-BA');
  assert.deepEqual(order, ['send:1', 'send:2', 'handle:A', 'handle:B', 'recv:2', 'recv:1']);
});

test('close() rejects pending requests with COAP_CLOSED and later requests too', async () => {
  const s = setup();
  s.net.fate = () => 'drop';
  const p = s.client
    .request(s.serverPeer, { method: 'GET', path: '/x' })
    .catch((e: { code: string }) => e.code);
  await s.client.close();
  assert.equal(await p, 'COAP_CLOSED');
  const later = await s.client
    .request(s.serverPeer, { method: 'GET' })
    .catch((e: { code: string }) => e.code);
  assert.equal(later, 'COAP_CLOSED');
  assert.equal(s.clock.pendingTimers, 0);
});

test('a bad request description rejects without sending anything', async () => {
  const s = setup();
  const e1 = await s.client
    .request(s.serverPeer, { method: 'BREW' as 'GET' })
    .catch((e: { code: string }) => e.code);
  const e2 = await s.client
    .request(s.serverPeer, { method: 'GET', path: ['x'.repeat(300)] })
    .catch((e: { code: string }) => e.code);
  assert.deepEqual([e1, e2], ['COAP_BAD_REQUEST_OPTIONS', 'COAP_BAD_REQUEST_OPTIONS']);
  assert.equal(s.net.log.length, 0);
});

test('random and mutated datagrams never throw, every reply decodes, and the endpoint keeps serving', async () => {
  const s = setup();
  s.server.router.use('', (req) => ({ code: Code.CONTENT, payload: req.payload }));
  const rnd = lcg(99);
  const valid = encodeMessage({
    type: MessageType.CON,
    code: Code.GET,
    messageId: 1,
    token: new Uint8Array([1, 2]),
    options: [{ number: 11, value: new TextEncoder().encode('a') }],
    payload: new Uint8Array([1]),
  });
  for (let i = 0; i < 3000; i++) {
    let bytes: Uint8Array;
    if (i % 2 === 0) {
      bytes = Uint8Array.from({ length: Math.floor(rnd() * 24) }, () => Math.floor(rnd() * 256));
      if (bytes.length > 0) bytes[0] = (bytes[0]! & 0x3f) | 0x40; // version 1, so it is not dropped at once
    } else {
      bytes = Uint8Array.from(valid);
      for (let k = 0; k < 3; k++) bytes[Math.floor(rnd() * bytes.length)] = Math.floor(rnd() * 256);
    }
    s.net.inject(s.clientPeer, s.a, bytes);
  }
  await flush(5);
  await s.clock.advanceAsync(5_000, 1_000);
  const replies = s.net.sentBy(s.a).map((b) => decodeMessage(b)); // throws if any reply is malformed
  assert.ok(replies.length > 0);
  const res = await s.client.request(s.serverPeer, { method: 'GET', path: '/still', payload: 'ok' });
  assert.equal(text.decode(res.payload), 'ok');
});

test('an unencodable handler response becomes a piggybacked 5.00; an unencodable request leaks no NSTART slot', async () => {
  const s = setup();
  s.server.router.use('/bad', () => ({
    code: Code.CONTENT,
    options: [{ number: 70_000, value: new Uint8Array(0) }],
  }));
  s.server.router.use('/good', () => ({ code: Code.CONTENT }));
  const bad = await s.client.request(s.serverPeer, { method: 'GET', path: '/bad' });
  assert.equal(bad.code, Code.INTERNAL_SERVER_ERROR);
  assert.equal(s.wire()[1]!.m.type, MessageType.ACK);
  const e = await s.client
    .request(s.serverPeer, { method: 'GET', options: [{ number: 70_000, value: new Uint8Array(0) }] })
    .catch((x: { code: string }) => x.code);
  assert.equal(e, 'COAP_BAD_REQUEST_OPTIONS');
  const good = await s.client.request(s.serverPeer, { method: 'GET', path: '/good' });
  assert.equal(good.code, Code.CONTENT);
});
