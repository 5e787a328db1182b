// Handshakes that fail leave nothing behind (research/dtls.md 6.3; californium#826/#1699 kept
// failed and unfinished handshakes): DTLS_LEAK_HANDSHAKES client handshakes (default 20 000,
// ~0.75 CPU-ms each here; .ci/run runs 100 000) against one server on a ManualClock, in batches
// of 250 concurrent ones, each batch failing at one of five stages: a wrong PSK (the client's
// Finished does not authenticate: dropped, then the deadline), an unknown identity
// (unknown_psk_identity alert), a timeout mid-flight (the client's second flight never arrives),
// a fatal alert from the client in place of that flight, and a tampered Finished.
// As soon as a batch has ended on both sides no timer is live on the clock (flights and
// deadlines cancelled, not left to fire), no handshake is in progress, no connection exists, no
// Map, Set or array of the server holds more than after the first batch (heldState.ts), and the
// heap after GC stays within a loose bound.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DtlsTransport } from '../../../src/transport/dtls/DtlsTransport.js';
import { encodeAlert } from '../../../src/transport/dtls/handshake/alerts.js';
import {
  ContentType,
  decodeDatagram,
  DtlsVersion,
  encodeDatagram,
} from '../../../src/transport/dtls/record/RecordCodec.js';
import type { Peer } from '../../../src/transport/Peer.js';
import { ManualClock } from '../../support/ManualClock.js';
import { CAPTURE_PSK } from './captures.js';
import { heapAfterGc, heldEntries } from './heldState.js';
import { LockstepNet, type InFlight } from './LockstepNet.js';

const TOTAL = Number(process.env.DTLS_LEAK_HANDSHAKES ?? 20_000);
if (!Number.isSafeInteger(TOTAL) || TOTAL < 100)
  throw new Error(`DTLS_LEAK_HANDSHAKES must be an integer >= 100, got ${process.env.DTLS_LEAK_HANDSHAKES}`);
/** Concurrent handshakes per batch (the server's cap is 1024). */
const BATCH = 250;
const DEADLINE_MS = 10_000;
const HEAP_SLACK = 16 * 1024 * 1024;

const STAGES = [
  'wrong PSK',
  'unknown identity',
  'timeout mid-flight',
  'alert from the peer',
  'bad Finished',
] as const;
type Stage = (typeof STAGES)[number];

/** Bytes of the client's n-th datagram as `stage` makes them (undefined: lost). */
function clientFate(stage: Stage, n: number, bytes: Uint8Array): Uint8Array | undefined {
  if (n < 2) return bytes; // the two ClientHellos: the server has a handshake after the second
  switch (stage) {
    case 'timeout mid-flight':
      return undefined;
    case 'alert from the peer':
      // a fatal handshake_failure in epoch 0 instead of ClientKeyExchange..Finished
      return encodeDatagram([
        {
          type: ContentType.alert,
          version: DtlsVersion.dtls12,
          epoch: 0,
          sequenceNumber: 2 + n,
          fragment: encodeAlert(2, 40),
        },
      ]);
    case 'bad Finished':
      return encodeDatagram(
        decodeDatagram(bytes).map((r) => {
          if (r.epoch !== 1) return r;
          const fragment = Uint8Array.from(r.fragment);
          fragment[fragment.length - 1]! ^= 0x01;
          return { ...r, fragment };
        }),
      );
    default:
      return bytes;
  }
}

test(`${TOTAL} handshakes failing at five stages leave no handshake, connection, timer or table entry`, async () => {
  const clock = new ManualClock(0);
  const net = new LockstepNet();
  const server = new DtlsTransport(net.bind('10.0.0.1', 5684), {
    role: 'server',
    clock,
    pskFor: async (identity) => (identity === 'id1' ? CAPTURE_PSK : undefined),
    handshakeTimeoutMs: DEADLINE_MS,
    connectionIdLength: 6,
  });
  const target: Peer = { address: '10.0.0.1', port: 5684, family: 'IPv4', key: '10.0.0.1|5684' };
  // one client address per slot of a batch; each handshake gets a new client DtlsTransport on
  // it (its credentials depend on the stage), the previous one having been checked empty
  const clients = Array.from({ length: BATCH }, (_, i) => {
    const inner = net.bind(`10.1.${i >> 8}.${i & 255}`, 40_000 + i);
    return { inner, stage: STAGES[0] as Stage, sent: 0, client: undefined as DtlsTransport | undefined };
  });
  const byKey = new Map(clients.map((c) => [c.inner.self.key, c]));
  net.fate = (d: InFlight) => {
    const c = byKey.get(d.from.key);
    return c ? clientFate(c.stage, c.sent++, d.bytes) : d.bytes;
  };

  let baseline: Map<string, number> | undefined;
  let heapBefore = 0;
  const failures = new Map<Stage, number>();
  const started = performance.now();
  for (let done = 0, batch = 0; done < TOTAL; batch++) {
    const size = Math.min(BATCH, TOTAL - done);
    const outcomes: Promise<void>[] = [];
    for (let i = 0; i < size; i++) {
      const c = clients[i]!;
      c.stage = STAGES[batch % STAGES.length]!;
      c.sent = 0;
      // the client's credentials for this stage: a wrong key, or an unknown identity
      const psk =
        c.stage === 'wrong PSK'
          ? { identity: 'id1', key: Buffer.from('not the key') }
          : c.stage === 'unknown identity'
            ? { identity: 'nobody', key: CAPTURE_PSK }
            : { identity: 'id1', key: CAPTURE_PSK };
      c.client = new DtlsTransport(c.inner, { role: 'client', clock, handshakeTimeoutMs: DEADLINE_MS, psk });
      const stage = c.stage;
      outcomes.push(
        c.client.send(target, Uint8Array.of(1, 2, 3)).then(
          () => assert.fail(`a handshake meant to fail (${stage}) completed`),
          () => void failures.set(stage, (failures.get(stage) ?? 0) + 1),
        ),
      );
    }
    // run the batch until every handshake on both sides has ended, moving time 1 s at a time
    // (retransmissions, deadlines): then no timer may be left, whichever stage it failed at
    const clientsOfBatch = clients.slice(0, size);
    const running = (): boolean =>
      server.handshakesInProgress > 0 || clientsOfBatch.some((c) => c.client!.handshakesInProgress > 0);
    assert.ok(await net.pump(), 'the network settles');
    for (let t = 0; running() && t < DEADLINE_MS + 5_000; t += 1_000) {
      clock.advance(1_000);
      assert.ok(await net.pump(), 'the network settles');
    }
    assert.equal(
      clock.pendingTimers,
      0,
      `batch ${batch} (${clientsOfBatch[0]!.stage}): timers left once all ended`,
    );
    await Promise.all(outcomes);
    done += size;
    assert.equal(server.handshakesInProgress, 0, `batch ${batch}: server handshakes`);
    assert.equal(server.connectionCount, 0, `batch ${batch}: server connections`);
    for (const c of clientsOfBatch) {
      assert.equal(c.client!.handshakesInProgress, 0, `batch ${batch}: client handshakes`);
      assert.equal(c.client!.connectionCount, 0, `batch ${batch}: client connections`);
    }
    const held = heldEntries(server, [clock, net]).byPath;
    if (baseline === undefined) {
      baseline = held;
      heapBefore = heapAfterGc();
    } else {
      for (const [path, n] of held)
        assert.ok(
          n <= (baseline.get(path) ?? 0),
          `batch ${batch}: server ${path} holds ${n} (${baseline.get(path) ?? 0} after the first batch)`,
        );
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const heapGrowth = heapAfterGc() - heapBefore;
  console.log(
    `${TOTAL} failed handshakes in ${seconds.toFixed(1)} s (${Math.round(TOTAL / seconds)}/s), ` +
      `${net.delivered} datagrams, heap ${(heapGrowth / 1024).toFixed(0)} KiB, ` +
      [...failures].map(([s, n]) => `${s}: ${n}`).join(', '),
  );
  for (const s of STAGES) assert.ok((failures.get(s) ?? 0) >= Math.floor(TOTAL / STAGES.length) - 1, s);
  assert.ok(server.stats.handshakesFailed > 0);
  assert.equal(server.stats.handshakesCompleted, 0);
  assert.ok(heapGrowth < HEAP_SLACK, `heap grew by ${heapGrowth} bytes`);
});
