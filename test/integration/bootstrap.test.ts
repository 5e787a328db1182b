// End to end over UDP on 127.0.0.1 (Core TS 1.1.1 5.2.7 and 6.1): the real BootstrapServer, the
// real Lwm2mServer and an Lwm2mClient that has only a Bootstrap-Server account. The client is
// bootstrapped and registers; Delete '/' keeps its bootstrap account; an inconsistent config fails
// at Finish with 4.06 on both sides; a restarted client does not bootstrap again; the server's
// Bootstrap-Request Trigger (/1/0/9) bootstraps again; malformed Bootstrap-Requests get 4.00; a
// 1.2 client bootstraps with one Bootstrap-Pack (Core TS 1.2).
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BootstrapServer } from '../../src/bootstrap/BootstrapServer.js';
import type { BootstrapPackEvent } from '../../src/bootstrap/BootstrapServerEvents.js';
import type { BootstrapSessionRecord } from '../../src/bootstrap/BootstrapSession.js';
import { FileClientStateStore } from '../../src/client/bootstrap/FileClientStateStore.js';
import { Lwm2mClient, type Lwm2mClientOptions } from '../../src/client/Lwm2mClient.js';
import { CoapEndpoint } from '../../src/coap/CoapEndpoint.js';
import type { BootstrapConfig } from '../../src/lwm2m/BootstrapConfig.js';
import { Lwm2mServer } from '../../src/server/Lwm2mServer.js';
import { MemoryBootstrapConfigStore } from '../../src/store/memory/MemoryBootstrapConfigStore.js';
import { makePeer } from '../../src/transport/Peer.js';
import { UdpTransport } from '../../src/transport/udp/UdpTransport.js';

let server: Lwm2mServer;
let bs: BootstrapServer;
let configs: MemoryBootstrapConfigStore;
let dir: string;
const closers: (() => Promise<void>)[] = [];

before(async () => {
  server = await Lwm2mServer.start({ address: '127.0.0.1', port: 0 });
  configs = new MemoryBootstrapConfigStore();
  bs = await BootstrapServer.start({
    address: '127.0.0.1',
    port: 0,
    configStore: configs,
    stepTimeoutMs: 5_000,
  });
  dir = await mkdtemp(join(tmpdir(), 'lwm2m-bootstrap-it-'));
});
after(async () => {
  await bs.stop();
  await server.stop();
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

const bsUri = (): string => `coap://127.0.0.1:${bs.address().port}`;
const serverUri = (): string => `coap://127.0.0.1:${server.address().port}`;

/** The usual config: one LwM2M Server account for our server. */
function config(extra: Partial<BootstrapConfig> = {}, ssid = 1): BootstrapConfig {
  return {
    security: { 1: { uri: serverUri(), bootstrapServer: false, securityMode: 'nosec', shortServerId: ssid } },
    servers: { 0: { shortServerId: 1, lifetime: 300, binding: 'U' } },
    ...extra,
  };
}

function client(endpoint: string, extra: Partial<Lwm2mClientOptions> = {}): Lwm2mClient {
  const c = new Lwm2mClient({
    endpoint,
    bind: { address: '127.0.0.1', port: 0 },
    bootstrapServer: { uri: bsUri() },
    ...extra,
  });
  closers.push(() => c.stop());
  return c;
}

const next = <T>(emitter: { once(e: string, l: (x: T) => void): unknown }, event: string): Promise<T> =>
  new Promise((resolve) => emitter.once(event, resolve));
const clientEvent = (c: Lwm2mClient, event: 'bootstrapped' | 'registered' | 'bootstrapFailed') =>
  new Promise<unknown>((resolve) => {
    const l = (e?: unknown): void => {
      c.off(event, l);
      resolve(e);
    };
    c.on(event, l);
  });

describe('bootstrap end to end', () => {
  test('a client with only a bootstrap account is bootstrapped, then registers to our server', async () => {
    await configs.put('it-1', config());
    const c = client('it-1');
    const session = next<BootstrapSessionRecord>(bs, 'sessionFinished');
    await c.start();
    const record = await session;
    assert.equal(record.endpoint, 'it-1');
    const reg = await server.waitForRegistration('it-1');
    assert.equal(reg.lifetime, 300);
    assert.deepEqual(
      c.status().map((s) => s.ssid),
      [1],
    );
    const security = await server.read('it-1', '/0/1');
    assert.equal(security.code, 0x81, 'the Security object is not readable by the server');
  });

  test("Bootstrap-Delete '/' keeps the client's bootstrap account", async () => {
    await configs.put('it-2', config({ delete: ['/'] }));
    const c = client('it-2');
    await c.start();
    await server.waitForRegistration('it-2');
    const accounts = c.tree.instanceIds(0).map((i) => c.tree.get(0, i)!.read(1));
    assert.equal(accounts.filter((r) => r?.kind === 'resource' && r.value.value === true).length, 1);
    assert.equal(c.tree.instanceIds(3).length, 1, 'the Device instance stays');
  });

  test('an inconsistent configuration fails at Finish with 4.06 and the client reports it', async () => {
    await configs.put('it-3', config({}, 9)); // Security for ssid 9, Server for ssid 1
    const c = client('it-3');
    const failedOnServer = next<BootstrapSessionRecord>(bs, 'sessionFailed');
    const failedOnClient = clientEvent(c, 'bootstrapFailed');
    await c.start();
    const record = await failedOnServer;
    assert.equal(record.endpoint, 'it-3');
    assert.match(JSON.stringify(record.failure), /finish/i);
    const { reason } = (await failedOnClient) as { reason: string };
    assert.match(reason, /no Server instance has Short Server ID 9/);
    assert.equal(c.status().length, 0);
  });

  test('a 1.2 client with bootstrapPack gets one Bootstrap-Pack (no session) and registers', async () => {
    await configs.put('it-pack', config());
    const c = client('it-pack', { lwm2mVersion: '1.2', bootstrapPack: true });
    const sent = next<BootstrapPackEvent>(bs, 'packSent');
    let sessions = 0;
    const count = (): void => void sessions++;
    bs.on('sessionStarted', count);
    try {
      await c.start();
      assert.deepEqual((await sent).objectIds, [0, 1]);
      const reg = await server.waitForRegistration('it-pack');
      assert.equal(reg.lwm2mVersion, '1.2');
      assert.equal(reg.lifetime, 300);
      assert.equal(sessions, 0);
    } finally {
      bs.off('sessionStarted', count);
    }
  });

  test('a restarted client does not bootstrap again', async () => {
    await configs.put('it-4', config());
    const stateStore = new FileClientStateStore(join(dir, 'it-4.json'));
    const first = client('it-4', { stateStore });
    const bootstrapped = clientEvent(first, 'bootstrapped');
    await first.start();
    await bootstrapped;
    await server.waitForRegistration('it-4');
    await first.stop();
    const sessions = (await bs.sessions()).filter((s) => s.endpoint === 'it-4').length;
    assert.equal(sessions, 1);

    const second = client('it-4', { stateStore });
    const registered = clientEvent(second, 'registered');
    await second.start();
    await registered;
    await server.waitForRegistration('it-4');
    assert.equal((await bs.sessions()).filter((s) => s.endpoint === 'it-4').length, 1);
    assert.equal(second.bootstrapState, 'idle');
  });

  test('server-initiated bootstrap: executing /1/0/9 makes the client bootstrap and register again', async () => {
    await configs.put('it-5', config());
    const c = client('it-5');
    await c.start();
    await server.waitForRegistration('it-5');
    const second = next<BootstrapSessionRecord>(bs, 'sessionFinished');
    const again = clientEvent(c, 'bootstrapped').then(() => clientEvent(c, 'registered'));
    const res = await server.execute('it-5', '/1/0/9');
    assert.equal(res.code, 0x44);
    assert.equal((await second).endpoint, 'it-5');
    await again;
    assert.equal((await bs.sessions()).filter((s) => s.endpoint === 'it-5').length, 2);
    await server.waitForRegistration('it-5');
  });

  test('malformed Bootstrap-Requests (no ep, unknown pct) are answered 4.00', async () => {
    const raw = new CoapEndpoint(await UdpTransport.bind({ address: '127.0.0.1', port: 0 }));
    closers.push(() => raw.close());
    const peer = makePeer('127.0.0.1', bs.address().port);
    await configs.put('it-6', config());
    assert.equal((await raw.request(peer, { method: 'POST', path: ['bs'], query: [] })).code, 0x80);
    assert.equal(
      (await raw.request(peer, { method: 'POST', path: ['bs'], query: ['ep=it-6', 'pct=9999'] })).code,
      0x80,
    );
  });
});
