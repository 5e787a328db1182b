// Stateful fuzzing of the DTLS handshakes (ServerHandshake and ClientHandshake through
// DtlsTransport): batches of client handshakes run against one server over LockstepNet while
// every datagram in flight may be mutated (Mutator, corpus: the golden captures and the run's own
// recent datagrams), dropped, or replaced by a replay of an earlier one. Clients vary their suites
// (CCM_8, CBC-SHA256) and whether they offer a Connection ID. Checked for every batch:
// - no handshake fails with internal_error (an exception other than the state machine's own
//   aborts and DecodeError: HandshakeBase turns those into internal_error, so this is the
//   "no throw escapes" oracle), and nothing is thrown out of a transport;
// - every client send settles; once time has passed every deadline, no handshake is in progress
//   on either side, no timer is live, and the server keeps nothing but its connections.
// DTLS_FUZZ_HANDSHAKES (default 4 000) sets the number of handshakes; FUZZ_SEED replays a run
// (the transports' random bytes come from it too). It found ServerHandshake.start answering a
// malformed renegotiation_info with internal_error (test/transport/dtls/malformedHelloExtension).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DtlsTransport } from '../../src/transport/dtls/DtlsTransport.js';
import { AlertDescription } from '../../src/transport/dtls/handshake/alerts.js';
import { HandshakeBase } from '../../src/transport/dtls/handshake/HandshakeBase.js';
import {
  TLS_PSK_WITH_AES_128_CBC_SHA256,
  TLS_PSK_WITH_AES_128_CCM_8,
} from '../../src/transport/dtls/suites.js';
import { makePeer } from '../../src/transport/Peer.js';
import { ManualClock } from '../support/ManualClock.js';
import { bytesOf, CAPTURE_A1, CAPTURE_A2, CAPTURE_PSK } from '../transport/dtls/captures.js';
import { heldEntries } from '../transport/dtls/heldState.js';
import { LockstepNet } from '../transport/dtls/LockstepNet.js';
import { announceSeed, FUZZ_SEED, Mutator } from './mutator.js';

const HANDSHAKES = Number(process.env.DTLS_FUZZ_HANDSHAKES ?? 4_000);
if (!Number.isSafeInteger(HANDSHAKES) || HANDSHAKES < 10)
  throw new Error(`DTLS_FUZZ_HANDSHAKES must be an integer >= 10, got ${process.env.DTLS_FUZZ_HANDSHAKES}`);
const BATCH = 50;
const DEADLINE_MS = 10_000;

/** internal_error failures, recorded by a wrapper around HandshakeBase's `fail`. */
const internalErrors: string[] = [];
const originalFail = HandshakeBase.prototype['fail'];
HandshakeBase.prototype['fail'] = function (
  this: HandshakeBase,
  description: number | undefined,
  reason: string,
) {
  if (description === AlertDescription.internalError && reason !== 'PSK lookup failed')
    internalErrors.push(reason);
  originalFail.call(this, description, reason);
};

test(`DTLS handshakes: ${HANDSHAKES} handshakes with mutated, lost and replayed flights end cleanly`, async () => {
  announceSeed('DTLS handshake flights');
  const m = new Mutator(FUZZ_SEED);
  const randomSource = new Mutator(FUZZ_SEED + 1);
  const corpus: Uint8Array[] = [...CAPTURE_A1, ...CAPTURE_A2].map(bytesOf);
  const recent: Uint8Array[] = [];
  let mutated = 0;
  let completed = 0;
  let failed = 0;
  for (let done = 0, batch = 0; done < HANDSHAKES; batch++) {
    const size = Math.min(BATCH, HANDSHAKES - done);
    const clock = new ManualClock(0);
    const net = new LockstepNet();
    // the transports' randoms (hello randoms, cookie secrets, CIDs) come from the seed too
    const random = (n: number): Uint8Array => randomSource.bytes(n);
    net.fate = (d) => {
      if (recent.length < 64) recent.push(d.bytes);
      else recent[m.int(64)] = d.bytes;
      const r = m.int(100);
      if (r < 30) {
        mutated++;
        return m.mutate(d.bytes, [...corpus, ...recent]);
      }
      if (r < 35) return undefined;
      if (r < 40) return m.pick(recent);
      return d.bytes;
    };
    const server = new DtlsTransport(net.bind('10.0.0.1', 5684), {
      role: 'server',
      clock,
      random,
      pskFor: (identity) => (identity === 'id1' ? CAPTURE_PSK : undefined),
      suites: [TLS_PSK_WITH_AES_128_CCM_8, TLS_PSK_WITH_AES_128_CBC_SHA256],
      handshakeTimeoutMs: DEADLINE_MS,
    });
    server.onDatagram(() => undefined);
    const target = makePeer('10.0.0.1', 5684);
    const clients: DtlsTransport[] = [];
    const outcomes: Promise<void>[] = [];
    for (let i = 0; i < size; i++) {
      const cbc = m.int(4) === 0;
      const cid = m.int(2) === 0;
      const client = new DtlsTransport(net.bind(`10.2.${batch & 255}.${i}`, 50_000 + i), {
        role: 'client',
        clock,
        random,
        handshakeTimeoutMs: DEADLINE_MS,
        psk: { identity: 'id1', key: CAPTURE_PSK },
        ...(cbc ? { suites: [TLS_PSK_WITH_AES_128_CBC_SHA256] } : {}),
        ...(cid ? { connectionIdLength: m.int(5) } : {}),
      });
      clients.push(client);
      outcomes.push(
        client.send(target, Uint8Array.of(0x40, 1, 0, 0)).then(
          () => void completed++,
          () => void failed++,
        ),
      );
    }
    const running = (): boolean =>
      server.handshakesInProgress > 0 || clients.some((c) => c.handshakesInProgress > 0);
    assert.ok(await net.pump(), 'the network settles');
    for (let t = 0; running() && t < 2 * DEADLINE_MS; t += 1_000) {
      clock.advance(1_000);
      assert.ok(await net.pump(), 'the network settles');
    }
    // then past the final flights the server keeps after completing (one deadline long)
    clock.advance(DEADLINE_MS + 1);
    assert.ok(await net.pump(), 'the network settles');
    await Promise.all(outcomes);
    done += size;
    const where = `FUZZ_SEED=${FUZZ_SEED} batch ${batch}`;
    assert.deepEqual(internalErrors, [], `${where}: handshakes failed with internal_error`);
    assert.equal(server.handshakesInProgress, 0, `${where}: server handshakes`);
    for (const c of clients) assert.equal(c.handshakesInProgress, 0, `${where}: client handshakes`);
    assert.equal(clock.pendingTimers, 0, `${where}: live timers`);
    // what the server holds is its connections' (a slot in each column of the connection slab,
    // the peer cache, the address and CID indexes: at most 7 each) and one resumable session per
    // completed full handshake (its identity in the session slab); nothing per failed handshake
    const held = heldEntries(server, [clock, net]).total;
    // sessions come from handshakes the server completed (a failed one must leave none)
    const { handshakesCompleted } = server.usage();
    assert.ok(
      server.sessionCount <= handshakesCompleted,
      `${where}: ${server.sessionCount} sessions, ${handshakesCompleted} handshakes completed`,
    );
    const allowed = 8 + 7 * server.connectionCount + server.sessionCount;
    assert.ok(
      held <= allowed,
      `${where}: server holds ${held} entries for ${server.connectionCount} connections and ${server.sessionCount} sessions`,
    );
  }
  console.log(
    `DTLS handshake flights: ${HANDSHAKES} handshakes, ${completed} completed, ${failed} failed, ` +
      `${mutated} mutated datagrams`,
  );
  assert.ok(completed > 0 && failed > 0, 'both outcomes occur');
});
