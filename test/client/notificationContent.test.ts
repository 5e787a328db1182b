// What a notification holds, over in-memory CoAP (Core TS 1.1.1 5.5 with 5.4.1 and 7.3): an
// observed instance notifies one change of several of its resources once; a notification holds
// what the observing server may read (no write-only resource, no instance its ACL hides), and an
// observation whose node the server may no longer read ends with 4.01.
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CoapEndpoint } from '../../src/coap/CoapEndpoint.js';
import type { CoapObservation } from '../../src/coap/observe/CoapObservation.js';
import type { CoapResponse } from '../../src/coap/CoapResponse.js';
import { registeredResponse } from '../../src/binding/toUplinkResponse.js';
import { Lwm2mClient } from '../../src/client/Lwm2mClient.js';
import { AccessRight } from '../../src/client/accessControl.js';
import { declareInstance } from '../../src/client/declareInstance.js';
import { accessControlInstance } from '../../src/client/objects/accessControlInstance.js';
import { temperatureSensor } from '../../src/client/objects/temperatureInstance.js';
import type { ObjectInstance } from '../../src/client/ObjectInstance.js';
import { tlvNodeCodec } from '../../src/content/tlv/TlvNodeCodec.js';
import type { Lwm2mNode } from '../../src/lwm2m/Lwm2mNode.js';
import { Lwm2mPath } from '../../src/lwm2m/Lwm2mPath.js';
import { createCoreRegistry } from '../../src/model/core/coreModels.js';
import { FIRMWARE_UPDATE_1_1 } from '../../src/model/core/firmwareUpdate.js';
import { TEMPERATURE_1_1 } from '../../src/model/core/temperature.js';
import { makePeer } from '../../src/transport/Peer.js';
import { MemoryNetwork, flush } from '../support/MemoryTransport.js';

const CLIENT = makePeer('10.0.0.1', 5683);
const TLV = 11542;
const models = createCoreRegistry();

/** The next response of an observation, or 'none' after `ms` of real time (I/O, not protocol timing). */
async function next(it: AsyncIterator<CoapResponse>, ms = 2_000): Promise<CoapResponse | 'none'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'none'>((r) => (timer = setTimeout(() => r('none'), ms)));
  try {
    const r = await Promise.race([it.next(), late]);
    return r === 'none' || r.done ? 'none' : r.value;
  } finally {
    clearTimeout(timer);
  }
}

function decode(res: CoapResponse | 'none', path: string): Lwm2mNode {
  assert.ok(res !== 'none', 'a notification');
  assert.equal(res.code, 0x45);
  return tlvNodeCodec.decode(res.payload, Lwm2mPath.parse(path), models);
}

describe('the content of notifications', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of closers.splice(0).reverse()) await c();
  });

  async function setup(addresses: readonly string[], objects: readonly ObjectInstance[]) {
    const net = new MemoryNetwork();
    const servers = addresses.map((address) => {
      const endpoint = new CoapEndpoint(net.bind(address));
      endpoint.router.use('rd', (req) => (req.path.length === 1 ? registeredResponse('n1') : { code: 0x44 }));
      return endpoint;
    });
    const client = new Lwm2mClient({
      endpoint: 'content',
      transport: net.bind('10.0.0.1'),
      servers: addresses.map((a, i) => ({ uri: `coap://${a}:5683`, ssid: i + 1, lifetime: 3600 })),
      objects,
    });
    closers.push(async () => {
      await client.stop();
      for (const s of servers) await s.close();
    });
    await client.start();
    await flush(5);
    const observe = async (
      server: CoapEndpoint,
      path: string,
    ): Promise<{ obs: CoapObservation; it: AsyncIterator<CoapResponse>; first: CoapResponse | 'none' }> => {
      const obs = server.observe(CLIENT, { method: 'GET', path, accept: TLV });
      const it = obs[Symbol.asyncIterator]();
      return { obs, it, first: await next(it) };
    };
    return { client, servers, net, observe };
  }

  test('an observed instance gets one notification when a reading changes the value and its maximum', async () => {
    const sensor = temperatureSensor({ value: 20 });
    const { servers, net, observe } = await setup(['10.0.0.2'], [sensor.instance]);
    const { obs, it } = await observe(servers[0]!, '/3303/0');
    const fromClient = (): number => net.log.filter((d) => d.from.key === CLIENT.key).length;
    const before = fromClient();
    sensor.record(30); // sets 5700 and 5602 (Max Measured Value)
    const node = decode(await next(it), '/3303/0');
    assert.ok(node.kind === 'instance');
    const value = (id: number): unknown => {
      const r = node.resources.find((x) => x.id === id);
      return r?.kind === 'resource' ? r.value.value : undefined;
    };
    assert.deepEqual([value(5700), value(5602)], [30, 30], 'both changes in the one notification');
    assert.equal(await next(it, 200), 'none', 'no second notification');
    assert.equal(fromClient() - before, 1, 'one datagram on the wire');
    await obs.cancel();
  });

  test('a write-only resource never appears in a notification', async () => {
    const firmware = declareInstance(FIRMWARE_UPDATE_1_1, 0, {
      0: new Uint8Array([1, 2, 3]),
      1: '',
      3: 0,
      5: 0,
      9: 2,
    });
    const { client, servers, observe } = await setup(['10.0.0.2'], [firmware]);
    const { obs, it, first } = await observe(servers[0]!, '/5/0');
    const ids = (n: Lwm2mNode): number[] => (n.kind === 'instance' ? n.resources.map((r) => r.id) : []);
    assert.ok(!ids(decode(first, '/5/0')).includes(0), 'the Observe answer leaves Package out');
    client.set('/5/0/3', 1);
    const n = ids(decode(await next(it), '/5/0'));
    assert.ok(n.includes(3), 'State is notified');
    assert.ok(!n.includes(0), 'Package (W) is not');
    await obs.cancel();
  });

  test("notifications follow the observing server's ACL: hidden instances stay out, a revoked read ends with 4.01", async () => {
    const { client, servers, observe } = await setup(
      ['10.0.0.2', '10.0.0.3'],
      [
        declareInstance(TEMPERATURE_1_1, 0, { 5700: 20 }),
        declareInstance(TEMPERATURE_1_1, 1, { 5700: 40 }),
        // Server 1 may read instance 0 only; server 2 owns both.
        accessControlInstance({
          id: 0,
          objectId: 3303,
          instanceId: 0,
          acl: { 1: AccessRight.READ },
          owner: 2,
        }),
        accessControlInstance({ id: 1, objectId: 3303, instanceId: 1, acl: {}, owner: 2 }),
      ],
    );
    const { it, first } = await observe(servers[0]!, '/3303');
    const instances = (n: Lwm2mNode): number[] => (n.kind === 'object' ? n.instances.map((i) => i.id) : []);
    assert.deepEqual(instances(decode(first, '/3303')), [0]);
    client.set('/3303/1/5700', 41);
    assert.equal(await next(it, 200), 'none', 'a change server 1 cannot see is not notified to it');
    client.set('/3303/0/5700', 21);
    assert.deepEqual(instances(decode(await next(it), '/3303')), [0]);
    // The owner takes server 1's read right away: the observation of /3303/0/5700 ends.
    const leaf = await observe(servers[0]!, '/3303/0/5700');
    assert.ok(leaf.first !== 'none' && leaf.first.code === 0x45);
    client.set('/2/0/2', new Map([[1, 0]]));
    client.set('/3303/0/5700', 22);
    const last = await next(leaf.it);
    assert.ok(last !== 'none');
    assert.equal(last.code, 0x81, '4.01 Unauthorized ends the relation');
  });
});
