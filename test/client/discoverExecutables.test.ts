// Discover (Core TS 1.1.1 5.4.2) lists every resource an instance declares, the executable ones
// (which hold no value and are never read) included: </3/0/4> Reboot, </1/0/8> Registration
// Update Trigger, </5/0/2> Update. A server over in-memory CoAP asks in application/link-format.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CoapEndpoint } from '../../src/coap/CoapEndpoint.js';
import type { CoapResponse } from '../../src/coap/CoapResponse.js';
import { Lwm2mClient } from '../../src/client/Lwm2mClient.js';
import { firmwareUpdateInstance } from '../../src/client/objects/firmwareUpdateInstance.js';
import { serverInstance } from '../../src/client/objects/serverInstance.js';
import { MemoryNetwork, type MemoryTransport } from '../support/MemoryTransport.js';

const text = (b: Uint8Array): string => new TextDecoder().decode(b);
const links = (res: CoapResponse): string[] => text(res.payload).split(',');

describe('Discover lists executable resources', () => {
  let client: Lwm2mClient;
  let server: CoapEndpoint;
  let clientPeer: MemoryTransport['self'];

  before(async () => {
    const net = new MemoryNetwork();
    const ct = net.bind('10.0.0.1');
    clientPeer = ct.self;
    client = new Lwm2mClient({
      endpoint: 'discover-test',
      transport: ct,
      // A Server instance without its Security instance: no account, so the client serves any peer.
      objects: [serverInstance({ id: 0, ssid: 1 }), firmwareUpdateInstance()],
    });
    await client.start();
    server = new CoapEndpoint(net.bind('10.0.0.2'));
  });
  after(async () => {
    await client.stop();
    await server.close();
  });

  const discover = (path: string): Promise<CoapResponse> =>
    server.request(clientPeer, { method: 'GET', path, accept: 40 });

  test('Discover of /3/0 lists Reboot, Factory Reset and Reset Error Code', async () => {
    const res = await discover('/3/0');
    assert.equal(res.code, 0x45);
    const l = links(res);
    for (const p of ['</3/0/4>', '</3/0/5>', '</3/0/12>']) assert.ok(l.includes(p), `${p} in ${l.join(',')}`);
    assert.ok(l.includes('</3/0/11>;dim=1'));
    assert.deepEqual(
      l.slice(1).map((x) => Number(/^<\/3\/0\/(\d+)>/.exec(x)![1])),
      [4, 5, 11, 12, 13, 16],
      'ascending resource ids',
    );
  });

  test('Discover of /1/0 lists Disable, Registration Update Trigger and Bootstrap-Request Trigger', async () => {
    const l = links(await discover('/1/0'));
    for (const p of ['</1/0/4>', '</1/0/8>', '</1/0/9>']) assert.ok(l.includes(p), `${p} in ${l.join(',')}`);
  });

  test('Discover of an object lists the executables of its instances; the firmware object its Update', async () => {
    const l = links(await discover('/5'));
    assert.ok(l.includes('</5/0/2>'), l.join(','));
    assert.ok(links(await discover('/3')).includes('</3/0/4>'));
  });

  test('Discover of an executable resource answers its link, without dim', async () => {
    const res = await discover('/3/0/4');
    assert.equal(res.code, 0x45);
    assert.equal(text(res.payload), '</3/0/4>');
  });
});
