// DM operations end to end over in-memory CoAP: a CoapEndpoint plays the server and sends raw
// CoAP requests to our client; each answer's code follows Core TS 5.4 / Transport TS 6.4.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CoapEndpoint } from '../../src/coap/CoapEndpoint.js';
import type { CoapRequestOptions } from '../../src/coap/CoapRequest.js';
import type { CoapResponse } from '../../src/coap/CoapResponse.js';
import { Lwm2mClient } from '../../src/client/Lwm2mClient.js';
import { declareInstance } from '../../src/client/declareInstance.js';
import { tlvNodeCodec } from '../../src/content/tlv/TlvNodeCodec.js';
import { senmlJsonCodec } from '../../src/content/senml/senmlJsonCodec.js';
import { Lwm2mPath } from '../../src/lwm2m/Lwm2mPath.js';
import { instance, resource } from '../../src/lwm2m/nodes.js';
import { floatValue, stringValue } from '../../src/lwm2m/values.js';
import { createCoreRegistry } from '../../src/model/core/coreModels.js';
import { TEMPERATURE_1_1 } from '../../src/model/core/temperature.js';
import { MemoryNetwork, type MemoryTransport } from '../support/MemoryTransport.js';

const text = (b: Uint8Array): string => new TextDecoder().decode(b);
const models = createCoreRegistry();

describe('Device Management through CoAP', () => {
  let net: MemoryNetwork;
  let client: Lwm2mClient;
  let server: CoapEndpoint;
  let clientPeer: MemoryTransport['self'];
  let rebooted = 0;

  before(async () => {
    net = new MemoryNetwork();
    const ct = net.bind('10.0.0.1');
    clientPeer = ct.self;
    client = new Lwm2mClient({
      endpoint: 'dm-test',
      transport: ct,
      device: { manufacturer: 'ACME', modelNumber: 'M1', batteryLevel: 80 },
      objects: [declareInstance(TEMPERATURE_1_1, 0, { 5700: 21.5, 5701: 'Cel' })],
    });
    client.on('reboot', () => rebooted++);
    await client.start();
    server = new CoapEndpoint(net.bind('10.0.0.2'));
  });
  after(async () => {
    await client.stop();
    await server.close();
  });

  const req = (o: CoapRequestOptions): Promise<CoapResponse> => server.request(clientPeer, o);

  test('Read of a resource answers 2.05 with its text value', async () => {
    const res = await req({ method: 'GET', path: '/3/0/0' });
    assert.equal(res.code, 0x45);
    assert.equal(res.contentFormat, 0);
    assert.equal(text(res.payload), 'ACME');
  });

  test('Read of an instance with Accept TLV answers TLV holding the readable resources', async () => {
    const res = await req({ method: 'GET', path: '/3/0', accept: 11542 });
    assert.equal(res.code, 0x45);
    assert.equal(res.contentFormat, 11542);
    const node = tlvNodeCodec.decode(res.payload, Lwm2mPath.parse('/3/0'), models);
    assert.equal(node.kind, 'instance');
    const ids = node.kind === 'instance' ? node.resources.map((r) => r.id) : [];
    assert.ok(ids.includes(0) && ids.includes(9) && ids.includes(13));
    assert.ok(!ids.includes(4), 'executable resources are not read');
  });

  test('Read with an Accept the client cannot produce answers 4.06', async () => {
    const res = await req({ method: 'GET', path: '/3/0', accept: 0 });
    assert.equal(res.code, 0x86);
  });

  test('unknown object, instance and resource answer 4.04', async () => {
    for (const path of ['/99/0', '/3/5', '/3/0/99', '/3303/0/5750'])
      assert.equal((await req({ method: 'GET', path })).code, 0x84, path);
  });

  test('Write to a read-only resource answers 4.05', async () => {
    const res = await req({ method: 'PUT', path: '/3/0/0', contentFormat: 0, payload: 'X' });
    assert.equal(res.code, 0x85);
  });

  test('Write with an unknown content format answers 4.15', async () => {
    const res = await req({ method: 'PUT', path: '/3/0/14', contentFormat: 9999, payload: 'X' });
    assert.equal(res.code, 0x8f);
  });

  test('Write of a bad TLV payload answers 4.00', async () => {
    const res = await req({
      method: 'PUT',
      path: '/3/0',
      contentFormat: 11542,
      payload: new Uint8Array([0xff, 0x01]),
    });
    assert.equal(res.code, 0x80);
  });

  test('Write of a writable resource answers 2.04 and changes it', async () => {
    const res = await req({ method: 'PUT', path: '/3/0/14', contentFormat: 0, payload: '+02:00' });
    assert.equal(res.code, 0x44);
    assert.equal(text((await req({ method: 'GET', path: '/3/0/14' })).payload), '+02:00');
  });

  test('Execute answers 2.04 and runs the handler; executing a readable resource answers 4.05', async () => {
    assert.equal((await req({ method: 'POST', path: '/3/0/4' })).code, 0x44);
    assert.equal(rebooted, 1);
    assert.equal((await req({ method: 'POST', path: '/3/0/0' })).code, 0x85);
  });

  test('Read of the Security object is refused with 4.01', async () => {
    // The client has no server accounts here but the Security object is never readable by DM.
    client.tree.add(
      declareInstance(models.getObject(0)!, 0, {
        0: 'coap://x',
        1: true,
        2: 3,
        3: new Uint8Array(),
        4: new Uint8Array(),
        5: new Uint8Array(),
      }),
    );
    assert.equal((await req({ method: 'GET', path: '/0/0' })).code, 0x81);
  });

  test('Create answers 2.01 with the Location-Path of the new instance; Delete answers 2.02', async () => {
    const payload = tlvNodeCodec.encode(
      Lwm2mPath.of(3303),
      { kind: 'object', id: 3303, instances: [instance(65535, [resource(5700, floatValue(3))])] },
      models,
    );
    const res = await req({ method: 'POST', path: '/3303', contentFormat: 11542, payload });
    assert.equal(res.code, 0x41);
    const location = res.options.filter((o) => o.number === 8).map((o) => text(o.value));
    assert.deepEqual(location, ['3303', '1']);
    assert.equal(text((await req({ method: 'GET', path: '/3303/1/5700' })).payload), '3');
    assert.equal((await req({ method: 'DELETE', path: '/3303/1' })).code, 0x42);
    assert.equal((await req({ method: 'GET', path: '/3303/1' })).code, 0x84);
  });

  test('Delete of the Device instance answers 4.05', async () => {
    assert.equal((await req({ method: 'DELETE', path: '/3/0' })).code, 0x85);
  });

  test('Write-Attributes answers 2.04 and Discover reports them; gt on a string answers 4.00', async () => {
    assert.equal((await req({ method: 'PUT', path: '/3303/0/5700', query: ['pmin=5', 'gt=30'] })).code, 0x44);
    assert.equal((await req({ method: 'PUT', path: '/3303/0/5701', query: ['gt=30'] })).code, 0x80);
    const res = await req({ method: 'GET', path: '/3303/0', accept: 40 });
    assert.equal(res.code, 0x45);
    assert.match(text(res.payload), /<\/3303\/0\/5700>;pmin=5;gt=30/);
  });

  test('Read-Composite answers SenML JSON with the asked paths', async () => {
    const paths = senmlJsonCodec.encodePaths([Lwm2mPath.parse('/3/0/0'), Lwm2mPath.parse('/3303/0/5701')]);
    const res = await req({ method: 'FETCH', path: '/', contentFormat: 110, accept: 110, payload: paths });
    assert.equal(res.code, 0x45);
    const nodes = senmlJsonCodec.decodeNodes(res.payload, models);
    assert.deepEqual(
      nodes.map((n) => n.path.toString()),
      ['/3/0/0', '/3303/0/5701'],
    );
  });

  test('Observe answers 2.05 and setting the value sends a notification', async () => {
    await req({ method: 'PUT', path: '/3303/0/5700', query: ['pmin', 'gt'] }); // remove attributes
    const obs = server.observe(clientPeer, { method: 'GET', path: '/3303/0/5700', accept: 0 });
    const it = obs[Symbol.asyncIterator]();
    const first = await it.next();
    assert.equal(text((first.value as CoapResponse).payload), '21.5');
    client.set('/3303/0/5700', 22.5);
    const second = await it.next();
    assert.equal(text((second.value as CoapResponse).payload), '22.5');
    await obs.cancel();
  });

  test('set() validates the value against the model', () => {
    assert.throws(() => client.set('/3303/0/5700', 'warm'), /float/);
    assert.throws(() => client.set('/3/0/0', ['a', 'b']), /single-instance/);
    assert.throws(() => client.set('/3/0/9', stringValue('x')), /integer/);
  });

  test('a large value is read whole through block-wise transfer (RFC 7959)', async () => {
    const long = 'x'.repeat(3000);
    client.set('/3303/0/5750', long);
    const res = await req({ method: 'GET', path: '/3303/0/5750' });
    assert.equal(res.code, 0x45);
    assert.equal(text(res.payload), long);
  });

  test("the 'request' event reports what servers did, with the answer code", async () => {
    const seen: string[] = [];
    const listener = (e: { request?: { kind: string }; code: number }): void =>
      void seen.push(`${e.request?.kind ?? '?'} ${e.code.toString(16)}`);
    client.on('request', listener);
    await req({ method: 'GET', path: '/3/0/0' });
    await req({ method: 'GET', path: '/3/7' });
    client.off('request', listener);
    assert.deepEqual(seen, ['read 45', 'read 84']);
  });

  test('Observe-Composite notifies the asked paths together when one changes', async () => {
    const payload = senmlJsonCodec.encodePaths([Lwm2mPath.parse('/3303/0/5700'), Lwm2mPath.parse('/3/0/9')]);
    const obs = server.observe(clientPeer, {
      method: 'FETCH',
      path: '/',
      contentFormat: 110,
      accept: 110,
      payload,
    });
    const it = obs[Symbol.asyncIterator]();
    const first = (await it.next()).value as CoapResponse;
    assert.equal(first.code, 0x45);
    client.set('/3/0/9', 42);
    const second = (await it.next()).value as CoapResponse;
    const nodes = senmlJsonCodec.decodeNodes(second.payload, models);
    assert.deepEqual(
      nodes.map((n) => n.path.toString()),
      ['/3303/0/5700', '/3/0/9'],
    );
    const battery = nodes[1]!.node;
    assert.equal(battery.kind === 'resource' ? Number(battery.value.value) : undefined, 42);
    await obs.cancel();
  });
});
