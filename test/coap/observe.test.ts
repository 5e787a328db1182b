// Tests of Observe (RFC 7641) on both sides: registration, notifications and sequence numbers,
// CON/NON choice (24 h rule), replacement of an outstanding CON notification, active and passive
// cancellation, removal on RST and on CON timeout (or, when asked, keeping the observer), and the
// client's freshness rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CoapEndpoint } from '../../src/coap/CoapEndpoint.js';
import { Code, MessageType, OptionNumber, type CoapMessage } from '../../src/coap/CoapMessage.js';
import { decodeMessage, encodeMessage } from '../../src/coap/messageCodec.js';
import { getObserve } from '../../src/coap/options.js';
import { isFresher, FRESHNESS_WINDOW_MS } from '../../src/coap/observe/CoapObservation.js';
import type { ServerObservation } from '../../src/coap/observe/ServerObservation.js';
import type { CoapResponse } from '../../src/coap/CoapResponse.js';
import { ManualClock } from '../support/ManualClock.js';
import { MemoryNetwork, flush } from '../support/MemoryTransport.js';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

function setup(accept = true) {
  const { net, a, b } = MemoryNetwork.pair();
  const clock = new ManualClock();
  const server = new CoapEndpoint(a, { clock, random: lcg(1) });
  const client = new CoapEndpoint(b, { clock, random: lcg(2) });
  const accepted: ServerObservation[] = [];
  server.router.use('/temp', (req) => {
    if (accept) {
      const o = server.acceptObservation(req);
      if (o) accepted.push(o);
    }
    return { code: Code.CONTENT, payload: new Uint8Array([0]) };
  });
  const toClient = () => net.log.filter((d) => d.from.key === a.self.key).map((d) => decodeMessage(d.bytes));
  const toServer = () => net.log.filter((d) => d.from.key === b.self.key).map((d) => decodeMessage(d.bytes));
  return { net, a, b, clock, server, client, accepted, toClient, toServer, serverPeer: a.self };
}

const value = (n: number) => ({ code: Code.CONTENT, payload: new Uint8Array([n]) });

async function take(it: AsyncIterator<CoapResponse>, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = await it.next();
    if (r.done) break;
    out.push(r.value.payload[0]!);
  }
  return out;
}

test('GET with Observe=0 registers; notifications arrive with increasing sequence numbers', async () => {
  const s = setup();
  const obs = s.client.observe(s.serverPeer, { method: 'GET', path: '/temp' });
  const first = await obs.response;
  assert.equal(s.server.observers.size, 1);
  const reg = s.toServer()[0]!;
  assert.equal(getObserve(reg), 0);
  assert.ok(getObserve(first.message) !== undefined);
  assert.equal(s.server.notify('/temp', value(1)), 1);
  s.accepted[0]!.notify(value(2));
  const it = obs[Symbol.asyncIterator]();
  assert.deepEqual(await take(it, 3), [0, 1, 2]);
  const seqs = s.toClient().map((m) => getObserve(m)!);
  assert.equal(seqs[1], seqs[0]! + 1);
  assert.equal(seqs[2], seqs[0]! + 2);
  assert.deepEqual(
    s.toClient().map((m) => m.type),
    [MessageType.ACK, MessageType.NON, MessageType.NON],
  );
});

test('a handler that does not accept gives a plain response; the observation yields it and ends', async () => {
  const s = setup(false);
  const obs = s.client.observe(s.serverPeer, { method: 'GET', path: '/temp' });
  const got: number[] = [];
  for await (const r of obs) got.push(r.payload[0]!);
  assert.deepEqual(got, [0]);
  assert.equal(getObserve(s.toClient()[0]!), undefined);
  assert.equal(s.server.observers.size, 0);
});

test('an error response to a registration does not register', async () => {
  const s = setup();
  const obs = s.client.observe(s.serverPeer, { method: 'GET', path: '/none' });
  const first = await obs.response;
  assert.equal(first.code, Code.NOT_FOUND);
  await flush();
  assert.equal(obs.isEnded, true);
  assert.equal(s.server.observers.size, 0);
});

test('a CON notification is sent on request and acknowledged by the client', async () => {
  const s = setup();
  const obs = s.client.observe(s.serverPeer, { method: 'GET', path: '/temp' });
  await obs.response;
  s.accepted[0]!.notify(value(5), { confirmable: true });
  await flush();
  assert.equal(s.toClient()[1]!.type, MessageType.CON);
  const ack = s.toServer()[1]!;
  assert.equal(ack.type, MessageType.ACK);
  assert.equal(ack.messageId, s.toClient()[1]!.messageId);
  assert.equal(s.accepted[0]!.con, undefined);
});

test('a notification is CON when the last CON was 24 hours ago', async () => {
  const s = setup();
  const obs = s.client.observe(s.serverPeer, { method: 'GET', path: '/temp' });
  await obs.response;
  s.accepted[0]!.notify(value(1));
  s.clock.advance(24 * 3600 * 1000);
  s.accepted[0]!.notify(value(2));
  await flush(); // the client ACKs it (else value 3 would replace it as CON, RFC 7641 4.5.2)
  s.accepted[0]!.notify(value(3));
  await flush();
  assert.deepEqual(
    s.toClient().map((m) => m.type),
    [MessageType.ACK, MessageType.NON, MessageType.CON, MessageType.NON],
  );
  assert.deepEqual(
    s.toServer().map((m) => m.type),
    [MessageType.CON, MessageType.ACK],
  );
});

test('active cancel sends GET Observe=1 with the same token and removes the observer', async () => {
  const s = setup();
  const obs = s.client.observe(s.serverPeer, { method: 'GET', path: '/temp' });
  await obs.response;
  await obs.cancel();
  const msgs = s.toServer();
  const dereg = msgs[msgs.length - 1]!;
  assert.equal(getObserve(dereg), 1);
  assert.deepEqual(dereg.token, msgs[0]!.token);
  assert.equal(s.server.observers.size, 0);
  assert.equal(await s.accepted[0]!.ended, 'deregistered');
  assert.equal(obs.isEnded, true);
});

test('passive cancel: the next notification is rejected with RST and the observer removed', async () => {
  for (const confirmable of [false, true]) {
    const s = setup();
    const obs = s.client.observe(s.serverPeer, { method: 'GET', path: '/temp' });
    for await (const _ of obs) break; // leaving the loop forgets the relation
    s.accepted[0]!.notify(value(9), { confirmable });
    await flush();
    const last = s.toServer().at(-1)!;
    assert.equal(last.type, MessageType.RST);
    assert.equal(s.server.observers.size, 0, `confirmable=${confirmable}`);
    assert.equal(await s.accepted[0]!.ended, 'reset');
  }
});

test('a CON notification that is never acknowledged removes the observer', async () => {
  const s = setup();
  const obs = s.client.observe(s.serverPeer, { method: 'GET', path: '/temp' });
  await obs.response;
  s.net.fate = (d) => (d.from.key === s.a.self.key ? 'drop' : 'deliver');
  s.accepted[0]!.notify(value(1), { confirmable: true });
  await s.clock.advanceAsync(100_000, 10_000);
  assert.equal(s.server.observers.size, 0);
  assert.equal(await s.accepted[0]!.ended, 'timeout');
  assert.equal(s.toClient().length, 6);
});

test('with onNotificationTimeout set, an unacknowledged CON notification is reported and the observer kept', async () => {
  const s = setup();
  const obs = s.client.observe(s.serverPeer, { method: 'GET', path: '/temp' });
  const it = obs[Symbol.asyncIterator]();
  await take(it, 1);
  const server = s.accepted[0]!;
  let timeouts = 0;
  server.onNotificationTimeout = () => void timeouts++;
  s.net.fate = (d) => (d.from.key === s.a.self.key ? 'drop' : 'deliver');
  server.notify(value(1), { confirmable: true });
  await s.clock.advanceAsync(100_000, 10_000);
  assert.equal(timeouts, 1);
  assert.equal(s.server.observers.size, 1);
  assert.equal(server.isActive, true);
  s.net.fate = () => 'deliver';
  server.notify(value(2), { confirmable: true });
  assert.deepEqual(await take(it, 1), [2], 'the relation goes on once the client answers again');
  await obs.cancel();
});

test('a newer notification replaces an outstanding CON one and inherits its retransmission', async () => {
  const s = setup();
  const obs = s.client.observe(s.serverPeer, { method: 'GET', path: '/temp' });
  await obs.response;
  s.net.fate = (d) => (d.from.key === s.a.self.key ? 'drop' : 'deliver');
  s.accepted[0]!.notify(value(1), { confirmable: true });
  s.clock.advance(100);
  s.accepted[0]!.notify(value(2));
  const sent = s.toClient().slice(1);
  assert.deepEqual(
    sent.map((m) => [m.type, m.payload[0]]),
    [
      [MessageType.CON, 1],
      [MessageType.CON, 2],
    ],
  );
  assert.notEqual(sent[0]!.messageId, sent[1]!.messageId);
  s.clock.advance(3_000);
  const retrans = s.toClient().at(-1)!;
  assert.equal(s.toClient().length, 4, 'one retransmission timer, not two');
  assert.equal(retrans.payload[0], 2);
});

test('the server ends an observation with a final response without Observe; the client stream ends', async () => {
  const s = setup();
  const obs = s.client.observe(s.serverPeer, { method: 'GET', path: '/temp' });
  await obs.response;
  s.accepted[0]!.notify({ code: Code.NOT_FOUND });
  const got: number[] = [];
  for await (const r of obs) got.push(r.code);
  assert.deepEqual(got, [Code.CONTENT, Code.NOT_FOUND]);
  assert.equal(await s.accepted[0]!.ended, 'ended');
  assert.equal(s.server.observers.size, 0);
});

test('a registration with the same peer and token replaces the existing entry', async () => {
  const s = setup();
  const c = s.net.bind('10.0.0.9');
  const reg = (mid: number): CoapMessage => ({
    type: MessageType.CON,
    code: Code.GET,
    messageId: mid,
    token: new Uint8Array([7, 7]),
    options: [
      { number: OptionNumber.OBSERVE, value: new Uint8Array(0) },
      { number: OptionNumber.URI_PATH, value: new TextEncoder().encode('temp') },
    ],
    payload: new Uint8Array(0),
  });
  s.net.inject(c.self, s.a, encodeMessage(reg(1)));
  await flush();
  s.net.inject(c.self, s.a, encodeMessage(reg(2)));
  await flush();
  assert.equal(s.server.observers.size, 1);
  assert.equal(await s.accepted[0]!.ended, 'replaced');
  assert.equal(s.accepted[1]!.isActive, true);
});

test('the client drops a stale (reordered) notification', async () => {
  const s = setup();
  const obs = s.client.observe(s.serverPeer, { method: 'GET', path: '/temp' });
  await obs.response;
  const o = s.accepted[0]!;
  o.notify(value(1));
  o.notify(value(2));
  o.sequence -= 2; // the next one carries the sequence number of value 1 again
  o.notify(value(3));
  await flush();
  assert.equal(obs.dropped, 1);
  s.clock.advance(FRESHNESS_WINDOW_MS + 1);
  o.sequence -= 5; // older still, but 128 s later: fresh again
  o.notify(value(4));
  const it = obs[Symbol.asyncIterator]();
  assert.deepEqual(await take(it, 4), [0, 1, 2, 4]);
});

test('freshness follows RFC 7641 3.4 including 24-bit wrap-around', () => {
  const rows: [number, number, number, number, boolean][] = [
    [5, 0, 6, 0, true],
    [6, 0, 5, 0, false],
    [5, 0, 5, 0, false],
    [0xffffff, 0, 0, 0, true], // wrapped
    [0, 0, 0xffffff, 0, false],
    [10, 0, 10 + 2 ** 23, 0, false], // too far ahead means older
    [10, 0, 9, FRESHNESS_WINDOW_MS + 1, true],
    [10, 0, 9, FRESHNESS_WINDOW_MS, false],
  ];
  for (const [v1, t1, v2, t2, fresh] of rows)
    assert.equal(isFresher(v1, t1, v2, t2), fresh, `${v1}->${v2} at ${t2}`);
});

test('a slow consumer keeps only the newest buffered notifications', async () => {
  const { a, b } = MemoryNetwork.pair();
  const clock = new ManualClock();
  const server = new CoapEndpoint(a, { clock, random: lcg(5) });
  const client = new CoapEndpoint(b, { clock, random: lcg(6), limits: { maxBufferedNotifications: 4 } });
  let o: ServerObservation | undefined;
  server.router.use('/t', (req) => ((o = server.acceptObservation(req)), value(0)));
  const obs = client.observe(a.self, { method: 'GET', path: '/t' });
  await obs.response;
  for (let i = 1; i <= 10; i++) o!.notify(value(i));
  await flush();
  const it = obs[Symbol.asyncIterator]();
  assert.deepEqual(await take(it, 4), [7, 8, 9, 10]);
  assert.equal(obs.dropped, 7);
});

test('an observation whose registration times out ends with COAP_TIMEOUT', async () => {
  const s = setup();
  s.net.fate = () => 'drop';
  const obs = s.client.observe(s.serverPeer, { method: 'GET', path: '/temp', timeoutMs: 3_000 });
  const err = obs.response.catch((e: { code: string }) => e.code);
  await s.clock.advanceAsync(3_000, 1_000);
  assert.equal(await err, 'COAP_TIMEOUT');
  await assert.rejects(obs[Symbol.asyncIterator]().next(), { code: 'COAP_TIMEOUT' });
});

test('observation stages wrap the sink in order and get the registration and a base sender', async () => {
  const { a, b } = MemoryNetwork.pair();
  const clock = new ManualClock();
  const server = new CoapEndpoint(a, { clock, random: lcg(7) });
  let o: ServerObservation | undefined;
  server.router.use('/t', (req) => ((o = server.acceptObservation(req)), value(0)));
  server.router.use('/extra', () => value(42));
  const seen: string[] = [];
  const client = new CoapEndpoint(b, {
    clock,
    random: lcg(8),
    observationStages: [
      (sink, registration, base) => ({
        onNotification: (r, seq) => {
          seen.push(`A:${r.payload[0]}:${getObserve(registration)}`);
          if (r.payload[0] === 1)
            void base
              .exchange(
                r.peer,
                {
                  ...registration,
                  token: new Uint8Array(0),
                  options: [{ number: OptionNumber.URI_PATH, value: new TextEncoder().encode('extra') }],
                },
                {},
              )
              .then((x) => sink.onNotification(x, seq));
          else sink.onNotification(r, seq);
        },
        onEnd: (e) => sink.onEnd(e),
      }),
    ],
  });
  client.useObservationStage((sink) => ({
    onNotification: (r, seq) => (seen.push(`B:${r.payload[0]}`), sink.onNotification(r, seq)),
    onEnd: (e) => sink.onEnd(e),
  }));
  const obs = client.observe(a.self, { method: 'GET', path: '/t' });
  await obs.response;
  o!.notify(value(1));
  await flush();
  const it = obs[Symbol.asyncIterator]();
  assert.deepEqual(await take(it, 2), [0, 42]);
  assert.deepEqual(seen, ['A:0:0', 'B:0', 'A:1:0', 'B:42']);
});

test('subscribe(): buffered responses first, then each as it arrives, and one end even when ended from inside', async () => {
  const { CoapObservation } = await import('../../src/coap/observe/CoapObservation.js');
  const obs = new CoapObservation(new ManualClock());
  let forgot = 0;
  obs.attach({ cancel: () => Promise.resolve(), forget: () => void forgot++ });
  const res = (payload: string): CoapResponse =>
    ({
      code: Code.CONTENT,
      payload: new TextEncoder().encode(payload),
      options: [],
    }) as unknown as CoapResponse;
  obs.onNotification(res('first'), 1);
  obs.onNotification(res('second'), 2);
  const seen: string[] = [];
  let ends = 0;
  obs.subscribe({
    onValue: (r) => {
      seen.push(new TextDecoder().decode(r.payload));
      if (seen.length === 4) obs.forget(); // e.g. an error code ends the relation from inside
    },
    onEnd: (e) => {
      ends++;
      assert.equal(e, undefined);
    },
  });
  assert.deepEqual(seen, ['first', 'second']);
  obs.onNotification(res('stale'), 1); // RFC 7641 3.4: older than 2, dropped
  obs.onNotification(res('third'), 3);
  obs.onNotification(res('fourth'), 4);
  obs.onNotification(res('after the end'), 5);
  assert.deepEqual(seen, ['first', 'second', 'third', 'fourth']);
  assert.equal(ends, 1);
  assert.equal(forgot, 1);
  assert.throws(
    () => obs.subscribe({ onValue: () => undefined, onEnd: () => undefined }),
    /already has a consumer/,
  );
});
