// Memory held per established DTLS connection (issue 13; bench/dtls.ts reports the same figure at
// 10k-100k connections): 2 000 full PSK handshakes from distinct client addresses against one
// server (Connection ID on, as by default) over LockstepNet, every client forgotten once its first
// record is through, so only the server's connections accumulate (its resumable sessions too: one
// per full handshake). Counted: the heap and the ArrayBuffers outside it (the connection and
// session slabs). Measured 400-425 B per connection here since the warm-up fills the peer cache
// of 4 096 entries (730-840 B when it was 256 entries and the measured connections filled part of
// it); 1.56 KiB before connections and sessions moved into slabs (heap only), 2.5 KiB before
// record keys, server sessions and the ClientHello random were kept as strings and small
// integers, 3 KiB before the connection stopped holding its ClientHello datagram.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DtlsTransport } from '../../../src/transport/dtls/DtlsTransport.js';
import { PEER_CACHE_SIZE } from '../../../src/transport/dtls/connection/ConnectionSlab.js';
import { ManualClock } from '../../support/ManualClock.js';
import { CAPTURE_PSK } from './captures.js';
import { memoryAfterGc } from './heldState.js';
import { LockstepNet } from './LockstepNet.js';

const MEASURED = 2_000;
const BATCH = 100;
/** Enough to fill the connection table's peer cache (PEER_CACHE_SIZE entries, a constant), in batches. */
const WARM = Math.ceil((PEER_CACHE_SIZE + 300) / BATCH) * BATCH;
/** Bound on bytes per connection: the measured 730-840 B with room for V8 differences (was 1 850). */
const MAX_BYTES_PER_CONNECTION = 1_000;

test(`${MEASURED} established connections hold at most ${MAX_BYTES_PER_CONNECTION} B each`, async () => {
  const clock = new ManualClock(0);
  const net = new LockstepNet();
  const serverNode = net.bind('10.0.0.1', 5684);
  const server = new DtlsTransport(serverNode, {
    role: 'server',
    clock,
    pskFor: (identity) => (identity === 'id1' ? CAPTURE_PSK : undefined),
  });
  server.onDatagram(() => undefined);
  let made = 0;
  const connect = async (count: number): Promise<void> => {
    for (let done = 0; done < count; done += BATCH) {
      const sends = Array.from({ length: BATCH }, () => {
        const i = made++;
        const node = net.bind(`10.9.${i >> 8}.${i & 255}`, 20_000 + (i % 40_000));
        const client = new DtlsTransport(node, {
          role: 'client',
          clock,
          psk: { identity: 'id1', key: CAPTURE_PSK },
        });
        return client.send(serverNode.self, Uint8Array.of(0x60, 0, 0, 1)).finally(() => node.close());
      });
      assert.ok(await net.pump(), 'the network settles');
      await Promise.all(sends);
    }
    clock.advance(0); // drops the cancelled timers the manual clock still lists
  };
  await connect(WARM); // code compiled, tables grown once: not per-connection state
  const before = memoryAfterGc();
  await connect(MEASURED);
  const perConnection = (memoryAfterGc() - before) / MEASURED;
  console.log(`${server.connectionCount} connections: ${Math.round(perConnection)} B each`);
  assert.equal(server.connectionCount, WARM + MEASURED);
  assert.equal(server.handshakesInProgress, 0);
  assert.ok(perConnection <= MAX_BYTES_PER_CONNECTION, `${Math.round(perConnection)} B per connection`);
});
