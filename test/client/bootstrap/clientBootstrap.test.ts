// Core TS 1.1.1 5.2.7 and 6.1, client side, against a scripted Bootstrap-Server and a scripted
// LwM2M Server (CoapEndpoints on an in-memory network): the Bootstrap-Request, Write/Delete/
// Discover/Read with the Bootstrap-Server's rights, Finish (2.04, or 4.06 with the reason), the
// Security object closed to normal servers, the Bootstrap-Request Trigger, hold-off and timeout.
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { registeredResponse } from '../../../src/binding/toUplinkResponse.js';
import { toCoapRequest } from '../../../src/binding/toCoapRequest.js';
import { MemoryClientStateStore } from '../../../src/client/bootstrap/ClientStateStore.js';
import {
  Lwm2mClient,
  type Lwm2mClientEvents,
  type Lwm2mClientOptions,
} from '../../../src/client/Lwm2mClient.js';
import { CoapEndpoint } from '../../../src/coap/CoapEndpoint.js';
import type { IncomingRequest } from '../../../src/coap/Router.js';
import { securityInstanceNode, serverInstanceNode } from '../../../src/lwm2m/bootstrapNodes.js';
import type { BootstrapDownlinkRequest } from '../../../src/lwm2m/requests.js';
import {
  bootstrapDelete,
  bootstrapDiscover,
  bootstrapFinish,
  bootstrapRead,
  bootstrapWrite,
} from '../../../src/lwm2m/requests.js';
import { createCoreRegistry } from '../../../src/model/core/coreModels.js';
import { makePeer } from '../../../src/transport/Peer.js';
import { ManualClock } from '../../support/ManualClock.js';
import { MemoryNetwork, flush } from '../../support/MemoryTransport.js';

const CLIENT = makePeer('10.0.0.1', 5683);
const BS_URI = 'coap://10.0.0.5:5783';
const models = createCoreRegistry();
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

const SECURITY = securityInstanceNode(1, {
  uri: 'coap://10.0.0.2:5683',
  bootstrapServer: false,
  securityMode: 'nosec',
  shortServerId: 101,
});
const SERVER = serverInstanceNode(0, { shortServerId: 101, lifetime: 300, binding: 'U' });

function once<K extends keyof Lwm2mClientEvents>(
  client: Lwm2mClient,
  event: K,
): Promise<Lwm2mClientEvents[K]> {
  return new Promise((resolve) => {
    const l = (...args: Lwm2mClientEvents[K]): void => {
      client.off(event, l);
      resolve(args);
    };
    client.on(event, l);
  });
}

describe('client bootstrap against a scripted Bootstrap-Server', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of closers.splice(0).reverse()) await c();
  });

  async function setup(extra: Partial<Lwm2mClientOptions> = {}, bsAnswer = 0x44) {
    const net = new MemoryNetwork();
    const bs = new CoapEndpoint(net.bind('10.0.0.5', 5783), extra.clock ? { clock: extra.clock } : {});
    const bsRequests: IncomingRequest[] = [];
    const bsWaiters: (() => void)[] = [];
    bs.router.use('bs', (req) => {
      bsRequests.push(req);
      for (const w of bsWaiters.splice(0)) w();
      return bsAnswer === 0x44
        ? { code: 0x44 }
        : { code: bsAnswer, payload: new TextEncoder().encode('unknown endpoint') };
    });
    const lwm2m = new CoapEndpoint(net.bind('10.0.0.2'));
    const registers: IncomingRequest[] = [];
    lwm2m.router.use('rd', (req) => {
      registers.push(req);
      return req.method === 0x02 && req.path.length === 1
        ? registeredResponse('r1')
        : { code: req.method === 4 ? 0x42 : 0x44 };
    });
    const store = new MemoryClientStateStore();
    const client = new Lwm2mClient({
      clock: new ManualClock(0),
      endpoint: 'bs-node',
      transport: net.bind('10.0.0.1'),
      bootstrapServer: { uri: BS_URI },
      stateStore: store,
      ...extra,
    });
    closers.push(async () => {
      await client.stop();
      await bs.close();
      await lwm2m.close();
    });
    const bsRequest = async (): Promise<IncomingRequest> => {
      while (bsRequests.length === 0) await new Promise<void>((r) => bsWaiters.push(r));
      return bsRequests.shift()!;
    };
    const send = (req: BootstrapDownlinkRequest) =>
      bs.request(CLIENT, toCoapRequest(req, { models, lwm2mVersion: '1.1' }));
    return { client, bs, lwm2m, registers, store, bsRequest, send, net };
  }

  async function bootstrapped(s: Awaited<ReturnType<typeof setup>>) {
    await s.client.start();
    await s.bsRequest();
    await flush();
    assert.equal((await s.send(bootstrapDelete('/'))).code, 0x42);
    assert.equal((await s.send(bootstrapWrite('/0/1', SECURITY))).code, 0x44);
    assert.equal((await s.send(bootstrapWrite('/1/0', SERVER))).code, 0x44);
    const registered = once(s.client, 'registered');
    assert.equal((await s.send(bootstrapFinish())).code, 0x44);
    await registered;
  }

  test('a client with only a bootstrap account sends POST /bs with ep and pct', async () => {
    const s = await setup();
    await s.client.start();
    const req = await s.bsRequest();
    assert.equal(req.method, 0x02);
    assert.deepEqual(req.query, ['ep=bs-node', 'pct=112']);
    assert.equal(s.client.bootstrapState === 'requesting' || s.client.bootstrapState === 'running', true);
  });

  test('a 1.0 client sends no pct', async () => {
    const s = await setup({ lwm2mVersion: '1.0' });
    await s.client.start();
    assert.deepEqual((await s.bsRequest()).query, ['ep=bs-node']);
  });

  test('Write Security and Server then Finish: 2.04, bootstrapped, state saved, Register to the new server', async () => {
    const s = await setup();
    const done = once(s.client, 'bootstrapped');
    await bootstrapped(s);
    await done;
    assert.equal(s.store.saves, 1);
    assert.equal(s.registers[0]!.query[0], 'ep=bs-node');
    assert.deepEqual(s.client.status(), [{ ssid: 101, state: 'registered', reachable: true }]);
    const state = await s.store.load();
    assert.match(JSON.stringify(state!.objects['0']), /coap:\/\/10\.0\.0\.2:5683/);
    assert.match(JSON.stringify(state!.objects['1']), /"v":300/);
  });

  test("Delete '/' keeps the bootstrap account: Bootstrap-Discover still lists it", async () => {
    const s = await setup();
    await s.client.start();
    await s.bsRequest();
    await s.send(bootstrapWrite('/0/1', SECURITY));
    assert.equal((await s.send(bootstrapDelete('/'))).code, 0x42);
    const res = await s.send(bootstrapDiscover('/'));
    assert.equal(res.code, 0x45);
    const links = text(res.payload);
    assert.match(links, /<\/0\/0>;uri="coap:\/\/10\.0\.0\.5:5783"/);
    assert.ok(!links.includes('</0/1>'), links);
    assert.match(links, /<\/3\/0>/);
  });

  test('Bootstrap-Read answers /1; reading /3 is refused with 4.00', async () => {
    const s = await setup();
    await s.client.start();
    await s.bsRequest();
    await s.send(bootstrapWrite('/1/0', SERVER));
    const res = await s.send(bootstrapRead('/1/0'));
    assert.equal(res.code, 0x45);
    const raw = await s.bs.request(CLIENT, { method: 'GET', path: '/3/0' });
    assert.equal(raw.code, 0x80);
  });

  test('Finish on an inconsistent configuration: 4.06 with the reason, and bootstrapFailed', async () => {
    const s = await setup();
    await s.client.start();
    await s.bsRequest();
    await s.send(bootstrapWrite('/0/1', SECURITY)); // no Server instance with ssid 101
    const failed = once(s.client, 'bootstrapFailed');
    const res = await s.send(bootstrapFinish());
    assert.equal(res.code, 0x86);
    assert.match(text(res.payload), /no Server instance has Short Server ID 101/);
    const [{ reason }] = await failed;
    assert.match(reason, /inconsistent configuration: .*Short Server ID 101/);
    assert.equal(s.store.saves, 0);
    assert.equal(s.registers.length, 0);
  });

  test('a normal server cannot read or write the Security object (4.01)', async () => {
    const s = await setup();
    await bootstrapped(s);
    assert.equal((await s.lwm2m.request(CLIENT, { method: 'GET', path: '/0/1' })).code, 0x81);
    const write = await s.lwm2m.request(CLIENT, {
      method: 'PUT',
      path: '/0/1/0',
      contentFormat: 0,
      payload: 'coap://evil',
    });
    assert.equal(write.code, 0x81);
  });

  test('the Bootstrap-Request Trigger (/1/0/9) de-registers and bootstraps again', async () => {
    const s = await setup();
    await bootstrapped(s);
    const started = once(s.client, 'bootstrapStarted');
    assert.equal((await s.lwm2m.request(CLIENT, { method: 'POST', path: '/1/0/9' })).code, 0x44);
    const [{ reason }] = await started;
    assert.match(reason, /Trigger/);
    assert.deepEqual((await s.bsRequest()).query, ['ep=bs-node', 'pct=112']);
    assert.ok(
      s.registers.some((r) => r.method === 0x04),
      'de-registered first',
    );
  });

  test('a Bootstrap-Server may start a session on its own (server-initiated bootstrap)', async () => {
    const s = await setup({ servers: [{ uri: 'coap://10.0.0.2:5683', ssid: 1 }] });
    const registered = once(s.client, 'registered');
    await s.client.start();
    await registered;
    const started = once(s.client, 'bootstrapStarted');
    // /0/1 is the bootstrap account here (after the one configured server account).
    assert.equal((await s.send(bootstrapWrite('/0/5', { ...SECURITY, id: 5 }))).code, 0x44);
    assert.deepEqual(await started, [{ reason: 'server-initiated bootstrap' }]);
    assert.equal(
      (
        await s.send(
          bootstrapWrite('/1/1', serverInstanceNode(1, { shortServerId: 101, lifetime: 90, binding: 'U' })),
        )
      ).code,
      0x44,
    );
    const again = once(s.client, 'bootstrapped').then(() => once(s.client, 'registered'));
    assert.equal((await s.send(bootstrapFinish())).code, 0x44);
    await again;
    assert.deepEqual(
      s.client.status().map((a) => a.ssid),
      [1, 101],
    );
  });

  test('a Bootstrap-Request answered 4.00 fails with the diagnostic', async () => {
    const s = await setup({}, 0x80);
    const failed = once(s.client, 'bootstrapFailed');
    await s.client.start();
    const [{ reason }] = await failed;
    assert.equal(reason, 'Bootstrap-Request answered 4.00: unknown endpoint');
  });

  test('after a failed bootstrap the client registers again to the accounts it still has', async () => {
    const s = await setup({ servers: [{ uri: 'coap://10.0.0.2:5683', ssid: 1 }] }, 0x80);
    const registered = once(s.client, 'registered');
    await s.client.start();
    await registered;
    const failed = once(s.client, 'bootstrapFailed');
    const again = failed.then(() => once(s.client, 'registered'));
    assert.equal((await s.lwm2m.request(CLIENT, { method: 'POST', path: '/1/0/9' })).code, 0x44);
    await again;
    const methods = s.registers.map((r) => `${r.method} ${r.path.join('/')}`);
    assert.deepEqual(methods, ['2 rd', '4 rd/r1', '2 rd']);
  });

  test('the Client Hold Off Time delays the Bootstrap-Request', async () => {
    const clock = new ManualClock(0);
    const s = await setup({ clock, bootstrapServer: { uri: BS_URI, holdOffS: 10 } });
    await s.client.start();
    await flush();
    assert.equal(s.client.bootstrapState, 'holdOff');
    clock.advance(9_999);
    await flush();
    assert.equal(s.client.bootstrapState, 'holdOff');
    clock.advance(1);
    assert.deepEqual((await s.bsRequest()).query, ['ep=bs-node', 'pct=112']);
  });

  test('a session that never finishes fails at the deadline', async () => {
    const clock = new ManualClock(0);
    const s = await setup({ clock, bootstrapTimeoutMs: 30_000 });
    await s.client.start();
    await s.bsRequest();
    await flush();
    const failed = once(s.client, 'bootstrapFailed');
    clock.advance(30_000);
    const [{ reason }] = await failed;
    assert.match(reason, /did not finish within 30000 ms/);
  });
});

describe('Bootstrap on Registration Failure (/1/x/16)', () => {
  async function failingClient(bootstrapOnFailure: boolean | undefined) {
    const net = new MemoryNetwork();
    const bs = new CoapEndpoint(net.bind('10.0.0.5', 5783));
    const asked: string[][] = [];
    bs.router.use('bs', (req) => (asked.push(req.query), { code: 0x44 }));
    const refusing = new CoapEndpoint(net.bind('10.0.0.2'));
    refusing.router.use('rd', () => ({ code: 0x83 }));
    const client = new Lwm2mClient({
      clock: new ManualClock(0),
      endpoint: 'bs-node',
      transport: net.bind('10.0.0.1'),
      servers: [{ uri: 'coap://10.0.0.2:5683', ssid: 1, retryCount: 1, sequenceRetryCount: 1 }],
      bootstrapServer: { uri: BS_URI },
    });
    if (bootstrapOnFailure !== undefined) client.set('/1/0/16', bootstrapOnFailure);
    const required = once(client, 'bootstrapRequired');
    await client.start();
    await required;
    await flush(10);
    await client.stop();
    await bs.close();
    await refusing.close();
    return asked;
  }

  test('absent (default true): every registration failing sends a Bootstrap-Request', async () => {
    assert.equal((await failingClient(undefined)).length, 1);
  });

  test('false: the client does not bootstrap', async () => {
    assert.equal((await failingClient(false)).length, 0);
  });
});

describe('a client waiting for its Bootstrap-Server', () => {
  test('answers 4.01 to DM requests from other peers', async () => {
    const net = new MemoryNetwork();
    const stranger = new CoapEndpoint(net.bind('10.0.0.9'));
    const client = new Lwm2mClient({
      clock: new ManualClock(0),
      endpoint: 'bs-node',
      transport: net.bind('10.0.0.1'),
      bootstrapServer: { uri: BS_URI, holdOffS: 60 },
    });
    await client.start();
    try {
      assert.equal((await stranger.request(CLIENT, { method: 'GET', path: '/3/0' })).code, 0x81);
    } finally {
      await client.stop();
      await stranger.close();
    }
  });
});
