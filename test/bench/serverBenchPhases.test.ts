// The server benchmark's issue 17 phases (bench/server): the secured clients register over DTLS
// PSK and answer the server's Reads; the --sweep epilogue times the expiry of the clients it
// makes expire and serves GET /api/clients; a million simulated clients get distinct loopback
// sources below the ephemeral port range.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sourceOf } from '../../bench/server/openClients.js';
import { SecuredClient } from '../../bench/server/SecuredClient.js';
import { securedEndpoint, securedPsk } from '../../bench/server/securedPsk.js';
import { SimulatedClient } from '../../bench/server/SimulatedClient.js';
import { SweepEpilogue } from '../../bench/server/sweepEpilogue.js';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Lwm2mServer } from '../../src/server/Lwm2mServer.js';
import { MemorySecurityStore } from '../../src/store/memory/MemorySecurityStore.js';
import { closeAfter } from '../support/closeAfter.js';
import { SimHub } from '../../bench/support/SimHub.js';
import { skipOrFail } from '../support/peers.js';

test('secured bench clients register over DTLS PSK and answer the server Read of /3/0/0', async () => {
  const store = new MemorySecurityStore(
    [0, 1].map((i) => ({ endpoint: securedEndpoint(i), kind: 'psk' as const, ...securedPsk(i) })),
  );
  const server = await Lwm2mServer.start({
    address: '127.0.0.1',
    port: 0,
    dtls: { port: 0 },
    security: { store },
  });
  closeAfter({ close: () => server.stop() });
  const clients = await Promise.all([0, 1].map((i) => SecuredClient.open(i, server.secureAddress()!.port)));
  for (const c of clients) closeAfter(c);
  await Promise.all(clients.map((c) => c.register()));
  for (const i of [0, 1]) {
    const reg = await server.getRegistration(securedEndpoint(i));
    assert.equal(reg?.peer.identity?.kind, 'psk', 'registered over DTLS with its PSK identity');
    const res = await server.read(securedEndpoint(i), '/3/0/0');
    assert.ok(res.ok, `read of ${securedEndpoint(i)}`);
  }
});

test('the sweep epilogue waits for the expiries it causes and serves the client list', async () => {
  const wallClock = { offsetMs: 0, now: (): number => Date.now() + wallClock.offsetMs };
  const server = await Lwm2mServer.start({
    address: '127.0.0.1',
    port: 0,
    wallClock,
    expirySweepIntervalMs: 20,
  });
  closeAfter({ close: () => server.stop() });
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const epilogue = new SweepEpilogue(server, undefined, wallClock, lag);
  closeAfter(epilogue);
  const targets = { serverPort: server.address().port };
  const clients = [0, 1, 2].map((i) => closeAfter(new SimulatedClient(`short-${i}`, targets, i)));
  const keeper = closeAfter(new SimulatedClient('long-lived', targets, 3));
  for (const c of [...clients, keeper]) await c.bind('127.0.0.1', 0);
  await Promise.all(clients.map((c) => c.register(undefined, 60)));
  await keeper.register();
  const figures = await epilogue.expiry(3, 60);
  assert.equal(figures.registrations, 4);
  assert.equal(figures.expired, 3);
  assert.ok(figures.idlePassMaxUs > 0);
  const port = await epilogue.httpPort();
  const page = (await (await fetch(`http://127.0.0.1:${port}/api/clients?limit=10`)).json()) as {
    items: { endpoint: string }[];
    total: number;
  };
  assert.deepEqual(
    page.items.map((c) => c.endpoint),
    ['long-lived'],
  );
  lag.disable();
});

test('a million bench clients have distinct loopback sources below the ephemeral ports', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 1_000_000; i++) {
    const { address, port } = sourceOf(i);
    seen.add(`${address}:${port}`);
    if (i % 99_991 === 0) assert.match(address, /^127\.\d+\.\d+\.\d+$/);
    assert.ok(port < 32_768, `client ${i}: port ${port}`);
  }
  assert.equal(seen.size, 1_000_000);
});

test('bench clients on one batched socket are distinct peers to the server: register, answer a Read and an Observe, notify', async (t) => {
  if (SimHub.unavailable()) return skipOrFail(t, `SimHub: ${SimHub.unavailable()}`);
  const server = await Lwm2mServer.start({ address: '127.0.0.1', port: 0 });
  closeAfter({ close: () => server.stop() });
  const hub = SimHub.open(0);
  closeAfter({ close: () => hub.close() });
  const targets = { serverPort: server.address().port };
  const addresses = [0x7f010001, 0x7f010002, 0x7f02ff03];
  const clients = addresses.map((address, i) =>
    closeAfter(new SimulatedClient(`hub-${i}`, targets, i, { hub, address })),
  );
  assert.throws(() => new SimulatedClient('twin', targets, 9, { hub, address: addresses[0]! }), /taken/);
  await Promise.all(clients.map((c) => c.register()));
  const notified: string[] = [];
  for (const [i, c] of clients.entries()) {
    const reg = await server.getRegistration(`hub-${i}`);
    assert.deepEqual(
      [reg?.peer.address, reg?.peer.port],
      [['127.1.0.1', '127.1.0.2', '127.2.255.3'][i], hub.port],
      'the server sees the address the client sent from, on the hub port',
    );
    const read = await server.read(`hub-${i}`, '/3/0/0');
    assert.ok(read.ok, `read of hub-${i}`);
    const observed = await server.observe(`hub-${i}`, '/3303/0/5700', { buffer: 0 }).response;
    assert.ok(observed.ok && c.observed, `hub-${i} observed`);
  }
  server.on('notification', (n) => notified.push(n.registration.endpoint));
  const done = await new Promise<number>((resolve) => {
    let ok = 0;
    for (const c of clients)
      assert.ok(
        c.startNotify((e) => {
          assert.equal(e, undefined);
          if (++ok === clients.length) resolve(ok);
        }),
      );
  });
  assert.equal(done, 3, 'each notification ACKed');
  assert.deepEqual([...new Set(notified)].sort(), ['hub-0', 'hub-1', 'hub-2']);
  assert.equal(hub.dropped, 0);
});
