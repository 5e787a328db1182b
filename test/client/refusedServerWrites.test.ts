// Writes a client cannot honour are refused with 4.00, not swallowed (issue 11 item 8; Core TS
// 1.1.1 E.2 and 6.2.1.1, Core TS 1.2 E.2): a lifetime of 0 before LwM2M 1.2, a negative lifetime,
// a binding its version does not define (UQ on 1.1) or naming a transport it lacks. The value stays
// and no Update follows. A scripted server over in-memory CoAP sends the requests.
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CoapEndpoint } from '../../src/coap/CoapEndpoint.js';
import type { CoapRequestOptions } from '../../src/coap/CoapRequest.js';
import type { IncomingRequest } from '../../src/coap/Router.js';
import { registeredResponse } from '../../src/binding/toUplinkResponse.js';
import { Lwm2mClient } from '../../src/client/Lwm2mClient.js';
import { tlvNodeCodec } from '../../src/content/tlv/TlvNodeCodec.js';
import { senmlJsonCodec } from '../../src/content/senml/senmlJsonCodec.js';
import { Lwm2mPath } from '../../src/lwm2m/Lwm2mPath.js';
import { instance, resource } from '../../src/lwm2m/nodes.js';
import { integerValue, stringValue } from '../../src/lwm2m/values.js';
import { makePeer } from '../../src/transport/Peer.js';
import { createCoreRegistry } from '../../src/model/core/coreModels.js';
import { MemoryNetwork } from '../support/MemoryTransport.js';

const text = (b: Uint8Array): string => new TextDecoder().decode(b);
const CLIENT = makePeer('10.0.0.1', 5683);
const models = createCoreRegistry();
const ticks = async (n = 5): Promise<void> => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

describe('Server object writes the client cannot honour', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of closers.splice(0).reverse()) await c();
  });

  /** A registered client of `version`; `seen` lists the registration requests the server got. */
  async function setup(version: '1.0' | '1.1' | '1.2', bindings?: string) {
    const net = new MemoryNetwork();
    const server = new CoapEndpoint(net.bind('10.0.0.2'));
    const seen: string[] = [];
    server.router.use('rd', (req: IncomingRequest) => {
      seen.push(`${req.method} ${req.path.join('/')} ${req.query.join('&')}`);
      return req.method === 0x02 && req.path.length === 1 ? registeredResponse('r1') : { code: 0x44 };
    });
    const client = new Lwm2mClient({
      endpoint: 'refuse-1',
      lwm2mVersion: version,
      transport: net.bind('10.0.0.1'),
      servers: [{ uri: 'coap://10.0.0.2:5683', ssid: 1, lifetime: 300 }],
      ...(bindings ? { device: { bindings } } : {}),
    });
    closers.push(async () => {
      await client.stop();
      await server.close();
    });
    const registered = new Promise<void>((r) => client.on('registered', () => r()));
    await client.start();
    await registered;
    const req = (o: CoapRequestOptions) => server.request(CLIENT, o);
    const write = async (rid: number, payload: string): Promise<number> =>
      (await req({ method: 'PUT', path: `/1/0/${rid}`, contentFormat: 0, payload })).code;
    const read = async (rid: number): Promise<string> =>
      text((await req({ method: 'GET', path: `/1/0/${rid}` })).payload);
    return { client, seen, req, write, read };
  }

  test('1.1: lifetime 0 and a negative lifetime answer 4.00; the lifetime stays and no Update goes', async () => {
    const c = await setup('1.1');
    assert.equal(await c.write(1, '0'), 0x80);
    assert.equal(await c.write(1, '-5'), 0x80);
    await ticks();
    assert.equal(await c.read(1), '300');
    assert.deepEqual(c.seen, ['2 rd ep=refuse-1&lt=300&lwm2m=1.1&b=U'], 'no Update');
  });

  test('1.1: binding UQ answers 4.00, the binding stays U and the client stays awake', async () => {
    const c = await setup('1.1');
    assert.equal(await c.write(7, 'UQ'), 0x80);
    await ticks();
    assert.equal(await c.read(7), 'U');
    assert.equal(c.client.status()[0]!.reachable, true);
    assert.equal(c.seen.length, 1, 'no Update');
  });

  test('1.1: a binding naming a transport the device does not support answers 4.00', async () => {
    const c = await setup('1.1');
    assert.equal(await c.write(7, 'T'), 0x80, 'Supported Binding and Modes is U');
    assert.equal(await c.write(7, 'X'), 0x80, 'not a binding letter');
  });

  test('an instance Write (TLV) and a Write-Composite carrying lifetime 0 on 1.1 answer 4.00, all or nothing', async () => {
    const c = await setup('1.1');
    const inst = instance(0, [resource(1, integerValue(0)), resource(7, stringValue('U'))]);
    const tlv = tlvNodeCodec.encode(Lwm2mPath.parse('/1/0'), inst, models);
    assert.equal(
      (await c.req({ method: 'POST', path: '/1/0', contentFormat: 11542, payload: tlv })).code,
      0x80,
    );
    const senml = senmlJsonCodec.encodeNodes(
      [
        { path: Lwm2mPath.parse('/1/0/5'), node: resource(5, integerValue(60)) },
        { path: Lwm2mPath.parse('/1/0/1'), node: resource(1, integerValue(0)) },
      ],
      models,
    );
    const composite = await c.req({ method: 'IPATCH', path: '/', contentFormat: 110, payload: senml });
    assert.equal(composite.code, 0x80);
    assert.equal(await c.read(1), '300');
    assert.equal((await c.req({ method: 'GET', path: '/1/0/5' })).code, 0x84, 'nothing of it written');
  });

  test('1.2: lifetime 0 (no expiry) is accepted and sent in an Update', async () => {
    const c = await setup('1.2');
    assert.equal(await c.write(1, '0'), 0x44);
    assert.equal(await c.write(1, '-1'), 0x80);
    await ticks();
    assert.deepEqual(c.seen.slice(1), ['2 rd/r1 lt=0']);
  });

  test('1.0: binding UQ is a 1.0 binding and is accepted; T is not', async () => {
    const c = await setup('1.0');
    assert.equal(await c.write(7, 'T'), 0x80);
    assert.equal(await c.write(7, 'UQ'), 0x44);
    assert.equal(await c.read(7), 'UQ');
  });

  test('a binding with a transport the device supports is accepted', async () => {
    const c = await setup('1.1', 'US');
    assert.equal(await c.write(7, 'S'), 0x44);
    assert.equal(await c.write(7, 'T'), 0x80);
  });
});
