// Our client and our server through a UdpRelay that drops datagrams at random, both ways, from a
// fixed set of seeds (issue 13: "30% loss relay, handshake completes or fails in bounded time").
// Real UDP on 127.0.0.1, time on a ManualClock: flights back off 1 s -> 2 s -> ... (RFC 6347
// 4.2.4.1) in virtual time, and the handshake deadline (30 s here) bounds every attempt. After
// each run nothing is left half-made: no handshake in progress on either side, a client
// connection only when the handshake completed, and a server connection only for a handshake
// the server completed (its final flight may be lost for good; the client then gave up).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DtlsTransport } from '../../../src/transport/dtls/DtlsTransport.js';
import { makePeer } from '../../../src/transport/Peer.js';
import { UdpTransport } from '../../../src/transport/udp/UdpTransport.js';
import { ManualClock } from '../../support/ManualClock.js';
import type { DtlsSession } from '../../../src/transport/dtls/session/DtlsSession.js';
import { SessionCache } from '../../../src/transport/dtls/session/SessionCache.js';
import { UdpRelay } from './UdpRelay.js';

const KEY = Buffer.from('73656372657450534b', 'hex');
const DEADLINE_MS = 30_000;
const STEP_MS = 100;

/** Advances virtual time in steps, with a short real pause per step for loopback datagrams to land. */
async function runUntil(clock: ManualClock, done: () => boolean, maxMs: number): Promise<number> {
  let elapsed = 0;
  while (!done() && elapsed < maxMs) {
    // a datagram still in flight after the pause only costs a retransmission, never correctness
    await new Promise((r) => setTimeout(r, 2));
    clock.advance(STEP_MS);
    elapsed += STEP_MS;
  }
  return elapsed;
}

interface RunResult {
  outcome: string;
  virtualMs: number;
  dropped: number;
  forwarded: number;
}

/**
 * One handshake attempt through a relay losing `rate` of the datagrams, seeded with `seed`. With
 * `resume`, a first client makes a session directly (no loss) and the lossy attempt resumes it.
 */
async function attempt(rate: number, seed: number, resume = false): Promise<RunResult> {
  const clock = new ManualClock();
  const server = new DtlsTransport(await UdpTransport.bind({ address: '127.0.0.1' }), {
    role: 'server',
    clock,
    pskFor: (identity) => (identity === 'id1' ? KEY : undefined),
    handshakeTimeoutMs: DEADLINE_MS,
  });
  const relay = await UdpRelay.start(server.address().port, { rate, seed });
  const sessionCache = new SessionCache<DtlsSession>({ maxEntries: 1, lifetimeMs: 3600_000, clock });
  const newClient = async (): Promise<DtlsTransport> =>
    new DtlsTransport(await UdpTransport.bind({ address: '127.0.0.1' }), {
      role: 'client',
      clock,
      psk: { identity: 'id1', key: KEY },
      handshakeTimeoutMs: DEADLINE_MS,
      sessionCache,
    });
  let completedBefore = 0;
  if (resume) {
    // the session is kept per server address: the first client goes through the relay too, lossless
    relay.lossRate = 0;
    const first = await newClient();
    let sent = false;
    void first.send(makePeer('127.0.0.1', relay.frontPort), Buffer.from('first')).then(() => (sent = true));
    await runUntil(clock, () => sent, DEADLINE_MS);
    assert.ok(sent && sessionCache.size === 1, `seed ${seed}: the lossless first handshake`);
    await first.close();
    await runUntil(clock, () => server.connectionCount === 0, 10 * STEP_MS);
    completedBefore = server.stats.handshakesCompleted;
    relay.lossRate = rate;
  }
  const client = await newClient();
  try {
    let outcome = 'pending';
    client.send(makePeer('127.0.0.1', relay.frontPort), Buffer.from('hello')).then(
      () => (outcome = 'sent'),
      (e: Error & { code?: string }) => (outcome = e.code ?? e.message),
    );
    const virtualMs = await runUntil(clock, () => outcome !== 'pending', DEADLINE_MS + 10 * STEP_MS);
    assert.ok(outcome === 'sent' || outcome === 'DTLS_HANDSHAKE_FAILED', `seed ${seed}: ${outcome}`);
    assert.ok(virtualMs <= DEADLINE_MS + STEP_MS, `seed ${seed}: settled within the deadline`);
    // the server's own deadline ends whatever it still has in progress
    await runUntil(clock, () => server.handshakesInProgress === 0, DEADLINE_MS + 10 * STEP_MS);
    assert.equal(server.handshakesInProgress, 0, `seed ${seed}: server handshakes`);
    assert.equal(client.handshakesInProgress, 0, `seed ${seed}: client handshakes`);
    assert.equal(client.connectionCount, outcome === 'sent' ? 1 : 0, `seed ${seed}: client connections`);
    assert.equal(
      server.connectionCount,
      server.stats.handshakesCompleted - completedBefore,
      `seed ${seed}: server connections`,
    );
    if (outcome === 'sent') assert.equal(server.connectionCount, 1);
    if (resume && outcome === 'sent') assert.equal(client.stats.sessionsResumed, 1, `seed ${seed}: resumed`);
    return { outcome, virtualMs, dropped: relay.dropped, forwarded: relay.forwarded };
  } finally {
    await client.close();
    await server.close();
    await relay.close();
  }
}

test('30% loss each way: the handshake completes or fails within its deadline, nothing half-made is left', async (t) => {
  const results: RunResult[] = [];
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) results.push(await attempt(0.3, seed));
  const completed = results.filter((r) => r.outcome === 'sent').length;
  const dropped = results.reduce((n, r) => n + r.dropped, 0);
  t.diagnostic(
    `completed ${completed}/8; virtual ms ${results.map((r) => r.virtualMs).join(',')}; ` +
      `datagrams dropped ${dropped} of ${dropped + results.reduce((n, r) => n + r.forwarded, 0)}`,
  );
  assert.ok(dropped > 0, 'the relay really lost datagrams');
  assert.ok(completed >= 6, `retransmission recovers most runs (${completed}/8)`);
});

test('30% loss each way, resuming a session: abbreviated handshakes complete or fail within the deadline', async (t) => {
  const results: RunResult[] = [];
  for (const seed of [21, 22, 23, 24, 25, 26]) results.push(await attempt(0.3, seed, true));
  const completed = results.filter((r) => r.outcome === 'sent').length;
  t.diagnostic(`resumed ${completed}/6; virtual ms ${results.map((r) => r.virtualMs).join(',')}`);
  assert.ok(completed >= 4, `retransmission recovers most runs (${completed}/6)`);
});

test('90% loss each way: handshakes fail at their deadline and leave no state', async (t) => {
  const results: RunResult[] = [];
  for (const seed of [11, 12, 13]) results.push(await attempt(0.9, seed));
  t.diagnostic(`outcomes ${results.map((r) => `${r.outcome}@${r.virtualMs}`).join(', ')}`);
  assert.ok(results.some((r) => r.outcome === 'DTLS_HANDSHAKE_FAILED'));
});
