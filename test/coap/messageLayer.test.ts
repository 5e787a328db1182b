// Tests of the CoAP message layer (RFC 7252 section 4): retransmission timing, ACK/RST matching,
// deduplication, piggybacked and separate responses, rejection with RST, NSTART.
import { test } from '../support/isolatedTest.js';
import assert from 'node:assert/strict';
import { MessageLayer, type MessageLayerUpper, type ConListener } from '../../src/coap/MessageLayer.js';
import { MessageType, type CoapMessage } from '../../src/coap/CoapMessage.js';
import { decodeMessage, encodeMessage } from '../../src/coap/messageCodec.js';
import { deriveParams } from '../../src/coap/transmissionParams.js';
import type { CoapError } from '../../src/coap/errors.js';
import { ManualClock } from '../support/ManualClock.js';
import { MemoryNetwork, flush } from '../support/MemoryTransport.js';
import { makePeer } from '../../src/transport/Peer.js';
import { DATAGRAM_QUEUED } from '../../src/transport/DatagramTransport.js';
import { hex, toHexString } from '../support/RawCoapPeer.js';

function msg(
  type: number,
  code: number,
  messageId: number,
  token: Uint8Array = new Uint8Array([1, 2]),
): CoapMessage {
  return {
    type: type as CoapMessage['type'],
    code,
    messageId,
    token,
    options: [],
    payload: new Uint8Array(0),
  };
}

function setup(params = {}, upperOverrides: Partial<MessageLayerUpper> = {}, random = () => 0.5) {
  const { net, a, b } = MemoryNetwork.pair();
  const clock = new ManualClock(1_000_000);
  const requests: CoapMessage[] = [];
  const responses: CoapMessage[] = [];
  const resets: number[] = [];
  const upper: MessageLayerUpper = {
    onRequest: (m) => void requests.push(m),
    onResponse: (m) => (responses.push(m), true),
    onUnmatchedReset: (_p, mid) => void resets.push(mid),
    ...upperOverrides,
  };
  const layer = new MessageLayer(a, upper, { clock, random, params: deriveParams(params) });
  a.onDatagram((bytes, peer) => layer.receive(bytes, peer));
  const fromB = (m: CoapMessage | Uint8Array) =>
    net.inject(b.self, a, m instanceof Uint8Array ? m : encodeMessage(m));
  const sent = () => net.sentBy(a).map((x) => decodeMessage(x));
  return { net, a, b, clock, layer, requests, responses, resets, fromB, sent, peerB: b.self };
}

class Recorder implements ConListener {
  acks: CoapMessage[] = [];
  errors: CoapError[] = [];
  onAck(ack: CoapMessage): void {
    this.acks.push(ack);
  }
  onFail(e: CoapError): void {
    this.errors.push(e);
  }
}

test('retransmits a CON at ACK_TIMEOUT * random factor, doubling, then gives up after MAX_RETRANSMIT', async () => {
  const s = setup();
  const rec = new Recorder();
  const times: number[] = [];
  s.net.fate = () => (times.push(s.clock.now() - 1_000_000), 'drop');
  s.layer.sendCon(s.peerB, msg(0, 1, 0), rec);
  s.clock.advance(77_499);
  assert.deepEqual(times, [0, 2_500, 7_500, 17_500, 37_500]);
  assert.equal(rec.errors.length, 0);
  s.clock.advance(1);
  assert.equal(rec.errors[0]?.code, 'COAP_TIMEOUT');
  assert.equal(times.length, 5);
  assert.equal(s.layer.outstandingCount, 0);
  await flush();
});

test('honours configured ACK_TIMEOUT, factor and MAX_RETRANSMIT', () => {
  const s = setup({ ackTimeoutMs: 1_000, ackRandomFactor: 2, maxRetransmit: 2 }, {}, () => 0);
  const rec = new Recorder();
  const times: number[] = [];
  s.net.fate = () => (times.push(s.clock.now() - 1_000_000), 'drop');
  s.layer.sendCon(s.peerB, msg(0, 1, 0), rec);
  s.clock.advance(100_000);
  assert.deepEqual(times, [0, 1_000, 3_000]);
  assert.equal(rec.errors[0]?.code, 'COAP_TIMEOUT');
});

test('an ACK with the MID stops retransmission and reaches the listener; a foreign MID does not', async () => {
  const s = setup();
  const rec = new Recorder();
  const t = s.layer.sendCon(s.peerB, msg(0, 1, 0), rec);
  s.fromB(msg(MessageType.ACK, 0x45, (t.messageId + 1) & 0xffff));
  await flush();
  assert.equal(rec.acks.length, 0);
  s.fromB(msg(MessageType.ACK, 0x45, t.messageId));
  await flush();
  assert.equal(rec.acks.length, 1);
  s.clock.advance(100_000);
  assert.equal(s.sent().length, 1);
  assert.equal(rec.errors.length, 0);
});

test('an RST with the MID fails the CON with COAP_RESET', async () => {
  const s = setup();
  const rec = new Recorder();
  const t = s.layer.sendCon(s.peerB, msg(0, 1, 0), rec);
  s.fromB(msg(MessageType.RST, 0, t.messageId, new Uint8Array(0)));
  await flush();
  assert.equal(rec.errors[0]?.code, 'COAP_RESET');
  assert.deepEqual(s.resets, []);
});

test('message IDs start at a random value and count up', () => {
  const s = setup({}, {}, () => 0.25);
  s.layer.sendNon(s.peerB, msg(1, 1, 0));
  s.layer.sendNon(s.peerB, msg(1, 1, 0));
  assert.deepEqual(
    s.sent().map((m) => m.messageId),
    [0x4000, 0x4001],
  );
});

test('a synchronous answer to a CON request is piggybacked in the ACK', async () => {
  const s = setup(
    {},
    {
      onRequest: (m, peer) => s.layer.respond(peer, m, { ...msg(0, 0x45, 0, m.token), payload: hex('6869') }),
    },
  );
  s.fromB(msg(MessageType.CON, 1, 0x1234));
  await flush();
  assert.equal(toHexString(s.net.sentBy(s.a)[0]!), '6245123401' + '02ff6869');
});

test('a duplicate CON is processed once and gets the same ACK bytes again', async () => {
  let calls = 0;
  const s = setup(
    {},
    {
      onRequest: (m, peer) => (calls++, s.layer.respond(peer, m, msg(0, 0x45, 0, m.token))),
    },
  );
  s.fromB(msg(MessageType.CON, 1, 7));
  s.fromB(msg(MessageType.CON, 1, 7));
  await flush();
  s.clock.advance(200_000);
  s.fromB(msg(MessageType.CON, 1, 7));
  await flush();
  assert.equal(calls, 1);
  const out = s.net.sentBy(s.a).map(toHexString);
  assert.equal(out.length, 3);
  assert.equal(new Set(out).size, 1);
});

test('a CON reusing a recent MID with a new token is processed as a new request', async () => {
  let calls = 0;
  const s = setup(
    {},
    { onRequest: (m, peer) => (calls++, s.layer.respond(peer, m, msg(0, 0x45, 0, m.token))) },
  );
  s.fromB(msg(MessageType.CON, 1, 7, new Uint8Array([1])));
  s.fromB(msg(MessageType.CON, 1, 7, new Uint8Array([2])));
  await flush();
  assert.equal(calls, 2);
  assert.deepEqual(
    s.sent().map((m) => m.token[0]),
    [1, 2],
  );
});

test('a duplicate remembered past EXCHANGE_LIFETIME is processed again', async () => {
  let calls = 0;
  const s = setup(
    {},
    { onRequest: (m, peer) => (calls++, s.layer.respond(peer, m, msg(0, 0x45, 0, m.token))) },
  );
  s.fromB(msg(MessageType.CON, 1, 7));
  await flush();
  s.clock.advance(247_001);
  s.fromB(msg(MessageType.CON, 1, 7));
  await flush();
  assert.equal(calls, 2);
});

test('a duplicate NON request is ignored', async () => {
  const s = setup();
  s.fromB(msg(MessageType.NON, 1, 9));
  s.fromB(msg(MessageType.NON, 1, 9));
  await flush();
  assert.equal(s.requests.length, 1);
  assert.equal(s.net.sentBy(s.a).length, 0);
});

test('a slow answer gets an empty ACK after ACK_TIMEOUT/2, then goes as a separate CON', async () => {
  const s = setup();
  s.fromB(msg(MessageType.CON, 1, 0x0101));
  s.fromB(msg(MessageType.CON, 1, 0x0101)); // duplicate while pending: ignored
  await flush();
  assert.equal(s.requests.length, 1);
  assert.equal(s.net.sentBy(s.a).length, 0);
  s.clock.advance(999);
  assert.equal(s.net.sentBy(s.a).length, 0);
  s.clock.advance(1);
  assert.equal(toHexString(s.net.sentBy(s.a)[0]!), '60000101');
  s.fromB(msg(MessageType.CON, 1, 0x0101)); // duplicate after the empty ACK: ACKed again
  await flush();
  assert.equal(toHexString(s.net.sentBy(s.a)[1]!), '60000101');
  const rec = new Recorder();
  const t = s.layer.respond(s.peerB, s.requests[0]!, msg(0, 0x45, 0, s.requests[0]!.token), rec);
  assert.ok(t);
  const sep = s.sent()[2]!;
  assert.equal(sep.type, MessageType.CON);
  assert.equal(sep.code, 0x45);
  assert.notEqual(sep.messageId, 0x0101);
  s.clock.advance(2_500);
  assert.equal(s.sent().length, 4, 'separate response is retransmitted');
  s.fromB(msg(MessageType.ACK, 0, sep.messageId, new Uint8Array(0)));
  await flush();
  assert.equal(rec.acks.length, 1);
});

test('a response for nobody is rejected with RST; a duplicate of it gets the RST again', async () => {
  const s = setup({}, { onResponse: () => false });
  s.fromB(msg(MessageType.CON, 0x45, 0x2222));
  s.fromB(msg(MessageType.NON, 0x45, 0x2223));
  s.fromB(msg(MessageType.CON, 0x45, 0x2222));
  await flush();
  assert.deepEqual(s.net.sentBy(s.a).map(toHexString), ['70002222', '70002223', '70002222']);
});

test('a wanted separate CON response is ACKed', async () => {
  const s = setup();
  s.fromB(msg(MessageType.CON, 0x45, 0x3333));
  await flush();
  assert.equal(s.responses.length, 1);
  assert.deepEqual(s.net.sentBy(s.a).map(toHexString), ['60003333']);
});

test('malformed messages: a CON is reset, a NON, ACK or other version is ignored', async () => {
  const s = setup();
  s.fromB(hex('42 01 abcd 01')); // CON, TKL 2 but only 1 token byte
  s.fromB(hex('52 01 abce 01')); // NON, same fault
  s.fromB(hex('62 45 abcf 01')); // ACK, same fault
  s.fromB(hex('80 01 abd0')); // version 2
  s.fromB(hex('40 01')); // too short for a header
  await flush();
  assert.deepEqual(s.net.sentBy(s.a).map(toHexString), ['7000abcd']);
  assert.equal(s.requests.length, 0);
});

test('an empty CON (CoAP ping) and a reserved-class CON are answered with RST', async () => {
  const s = setup();
  s.fromB(hex('40 00 0102'));
  s.fromB(msg(MessageType.CON, 0xc1, 0x0103)); // class 6
  s.fromB(msg(MessageType.NON, 0xc1, 0x0104));
  await flush();
  assert.deepEqual(s.net.sentBy(s.a).map(toHexString), ['70000102', '70000103']);
});

test('an RST matching no CON goes to onUnmatchedReset', async () => {
  const s = setup();
  s.fromB(msg(MessageType.RST, 0, 0x0505, new Uint8Array(0)));
  await flush();
  assert.deepEqual(s.resets, [0x0505]);
});

test('ACKs and RSTs from a source we never sent to are matched to nothing and take no peer index', async () => {
  const s = setup();
  s.fromB(msg(MessageType.ACK, 0x45, 0x0606)); // a piggybacked 2.05 for nobody
  s.fromB(msg(MessageType.ACK, 0, 0x0607, new Uint8Array(0)));
  s.fromB(msg(MessageType.RST, 0, 0x0608, new Uint8Array(0)));
  await flush();
  assert.equal(s.layer.peerCount, 0, 'matching looks the peer up, it does not enrol it');
  assert.deepEqual(s.resets, [0x0608]);
  assert.deepEqual(s.responses, []);
  // Once we send a CON to that peer, its ACK is matched (the same lookup, now finding the index).
  const r = new Recorder();
  s.layer.sendCon(s.peerB, msg(MessageType.CON, 1, 0), r);
  await flush();
  const [con] = s.sent();
  assert.equal(s.layer.peerCount, 1);
  s.fromB(msg(MessageType.ACK, 0x45, con!.messageId, con!.token));
  await flush();
  assert.equal(r.acks.length, 1);
});

test('NSTART=1 queues further CON requests to the same peer in order, not to others', async () => {
  const s = setup();
  const c = s.net.bind('10.0.0.3');
  const recs = [new Recorder(), new Recorder(), new Recorder()];
  s.layer.sendCon(s.peerB, { ...msg(0, 1, 0), payload: hex('01') }, recs[0]!);
  s.layer.sendCon(s.peerB, { ...msg(0, 1, 0), payload: hex('02') }, recs[1]!);
  s.layer.sendCon(c.self, { ...msg(0, 1, 0), payload: hex('03') }, recs[2]!);
  let sent = s.sent();
  assert.deepEqual(
    sent.map((m) => m.payload[0]),
    [1, 3],
  );
  s.fromB(msg(MessageType.ACK, 0, sent[0]!.messageId, new Uint8Array(0)));
  await flush();
  sent = s.sent();
  assert.deepEqual(
    sent.map((m) => m.payload[0]),
    [1, 3, 2],
  );
  assert.equal(recs[0]!.acks.length, 1);
});

test('NSTART is counted per peer across thousands of peers, and a freed slot serves the next queued request', async () => {
  const s = setup();
  const peers = Array.from({ length: 3000 }, (_, i) => makePeer(`10.2.${i >> 8}.${i & 255}`, 5683));
  for (const p of peers) s.layer.sendCon(p, msg(0, 1, 0), new Recorder());
  assert.equal(s.net.log.length, 3000, 'one request per peer goes out at once');
  // a second request to the last peer waits for its first, and goes out when that one is answered
  const second = new Recorder();
  s.layer.sendCon(peers[2999]!, { ...msg(0, 1, 0), payload: hex('02') }, second);
  assert.equal(s.net.log.length, 3000);
  const first = decodeMessage(s.net.log[2999]!.bytes);
  s.net.inject(peers[2999]!, s.a, encodeMessage(msg(MessageType.ACK, 0, first.messageId, new Uint8Array(0))));
  await flush();
  assert.equal(s.net.log.length, 3001);
  assert.equal(decodeMessage(s.net.log[3000]!.bytes).payload[0], 2);
  assert.equal(s.net.log[3000]!.to.key, peers[2999]!.key);
});

test('NSTART is configurable and a full queue fails with COAP_QUEUE_FULL', () => {
  const { net, a, b } = MemoryNetwork.pair();
  const clock = new ManualClock();
  const noUpper: MessageLayerUpper = {
    onRequest: () => {},
    onResponse: () => true,
    onUnmatchedReset: () => {},
  };
  const layer = new MessageLayer(a, noUpper, {
    clock,
    random: () => 0,
    params: deriveParams({ nstart: 2 }),
    maxQueuedPerPeer: 1,
  });
  const recs = Array.from({ length: 4 }, () => new Recorder());
  for (const r of recs) layer.sendCon(b.self, msg(0, 1, 0), r);
  assert.equal(net.sentBy(a).length, 2);
  assert.equal(recs[2]!.errors.length, 0);
  assert.equal(recs[3]!.errors[0]?.code, 'COAP_QUEUE_FULL');
});

test('a cancelled queued request never goes out, and close() fails the rest with COAP_CLOSED', async () => {
  const s = setup();
  const r1 = new Recorder();
  const r2 = new Recorder();
  s.layer.sendCon(s.peerB, msg(0, 1, 0), r1);
  const queued = s.layer.sendCon(s.peerB, msg(0, 1, 0), r2);
  s.layer.cancel(queued);
  s.layer.close();
  assert.equal(r1.errors[0]?.code, 'COAP_CLOSED');
  assert.equal(r2.errors.length, 0);
  assert.equal(s.sent().length, 1);
  s.clock.advance(100_000);
  assert.equal(s.sent().length, 1);
});

test('a separate response to a NON request goes as NON', async () => {
  const s = setup();
  s.fromB(msg(MessageType.NON, 1, 0x0606));
  await flush();
  s.layer.respond(s.peerB, s.requests[0]!, msg(0, 0x45, 0, s.requests[0]!.token));
  assert.equal(s.sent()[0]!.type, MessageType.NON);
});

test('a final send failure (peer refused the session) ends the CON at once; a plain one is retransmitted', async () => {
  const s = setup();
  const refusal = Object.assign(new Error('DTLS handshake failed: peer sent alert 49'), {
    finalSendFailure: true,
  });
  const failures: unknown[] = [refusal, new Error('lost')];
  const send = s.a.send.bind(s.a);
  s.a.send = (peer, bytes) => {
    const e = failures.shift();
    return e ? Promise.reject(e) : send(peer, bytes);
  };
  const refused = new Recorder();
  s.layer.sendCon(s.peerB, msg(0, 1, 0), refused);
  await flush();
  assert.equal(refused.errors.length, 1, 'failed without waiting for a retransmission');
  assert.equal(refused.errors[0]!.code, 'COAP_SEND_FAILED');
  assert.equal(refused.errors[0]!.cause, refusal);

  const lost = new Recorder();
  s.layer.sendCon(s.peerB, msg(0, 1, 0, new Uint8Array([3])), lost);
  await flush();
  assert.deepEqual(lost.errors, [], 'an ordinary send error is a lost datagram');
  s.clock.advance(3_000);
  await flush();
  assert.equal(s.sent().length, 1, 'retransmitted after ACK_TIMEOUT');
});

test('a send the transport queued at once (DATAGRAM_QUEUED) gets no handler; any other promise is still watched', async () => {
  const s = setup();
  const send = s.a.send.bind(s.a);
  let attached = 0;
  const count = () => {
    attached++;
    return DATAGRAM_QUEUED;
  };
  // Own properties shadow Promise.prototype's for this one instance while the test runs.
  Object.defineProperty(DATAGRAM_QUEUED, 'catch', { value: count, configurable: true });
  Object.defineProperty(DATAGRAM_QUEUED, 'then', { value: count, configurable: true });
  try {
    s.a.send = (peer, bytes) => {
      void send(peer, bytes);
      return DATAGRAM_QUEUED;
    };
    s.layer.sendCon(s.peerB, msg(0, 1, 0), new Recorder()); // a CON request (sendOutstanding)
    s.fromB(msg(MessageType.CON, 0x45, 0x0707)); // a CON response: the layer ACKs it (send)
    await flush();
    assert.equal(s.sent().length, 2);
    assert.equal(attached, 0);
  } finally {
    delete (DATAGRAM_QUEUED as { catch?: unknown }).catch;
    delete (DATAGRAM_QUEUED as { then?: unknown }).then;
  }
  // A promise of its own is watched as before: a final failure still ends the CON at once.
  const t = setup();
  t.a.send = () => Promise.reject(Object.assign(new Error('refused'), { finalSendFailure: true }));
  const refused = new Recorder();
  t.layer.sendCon(t.peerB, msg(0, 1, 0), refused);
  await flush();
  assert.equal(refused.errors[0]?.code, 'COAP_SEND_FAILED');
});
