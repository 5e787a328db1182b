// Core TS 1.1.1 5.2.3.3 step 3 and E.1 resource 12: once bootstrapped, the client purges the
// Bootstrap-Server account when its Bootstrap-Server Account Timeout runs out (tree and saved
// state), and can no longer bootstrap; with no timeout the account stays.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { registeredResponse } from '../../../src/binding/toUplinkResponse.js';
import { toCoapRequest } from '../../../src/binding/toCoapRequest.js';
import { MemoryClientStateStore } from '../../../src/client/bootstrap/ClientStateStore.js';
import { Lwm2mClient } from '../../../src/client/Lwm2mClient.js';
import { CoapEndpoint } from '../../../src/coap/CoapEndpoint.js';
import { securityInstanceNode, serverInstanceNode } from '../../../src/lwm2m/bootstrapNodes.js';
import { bootstrapFinish, bootstrapWrite } from '../../../src/lwm2m/requests.js';
import { createCoreRegistry } from '../../../src/model/core/coreModels.js';
import { makePeer } from '../../../src/transport/Peer.js';
import { ManualClock } from '../../support/ManualClock.js';
import { flush, MemoryNetwork } from '../../support/MemoryTransport.js';

const models = createCoreRegistry();
const BS_URI = 'coap://10.0.0.5:5783';
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

async function bootstrapWithTimeout(timeoutS: number | undefined) {
  const clock = new ManualClock(0);
  const net = new MemoryNetwork();
  const bs = new CoapEndpoint(net.bind('10.0.0.5', 5783));
  bs.router.use('bs', () => ({ code: 0x44 }));
  const lwm2m = new CoapEndpoint(net.bind('10.0.0.2'));
  lwm2m.router.use('rd', (req) => (req.method === 0x02 ? registeredResponse('r1') : { code: 0x42 }));
  const store = new MemoryClientStateStore();
  const client = new Lwm2mClient({
    clock,
    endpoint: 'bs-timeout',
    transport: net.bind('10.0.0.1'),
    bootstrapServer: { uri: BS_URI },
    stateStore: store,
  });
  closers.push(async () => {
    await client.stop();
    await bs.close();
    await lwm2m.close();
  });
  await client.start();
  for (let i = 0; i < 50 && client.bootstrapState !== 'running'; i++) await flush();
  const send = (r: Parameters<typeof toCoapRequest>[0]) =>
    bs.request(makePeer('10.0.0.1', 5683), toCoapRequest(r, { models, lwm2mVersion: '1.1' }));
  const account = securityInstanceNode(0, {
    uri: BS_URI,
    bootstrapServer: true,
    securityMode: 'nosec',
    ...(timeoutS !== undefined ? { bootstrapServerAccountTimeout: timeoutS } : {}),
  });
  assert.equal((await send(bootstrapWrite('/0/0', account))).code, 0x44);
  const server = securityInstanceNode(1, {
    uri: 'coap://10.0.0.2:5683',
    bootstrapServer: false,
    securityMode: 'nosec',
    shortServerId: 3,
  });
  assert.equal((await send(bootstrapWrite('/0/1', server))).code, 0x44);
  const srv = serverInstanceNode(0, { shortServerId: 3, lifetime: 300, binding: 'U' });
  assert.equal((await send(bootstrapWrite('/1/0', srv))).code, 0x44);
  const registered = new Promise<void>((r) => client.on('registered', () => r()));
  assert.equal((await send(bootstrapFinish())).code, 0x44);
  await registered;
  return { clock, client, store };
}

test('the Bootstrap-Server account is purged when its Account Timeout runs out', async () => {
  const { clock, client, store } = await bootstrapWithTimeout(60);
  let purged = false;
  client.on('bootstrapAccountPurged', () => void (purged = true));
  await clock.advanceAsync(59_000);
  assert.ok(client.tree.get(0, 0), 'kept before the timeout');
  await clock.advanceAsync(1_000);
  for (let i = 0; i < 20 && !purged; i++) await flush();
  assert.equal(purged, true);
  assert.equal(client.tree.get(0, 0), undefined);
  assert.deepEqual(client.tree.instanceIds(0), [1], 'the server account stays');
  const saved = JSON.stringify((await store.load())?.objects['0']);
  assert.ok(!saved.includes('5783'), `the saved state lost the account too: ${saved}`);
  assert.equal(await client.bootstrap(), false, 'no Bootstrap-Server account any more');
  assert.equal(client.status()[0]?.state, 'registered');
});

test('without an Account Timeout the Bootstrap-Server account stays', async () => {
  const { clock, client } = await bootstrapWithTimeout(undefined);
  await clock.advanceAsync(10_000_000, 1_000_000);
  assert.ok(client.tree.get(0, 0));
});
