// CoapEndpoint.stats() (issue 12 item 12): the counters behind coap_retransmissions_total and
// coap_duplicates_total, and what the endpoint holds now, over an in-memory network.
import { test } from '../support/isolatedTest.js';
import assert from 'node:assert/strict';
import { CoapEndpoint } from '../../src/coap/CoapEndpoint.js';
import { Code } from '../../src/coap/CoapMessage.js';
import { ManualClock } from '../support/ManualClock.js';
import { MemoryNetwork, flush } from '../support/MemoryTransport.js';

function setup() {
  const { net, a, b } = MemoryNetwork.pair();
  const clock = new ManualClock();
  const server = new CoapEndpoint(a, { clock });
  const client = new CoapEndpoint(b, { clock });
  server.router.use('/r', () => ({ code: Code.CONTENT }));
  return { net, clock, server, client, serverPeer: a.self };
}

test('a fresh endpoint reports zero everywhere', () => {
  const s = setup();
  assert.deepEqual(s.client.stats(), {
    retransmissions: 0,
    duplicates: 0,
    queueFullRefusals: 0,
    outstandingCons: 0,
    dedupEntries: 0,
    blockwiseTransfers: 0,
    blockwiseBytes: 0,
  });
});

test('a lost CON counts one retransmission on the sender; the outstanding CON is held until the ACK', async () => {
  const s = setup();
  let dropped = false;
  s.net.fate = () => (dropped ? 'deliver' : ((dropped = true), 'drop'));
  const p = s.client.request(s.serverPeer, { method: 'GET', path: '/r' });
  assert.equal(s.client.stats().outstandingCons, 1);
  await s.clock.advanceAsync(4_000, 500);
  assert.equal((await p).code, Code.CONTENT);
  assert.equal(s.client.stats().retransmissions, 1);
  assert.equal(s.client.stats().outstandingCons, 0);
  assert.equal(s.server.stats().retransmissions, 0);
});

test('a duplicated request counts one duplicate on the receiver, which remembers its MID', async () => {
  const s = setup();
  s.net.fate = (d) => (d.from.key === s.serverPeer.key ? 'deliver' : 'duplicate');
  await s.client.request(s.serverPeer, { method: 'GET', path: '/r' });
  await flush();
  assert.equal(s.server.stats().duplicates, 1);
  assert.equal(s.server.stats().dedupEntries, 1);
  assert.equal(s.client.stats().duplicates, 0);
});

test('a CON refused by a full per-peer queue counts as a queue-full refusal', async () => {
  const { a, b } = MemoryNetwork.pair();
  const clock = new ManualClock();
  const client = new CoapEndpoint(b, { clock, limits: { maxQueuedPerPeer: 1 } });
  // NSTART 1: the first goes out, the second waits, the third is refused.
  const pending = [1, 2, 3].map(() =>
    client.request(a.self, { method: 'GET', path: '/x', timeoutMs: 1_000 }).catch((e: Error) => e.name),
  );
  await flush();
  assert.equal(client.stats().queueFullRefusals, 1);
  await clock.advanceAsync(100_000, 5_000);
  await Promise.all(pending);
  await client.close();
});
