// Issue 16 item 3: the per-client CoAP message log (CoapMessageLog.ts, coapMessageSummary.ts,
// tapTransport.ts): what an entry says, RTT, bounds (ring, watched endpoints, watch expiry) and the
// tap that costs nothing while nothing is watched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Code, MessageType } from '../../src/coap/CoapMessage.js';
import { encodeMessage } from '../../src/coap/messageCodec.js';
import { uriPathOptions } from '../../src/coap/options.js';
import { CoapMessageLog } from '../../src/server/CoapMessageLog.js';
import { summarizeCoapMessage } from '../../src/server/coapMessageSummary.js';
import { tapTransport } from '../../src/server/tapTransport.js';
import type { DatagramHandler, DatagramTransport } from '../../src/transport/DatagramTransport.js';
import { ManualClock } from '../support/ManualClock.js';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s/g, ''), 'hex'));
const get = (mid: number, token: number[]) =>
  encodeMessage({
    type: MessageType.CON,
    code: Code.GET,
    messageId: mid,
    token: Uint8Array.from(token),
    options: uriPathOptions('/3/0/0'),
    payload: new Uint8Array(),
  });
const ack = (mid: number, token: number[], payload = 'OMA') =>
  encodeMessage({
    type: MessageType.ACK,
    code: Code.CONTENT,
    messageId: mid,
    token: Uint8Array.from(token),
    options: [{ number: 12, value: new Uint8Array() }],
    payload: new TextEncoder().encode(payload),
  });

function newLog(limits = {}) {
  const clock = new ManualClock(1_000);
  return { clock, log: new CoapMessageLog(limits, clock, { now: () => 1_700_000_000_000 + clock.now() }) };
}

test('sums a datagram up: type, code and its name, message id, token, options in short, payload size', () => {
  // RFC 7252 section 3: CON POST, MID 0x1234, token 0xab, Uri-Path "rd", Uri-Query "ep=x", payload "</1/0>"
  const s = summarizeCoapMessage(hex('41 02 1234 ab b2 7264 44 65703d78 ff 3c2f312f303e'));
  assert.deepEqual(s, {
    type: 'CON',
    code: '0.02',
    codeName: 'POST',
    messageId: 0x1234,
    token: 'ab',
    options: '/rd?ep=x',
    payloadBytes: 6,
    kind: 'request',
  });
  assert.equal(summarizeCoapMessage(hex('60 00 0007')).kind, 'empty');
  assert.equal(summarizeCoapMessage(hex('70 00 0007')).type, 'RST');
  assert.deepEqual(summarizeCoapMessage(hex('ff ff')), {
    type: '?',
    code: '',
    codeName: '',
    messageId: 0,
    token: '',
    options: '',
    payloadBytes: 2,
    kind: 'invalid',
  });
});

test('records only watched peers; a response gets the RTT of the request with its token', () => {
  const { clock, log } = newLog();
  const seen: string[] = [];
  log.onEntry((ep, e) => seen.push(`${ep} ${e.direction} ${e.type} ${e.code}`));
  log.record('out', 'peerA', get(1, [9]));
  assert.equal(log.active, false);
  assert.ok(log.watch('a', 'peerA'));
  assert.equal(log.active, true);
  log.record('out', 'peerA', get(2, [7]));
  log.record('out', 'peerB', get(3, [7]));
  clock.advance(42);
  log.record('in', 'peerA', ack(2, [7]));
  const entries = log.entries('a')!;
  assert.deepEqual(
    entries.map((e) => [e.direction, e.type, e.codeName, e.messageId, e.token, e.options, e.rttMs]),
    [
      ['out', 'CON', 'GET', 2, '07', '/3/0/0', undefined],
      ['in', 'ACK', '2.05 Content', 2, '07', 'cf=0', 42],
    ],
  );
  assert.deepEqual(seen, ['a out CON 0.01', 'a in ACK 2.05']);
  assert.equal(log.entries('b'), undefined);
});

test('keeps the last entriesPerEndpoint messages, refuses a watch over maxWatched, ends unrenewed watches', () => {
  const { clock, log } = newLog({ entriesPerEndpoint: 3, maxWatched: 2, watchTtlMs: 60_000 });
  log.watch('a', 'pa');
  for (let mid = 1; mid <= 5; mid++) log.record('in', 'pa', get(mid, [mid]));
  assert.deepEqual(
    log.entries('a')!.map((e) => e.messageId),
    [3, 4, 5],
  );
  assert.ok(log.watch('b', 'pb'));
  assert.equal(log.watch('c', 'pc'), undefined);
  assert.equal(log.stats().refusedWatches, 1);
  clock.advance(30_000);
  log.watch('a', 'pa'); // renewed: lives to 90 000
  clock.advance(30_001);
  assert.equal(log.isWatched('b'), false);
  assert.equal(log.isWatched('a'), true);
  clock.advance(30_000);
  log.record('in', 'pa', get(6, [6]));
  assert.equal(log.isWatched('a'), false);
  assert.equal(log.active, false);
  assert.equal(log.stats().expiredWatches, 2);
});

test('follows a watched client to a new peer; clear empties the ring, unwatch ends the watch', () => {
  const { log } = newLog();
  log.watch('a', 'old');
  log.moved('a', 'new');
  log.record('in', 'old', get(1, [1]));
  log.record('in', 'new', get(2, [2]));
  assert.deepEqual(
    log.entries('a')!.map((e) => e.messageId),
    [2],
  );
  assert.equal(log.clear('a'), true);
  assert.deepEqual(log.entries('a'), []);
  assert.equal(log.unwatch('a'), true);
  assert.equal(log.unwatch('a'), false);
});

test('the tap hands the endpoint its own handler while nothing is watched, and taps both ways while watching', async () => {
  const { log } = newLog();
  let installed: DatagramHandler | undefined;
  const sent: Uint8Array[] = [];
  const inner: DatagramTransport = {
    send: async (_peer, bytes) => void sent.push(bytes),
    onDatagram: (h) => void (installed = h),
    address: () => ({ address: '127.0.0.1', port: 1, family: 'IPv4' }),
    maxDatagramSize: 1152,
    reliable: false,
    close: async () => undefined,
  };
  const tapped = tapTransport(inner, log);
  const received: number[] = [];
  const handler: DatagramHandler = (bytes) => void received.push(bytes.length);
  tapped.onDatagram(handler);
  assert.equal(installed, handler, 'no wrapper on the receive path while nothing is watched');
  const peer = { key: 'pa', address: '127.0.0.1', port: 9, family: 'IPv4' as const };
  log.watch('a', 'pa');
  assert.notEqual(installed, handler);
  installed!(get(1, [1]), peer);
  await tapped.send(peer, ack(1, [1]));
  assert.deepEqual(received, [get(1, [1]).length]);
  assert.equal(sent.length, 1);
  assert.deepEqual(
    log.entries('a')!.map((e) => e.direction),
    ['in', 'out'],
  );
  log.unwatch('a');
  assert.equal(installed, handler, 'the endpoint handler is back once nothing is watched');
  assert.equal(tapped.maxDatagramSize, 1152);
});
