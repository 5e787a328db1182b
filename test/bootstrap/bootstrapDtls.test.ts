// Issue 13 items 4-5, bootstrap side: BootstrapServer's `dtls` option (PSKs from its
// SecurityStore) beside plain CoAP on 127.0.0.1, and its Authorizer (Transport TS 1.1.1 5.2): a
// Bootstrap-Request or Bootstrap-Pack-Request is served only for the `ep` its PSK identity
// belongs to (4.00 for another identity, 4.03 in clear for an endpoint with credentials or under
// requireSecurity); the session's requests go back over DTLS; removed credentials end sessions.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { BootstrapServer } from '../../src/bootstrap/BootstrapServer.js';
import type { BootstrapSessionRecord } from '../../src/bootstrap/BootstrapSession.js';
import { bootstrapRequest } from '../../src/binding/uplinkRequests.js';
import { CoapEndpoint } from '../../src/coap/CoapEndpoint.js';
import { Code } from '../../src/coap/CoapMessage.js';
import { Router, type IncomingRequest } from '../../src/coap/Router.js';
import type { BootstrapConfig } from '../../src/lwm2m/BootstrapConfig.js';
import { MemoryBootstrapConfigStore } from '../../src/store/memory/MemoryBootstrapConfigStore.js';
import { MemorySecurityStore } from '../../src/store/memory/MemorySecurityStore.js';
import { DtlsTransport } from '../../src/transport/dtls/DtlsTransport.js';
import { makePeer, type PeerIdentity } from '../../src/transport/Peer.js';
import { UdpTransport } from '../../src/transport/udp/UdpTransport.js';
import { waitUntil } from '../support/waitUntil.js';
import { succeed } from './bootstrapFixture.js';

const KEY1 = Uint8Array.from(Buffer.from('0102030405060708090a0b0c0d0e0f10', 'hex'));
const KEY2 = Uint8Array.from(Buffer.from('1112131415161718191a1b1c1d1e1f20', 'hex'));
const CONFIG: BootstrapConfig = {
  delete: ['/0', '/1'],
  security: {
    1: { uri: 'coaps://127.0.0.1:5684', bootstrapServer: false, securityMode: 'nosec', shortServerId: 1 },
  },
  servers: { 0: { shortServerId: 1, lifetime: 300, binding: 'U' } },
};
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

async function setup(requireSecurity = false) {
  const security = new MemorySecurityStore([
    { endpoint: 'dev1', kind: 'psk', identity: 'id1', key: KEY1 },
    { endpoint: 'dev2', kind: 'psk', identity: 'id2', key: KEY2 },
  ]);
  const server = await BootstrapServer.start({
    address: '127.0.0.1',
    port: 0,
    dtls: { port: 0 },
    security: { store: security, requireSecurity },
    configStore: new MemoryBootstrapConfigStore([
      ['dev1', CONFIG],
      ['dev2', CONFIG],
      ['free', CONFIG],
    ]),
  });
  const devices: CoapEndpoint[] = [];
  after(async () => {
    for (const d of devices) await d.close();
    await server.stop();
  });
  const secured = makePeer('127.0.0.1', server.secureAddress()!.port);
  const plain = makePeer('127.0.0.1', server.address().port);
  /** A device answering every request with success; `seen` lists the identities its requests came over. */
  const device = async (psk?: { identity: string; key: Uint8Array }) => {
    const udp = await UdpTransport.bind({ address: '127.0.0.1' });
    const transport = psk ? new DtlsTransport(udp, { role: 'client', psk, handshakeTimeoutMs: 3_000 }) : udp;
    const seen: (PeerIdentity | undefined)[] = [];
    const router = new Router().setDefault((req: IncomingRequest) => {
      seen.push(req.peer.identity);
      return succeed(req);
    });
    const endpoint = new CoapEndpoint(transport, { router });
    devices.push(endpoint);
    return { endpoint, seen, transport, to: psk ? secured : plain };
  };
  return { server, security, device };
}

const finished = (server: BootstrapServer, ep: string) =>
  new Promise<BootstrapSessionRecord>((resolve) =>
    server.on('sessionFinished', (s) => s.endpoint === ep && resolve(s)),
  );

test('a Bootstrap-Request over DTLS with the endpoint’s identity runs its session over DTLS', async () => {
  const { server, device } = await setup();
  const d = await device({ identity: 'id1', key: KEY1 });
  const done = finished(server, 'dev1');
  const res = await d.endpoint.request(d.to, bootstrapRequest('dev1'));
  assert.equal(res.code, Code.CHANGED);
  assert.equal((await done).state, 'finished');
  assert.ok(d.seen.length >= 3, 'delete, write and finish reached the device');
  assert.ok(
    d.seen.every((id) => id?.kind === 'psk' && id.identity === 'id1'),
    'every request of the session came over the DTLS session',
  );
  // the device is the DTLS client: what it receives came over its one session with the server
  assert.equal((d.transport as DtlsTransport).stats.handshakesCompleted, 1);
});

test('another identity gets 4.00 and clear 4.03 for an endpoint with credentials, for /bs and /bspack', async () => {
  const { server, device } = await setup();
  const other = await device({ identity: 'id2', key: KEY2 });
  const bs = await other.endpoint.request(other.to, bootstrapRequest('dev1'));
  assert.equal(bs.code, Code.BAD_REQUEST);
  assert.match(text(bs.payload), /id2/);
  const pack = await other.endpoint.request(other.to, { method: 'GET', path: '/bspack', query: ['ep=dev1'] });
  assert.equal(pack.code, Code.BAD_REQUEST);
  const clear = await device();
  assert.equal((await clear.endpoint.request(clear.to, bootstrapRequest('dev1'))).code, Code.FORBIDDEN);
  const clearPack = await clear.endpoint.request(clear.to, {
    method: 'GET',
    path: '/bspack',
    query: ['ep=dev1'],
  });
  assert.equal(clearPack.code, Code.FORBIDDEN);
  assert.equal((await clear.endpoint.request(clear.to, bootstrapRequest('free'))).code, Code.CHANGED);
  assert.deepEqual(
    (await server.sessions()).map((s) => s.endpoint),
    ['free'],
    'no refused request started a session',
  );
  const own = await other.endpoint.request(other.to, { method: 'GET', path: '/bspack', query: ['ep=dev2'] });
  assert.equal(own.code, Code.CONTENT);
});

test('under requireSecurity a Bootstrap-Request in clear is refused 4.03', async () => {
  const { server, device } = await setup(true);
  const clear = await device();
  const res = await clear.endpoint.request(clear.to, bootstrapRequest('free'));
  assert.equal(res.code, Code.FORBIDDEN);
  assert.match(text(res.payload), /requires a secured connection/);
  assert.deepEqual(await server.sessions(), []);
});

test('removing an endpoint’s credentials ends its DTLS session with the bootstrap server', async () => {
  const { security, device } = await setup();
  const d = await device({ identity: 'id1', key: KEY1 });
  const pack = () =>
    d.endpoint.request(d.to, { method: 'GET', path: '/bspack', query: ['ep=dev1'], timeoutMs: 5_000 });
  assert.equal((await pack()).code, Code.CONTENT);
  await security.delete('dev1');
  const t = d.transport as DtlsTransport;
  await waitUntil(() => t.connectionCount === 0, 'close_notify from the bootstrap server');
  await assert.rejects(pack());
  assert.ok(t.stats.handshakesFailed >= 1, 'a new handshake with the removed key was refused');
});
