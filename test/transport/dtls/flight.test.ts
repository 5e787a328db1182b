// Flight: packing under the MTU, fragmentation of a large message (RFC 6347 4.2.3), and
// retransmission with doubling timeouts capped at 60 s, bounded retries (4.2.4.1), on a ManualClock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Flight, packFlight, type FlightItem } from '../../../src/transport/dtls/handshake/Flight.js';
import { decodeHandshakeFragments } from '../../../src/transport/dtls/handshake/messages/HandshakeHeader.js';
import { Reassembler } from '../../../src/transport/dtls/handshake/Reassembler.js';
import { EpochKeys } from '../../../src/transport/dtls/record/EpochKeys.js';
import { ContentType, decodeDatagram } from '../../../src/transport/dtls/record/RecordCodec.js';
import { ManualClock } from '../../support/ManualClock.js';

const hs = (messageSeq: number, length: number, msgType = 2): FlightItem => ({
  kind: 'handshake',
  epoch: 0,
  msgType,
  messageSeq,
  body: Uint8Array.from({ length }, (_, i) => i & 0xff),
});

test('small messages share one datagram, one record each', () => {
  const datagrams = packFlight([hs(1, 76), hs(2, 0, 14)], new EpochKeys('server'), 1152);
  assert.equal(datagrams.length, 1);
  const records = decodeDatagram(datagrams[0]!);
  assert.deepEqual(
    records.map((r) => [r.type, r.epoch, r.sequenceNumber]),
    [
      [ContentType.handshake, 0, 0],
      [ContentType.handshake, 0, 1],
    ],
  );
});

test('a message larger than the MTU is fragmented and every datagram stays under it', () => {
  const mtu = 200;
  const datagrams = packFlight([hs(1, 1000)], new EpochKeys('server'), mtu);
  assert.ok(datagrams.length >= 6);
  const reassembler = new Reassembler({}, 1);
  for (const d of datagrams) {
    assert.ok(d.length <= mtu, `datagram of ${d.length} bytes`);
    for (const r of decodeDatagram(d))
      for (const f of decodeHandshakeFragments(r.fragment)) assert.equal(reassembler.add(f), 'accepted');
  }
  const m = reassembler.take();
  assert.equal(m?.body.length, 1000);
  assert.deepEqual(
    m?.body,
    Uint8Array.from({ length: 1000 }, (_, i) => i & 0xff),
  );
});

test('retransmits with doubling timeouts up to 60 s, fresh sequence numbers, then gives up', () => {
  const clock = new ManualClock();
  const sent: { at: number; seq: number }[] = [];
  let gaveUp = 0;
  const flight = new Flight(
    [hs(0, 50, 1)],
    new EpochKeys('client'),
    (d) => sent.push({ at: clock.now(), seq: decodeDatagram(d)[0]!.sequenceNumber }),
    clock,
    { maxRetransmissions: 8 },
    () => gaveUp++,
  );
  flight.start();
  clock.advance(600_000);
  assert.deepEqual(
    sent.map((s) => s.at),
    [0, 1000, 3000, 7000, 15_000, 31_000, 63_000, 123_000, 183_000],
  );
  assert.deepEqual(
    sent.map((s) => s.seq),
    [0, 1, 2, 3, 4, 5, 6, 7, 8],
  );
  assert.equal(gaveUp, 1);
  assert.equal(clock.pendingTimers, 0);
});

test('stop() ends retransmission; a final flight runs no timer but resends on demand', () => {
  const clock = new ManualClock();
  let sent = 0;
  const flight = new Flight(
    [hs(0, 10)],
    new EpochKeys('client'),
    () => sent++,
    clock,
    {},
    () => undefined,
  );
  flight.start();
  flight.stop();
  clock.advance(10_000);
  assert.equal(sent, 1);
  const final = new Flight([hs(3, 12, 20)], new EpochKeys('server'), () => sent++, clock, {}, undefined);
  final.start();
  assert.equal(clock.pendingTimers, 0);
  final.resend();
  assert.equal(sent, 3);
});
