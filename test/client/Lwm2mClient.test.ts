// The client against a scripted server over in-memory CoAP: Register parameters and payload,
// Update with only what changed, Registration Update Trigger, Send, access control between two
// servers, De-register on stop (also with the Register still in flight).
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CoapEndpoint } from '../../src/coap/CoapEndpoint.js';
import type { IncomingRequest } from '../../src/coap/Router.js';
import { registeredResponse } from '../../src/binding/toUplinkResponse.js';
import { Lwm2mClient } from '../../src/client/Lwm2mClient.js';
import { declareInstance } from '../../src/client/declareInstance.js';
import { accessControlInstance } from '../../src/client/objects/accessControlInstance.js';
import { AccessRight } from '../../src/client/accessControl.js';
import { senmlCborCodec } from '../../src/content/senml/senmlCborCodec.js';
import { createCoreRegistry } from '../../src/model/core/coreModels.js';
import { tlvNodeCodec } from '../../src/content/tlv/TlvNodeCodec.js';
import { Lwm2mPath } from '../../src/lwm2m/Lwm2mPath.js';
import { instance, object, resource } from '../../src/lwm2m/nodes.js';
import { floatValue } from '../../src/lwm2m/values.js';
import { makePeer } from '../../src/transport/Peer.js';
import { TEMPERATURE_1_1 } from '../../src/model/core/temperature.js';
import { MemoryNetwork } from '../support/MemoryTransport.js';

const text = (b: Uint8Array): string => new TextDecoder().decode(b);
const CLIENT = makePeer('10.0.0.1', 5683);
const models = createCoreRegistry();

interface Seen {
  method: number;
  path: string;
  query: string[];
  payload: string;
  raw: Uint8Array;
}

function fakeServer(net: MemoryNetwork, address: string) {
  const endpoint = new CoapEndpoint(net.bind(address));
  const seen: Seen[] = [];
  const waiters: (() => void)[] = [];
  const record = (req: IncomingRequest): void => {
    seen.push({
      method: req.method,
      path: req.path.join('/'),
      query: req.query,
      payload: text(req.payload),
      raw: req.payload,
    });
    for (const w of waiters.splice(0)) w();
  };
  endpoint.router.use('rd', (req) => {
    record(req);
    if (req.method === 0x02 && req.path.length === 1) return registeredResponse('r1');
    return { code: req.method === 0x04 ? 0x42 : 0x44 };
  });
  endpoint.router.use('dp', (req) => (record(req), { code: 0x44 }));
  const until = async (pred: () => boolean): Promise<void> => {
    while (!pred()) await new Promise<void>((r) => waiters.push(r));
  };
  return { endpoint, seen, until };
}

describe('Lwm2mClient registration', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of closers.splice(0).reverse()) await c();
  });

  async function setup(servers = [{ address: '10.0.0.2', ssid: 1 }]) {
    const net = new MemoryNetwork();
    const fakes = servers.map((s) => fakeServer(net, s.address));
    const client = new Lwm2mClient({
      endpoint: 'node-1',
      transport: net.bind('10.0.0.1'),
      servers: servers.map((s) => ({ uri: `coap://${s.address}:5683`, ssid: s.ssid, lifetime: 300 })),
      device: { manufacturer: 'ACME' },
      objects: [declareInstance(TEMPERATURE_1_1, 0, { 5700: 20 })],
      queueMode: false,
    });
    closers.push(async () => {
      await client.stop();
      for (const f of fakes) await f.endpoint.close();
    });
    const registered = new Promise<void>((r) => client.on('registered', () => r()));
    await client.start();
    await registered;
    return { client, fakes, net };
  }

  test('registers with ep, lt, lwm2m, b and the object links', async () => {
    const { fakes } = await setup();
    const reg = fakes[0]!.seen[0]!;
    assert.equal(reg.path, 'rd');
    assert.deepEqual(reg.query, ['ep=node-1', 'lt=300', 'lwm2m=1.1', 'b=U']);
    assert.equal(
      reg.payload,
      '</>;rt="oma.lwm2m";ct=112,</1>;ver=1.1,</1/0>,</3>;ver=1.1,</3/0>,</3303>;ver=1.1,</3303/0>',
    );
  });

  test('a new instance triggers an Update with only the object links', async () => {
    const { client, fakes } = await setup();
    client.tree.add(declareInstance(TEMPERATURE_1_1, 1, { 5700: 5 }));
    await fakes[0]!.until(() => fakes[0]!.seen.length >= 2);
    const upd = fakes[0]!.seen[1]!;
    assert.equal(upd.path, 'rd/r1');
    assert.deepEqual(upd.query, []);
    assert.match(upd.payload, /<\/3303\/1>/);
  });

  test('executing the Registration Update Trigger sends a bare Update', async () => {
    const { fakes } = await setup();
    const res = await fakes[0]!.endpoint.request(CLIENT, { method: 'POST', path: '/1/0/8' });
    assert.equal(res.code, 0x44);
    await fakes[0]!.until(() => fakes[0]!.seen.length >= 2);
    assert.equal(fakes[0]!.seen[1]!.path, 'rd/r1');
    assert.equal(fakes[0]!.seen[1]!.payload, '');
  });

  test('a server writing the lifetime causes an Update carrying only lt', async () => {
    const { fakes } = await setup();
    const res = await fakes[0]!.endpoint.request(CLIENT, {
      method: 'PUT',
      path: '/1/0/1',
      contentFormat: 0,
      payload: '600',
    });
    assert.equal(res.code, 0x44);
    await fakes[0]!.until(() => fakes[0]!.seen.length >= 2);
    assert.deepEqual(fakes[0]!.seen[1]!.query, ['lt=600']);
    assert.equal(fakes[0]!.seen[1]!.payload, '');
  });

  test('send() posts SenML CBOR to /dp', async () => {
    const { client, fakes } = await setup();
    await client.send(['/3303/0/5700']);
    const dp = fakes[0]!.seen.find((s) => s.path === 'dp')!;
    const nodes = senmlCborCodec.decodeNodes(dp.raw, models);
    assert.deepEqual(
      nodes.map((n) => n.path.toString()),
      ['/3303/0/5700'],
    );
  });

  test('stop() de-registers', async () => {
    const { client, fakes } = await setup();
    await client.stop();
    assert.ok(fakes[0]!.seen.some((s) => s.method === 0x04 && s.path === 'rd/r1'));
  });

  test('stop() with the Register still in flight waits for it and de-registers (Core TS 6.2.3)', async () => {
    const net = new MemoryNetwork();
    const fake = fakeServer(net, '10.0.0.2');
    closers.push(() => fake.endpoint.close());
    const client = new Lwm2mClient({
      endpoint: 'node-1',
      transport: net.bind('10.0.0.1'),
      servers: [{ uri: 'coap://10.0.0.2:5683', ssid: 1, lifetime: 300 }],
    });
    const events: string[] = [];
    client.on('registered', () => events.push('registered'));
    client.on('deregistered', () => events.push('deregistered'));
    await client.start();
    assert.equal(client.status()[0]!.state, 'registering', 'the Register is not answered yet');
    await client.stop();
    assert.deepEqual(
      fake.seen.map((s) => `${s.method} ${s.path}`),
      ['2 rd', '4 rd/r1'],
    );
    assert.deepEqual(events, ['registered', 'deregistered']);
  });

  test('with two servers, access control decides who may read and write', async () => {
    const { client, fakes } = await setup([
      { address: '10.0.0.2', ssid: 1 },
      { address: '10.0.0.3', ssid: 2 },
    ]);
    client.tree.add(
      accessControlInstance({ id: 0, objectId: 3303, instanceId: 0, acl: { 1: AccessRight.READ }, owner: 2 }),
    );
    const peer = CLIENT;
    const [s1, s2] = fakes.map((f) => f.endpoint);
    assert.equal((await s1!.request(peer, { method: 'GET', path: '/3303/0/5700' })).code, 0x45);
    assert.equal(
      (await s1!.request(peer, { method: 'PUT', path: '/3303/0/5700', query: ['pmin=1'] })).code,
      0x44,
    );
    assert.equal((await s1!.request(peer, { method: 'POST', path: '/3303/0/5605' })).code, 0x81);
    // The owner (server 2) has every right but Create; no ACO instance for /3/0: 4.01 for both.
    assert.equal((await s2!.request(peer, { method: 'POST', path: '/3303/0/5605' })).code, 0x44);
    assert.equal((await s1!.request(peer, { method: 'GET', path: '/3/0/0' })).code, 0x81);
    // Create needs the create bit on /2 instance for (3303, 65535).
    const payload = tlvNodeCodec.encode(
      Lwm2mPath.of(3303),
      object(3303, [instance(7, [resource(5700, floatValue(1))])]),
      models,
    );
    const create = { method: 'POST' as const, path: '/3303', contentFormat: 11542, payload };
    assert.equal((await s2!.request(peer, create)).code, 0x81);
    client.tree.add(
      accessControlInstance({
        id: 1,
        objectId: 3303,
        instanceId: 65535,
        acl: { 2: AccessRight.CREATE },
        owner: 2,
      }),
    );
    assert.equal((await s2!.request(peer, create)).code, 0x41);
    // The creator owns the new instance's ACO instance: full rights for it, none for server 1.
    assert.equal((await s2!.request(peer, { method: 'DELETE', path: '/3303/7' })).code, 0x42);
  });
});
