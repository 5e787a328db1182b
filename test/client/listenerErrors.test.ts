// Lwm2mClient listeners are user code run from inside registration and request handling (Core TS
// 1.1.1 6.2, 6.3): one that throws or rejects changes nothing in the protocol; it becomes a
// 'warning' naming the event, never an unhandled rejection (as the server's listeners).
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { registeredResponse } from '../../src/binding/toUplinkResponse.js';
import { Lwm2mClient } from '../../src/client/Lwm2mClient.js';
import { CoapEndpoint } from '../../src/coap/CoapEndpoint.js';
import { makePeer } from '../../src/transport/Peer.js';
import { flush, MemoryNetwork } from '../support/MemoryTransport.js';

const boom = new Error('listener bug');
const CLIENT = makePeer('10.0.0.1', 5683);

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

async function setup() {
  const net = new MemoryNetwork();
  const server = new CoapEndpoint(net.bind('10.0.0.2'));
  server.router.use('rd', (req) =>
    req.method === 0x02 && req.path.length === 1 ? registeredResponse('r1') : { code: 0x42 },
  );
  const client = new Lwm2mClient({
    endpoint: 'guarded-1',
    transport: net.bind('10.0.0.1'),
    servers: [{ uri: 'coap://10.0.0.2:5683', ssid: 1, lifetime: 300 }],
    device: { manufacturer: 'ACME' },
  });
  const warnings: Error[] = [];
  client.on('warning', (e) => void warnings.push(e));
  closers.push(async () => {
    await client.stop();
    await server.close();
  });
  return { client, server, warnings };
}

test('a throwing "registered" listener: later listeners run, a warning names the event', async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown): void => void unhandled.push(e);
  process.on('unhandledRejection', onUnhandled);
  try {
    const { client, warnings } = await setup();
    const later: number[] = [];
    client.on('registered', () => {
      throw boom;
    });
    client.on('registered', (e) => void later.push(e.ssid));
    await client.start();
    while (later.length === 0) await flush();
    assert.deepEqual(later, [1]);
    assert.equal(client.status()[0]!.state, 'registered');
    const w = warnings.find((e) => e.message.includes("'registered'"));
    assert.equal(w?.cause, boom);
    await flush();
    assert.deepEqual(unhandled, []);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});

test('an async "request" listener that rejects: the server still gets its answer, a warning follows', async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown): void => void unhandled.push(e);
  process.on('unhandledRejection', onUnhandled);
  try {
    const { client, server, warnings } = await setup();
    const registered = new Promise<void>((r) => client.on('registered', () => r()));
    client.on('request', async () => Promise.reject(boom));
    await client.start();
    await registered;
    const res = await server.request(CLIENT, { method: 'GET', path: '/3/0/0' });
    assert.equal(res.code, 0x45);
    while (!warnings.some((e) => e.message.includes("'request'"))) await flush();
    assert.equal(warnings.find((e) => e.message.includes("'request'"))?.cause, boom);
    await flush();
    assert.deepEqual(unhandled, []);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});
