// Issue 13 items 4-5, server side: Lwm2mServer's `dtls` option binds CoAP over DTLS (PSK, keys
// from the server's SecurityStore) beside plain CoAP on 127.0.0.1. A client registered over DTLS
// is read and observed over DTLS; the endpoint name is bound to the PSK identity (4.00 for
// another, 4.03 in clear under requireSecurity); a request for one identity never reaches a peer
// authenticated as another; removing credentials ends their sessions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Code } from '../../src/coap/CoapMessage.js';
import { ResponseCode } from '../../src/lwm2m/responses.js';
import { UdpTransport } from '../../src/transport/udp/UdpTransport.js';
import { makePeer } from '../../src/transport/Peer.js';
import { Lwm2mServer } from '../../src/server/Lwm2mServer.js';
import { waitUntil } from '../support/waitUntil.js';
import { iterate, nextNotification, valueOf } from '../integration/support/notifications.js';
import { dtlsClient, KEY1, KEY2, rawDevice, registeredClient, securedServer } from './dtlsFixture.js';

const text = (b: Uint8Array): string => new TextDecoder().decode(b);

test('a client registers over DTLS beside plain CoAP, and is read and observed over DTLS', async () => {
  const { server, dtlsPort } = await securedServer();
  assert.notEqual(server.address().port, dtlsPort, 'plain and secured ports differ');
  const transport = await dtlsClient('id1', KEY1);
  const client = await registeredClient(server, 'dev1', transport, dtlsPort);
  const reg = await server.getRegistration('dev1');
  assert.deepEqual(reg?.peer.identity, { kind: 'psk', identity: 'id1' });
  const read = await server.read('dev1', '/3/0/0');
  assert.equal(read.code, ResponseCode.CONTENT);
  assert.equal(valueOf(read.content), 'lwm2m-ts');
  const obs = server.observe('dev1', '/3303/0/5700');
  assert.equal((await obs.response).code, ResponseCode.CONTENT);
  const it = await iterate(obs);
  client.set('/3303/0/5700', { type: 'float', value: 30.5 });
  assert.equal(valueOf(await nextNotification(it, 5_000)), 30.5);
  assert.equal(transport.stats.handshakesCompleted, 1, 'one session carried everything');
  await obs.cancel();
});

test('another identity registering as dev1 gets 4.00; NoSec under requireSecurity gets 4.03', async () => {
  const { server, dtlsPeer } = await securedServer({}, true);
  const dev2 = rawDevice(await dtlsClient('id2', KEY2), dtlsPeer);
  const mismatch = await dev2.register('dev1');
  assert.equal(mismatch.code, Code.BAD_REQUEST);
  assert.match(text(mismatch.payload), /id2/);
  const plain = rawDevice(
    await UdpTransport.bind({ address: '127.0.0.1' }),
    makePeer('127.0.0.1', server.address().port),
  );
  const clear = await plain.register('free');
  assert.equal(clear.code, Code.FORBIDDEN);
  assert.match(text(clear.payload), /requires a secured connection/);
  assert.equal(await server.getRegistration('dev1'), undefined);
  assert.equal(await server.getRegistration('free'), undefined);
  assert.equal((await dev2.register('dev2')).code, Code.CREATED, 'its own name registers');
});

test('a request for dev1 never reaches a peer authenticated as another identity at the same address', async () => {
  // no Connection ID: the server knows dev1's connection by address, which dev2 then takes over
  const { server, dtlsPeer } = await securedServer({ dtls: { port: 0, connectionIdLength: 0 } });
  const first = await dtlsClient('id1', KEY1);
  const port = first.address().port;
  const dev1 = rawDevice(first, dtlsPeer);
  assert.equal((await dev1.register('dev1')).code, Code.CREATED);
  await dev1.endpoint.close(); // close_notify: the server forgets the session
  const dev2 = rawDevice(await dtlsClient('id2', KEY2, { port }), dtlsPeer);
  let reached = 0;
  dev2.endpoint.router.use('/3', () => {
    reached++;
    return { code: Code.CONTENT, payload: new TextEncoder().encode('leak') };
  });
  assert.equal((await dev2.register('dev2')).code, Code.CREATED, 'dev2 has a session from dev1’s address');
  const read = await server.read('dev1', '/3/0/0', { timeoutMs: 2_000 });
  assert.notEqual(read.code, ResponseCode.CONTENT);
  assert.equal(reached, 0, 'dev2 never saw a request meant for dev1');
});

test('removing or changing credentials ends their sessions: the next request does not get through', async () => {
  const { server, store, dtlsPeer } = await securedServer();
  // a failing handshake gives up after 3 s rather than 60
  const t1 = await dtlsClient('id1', KEY1, { handshakeTimeoutMs: 3_000 });
  const dev1 = rawDevice(t1, dtlsPeer);
  const t2 = await dtlsClient('id2', KEY2, { handshakeTimeoutMs: 3_000 });
  const dev2 = rawDevice(t2, dtlsPeer);
  assert.equal((await dev1.register('dev1')).code, Code.CREATED);
  assert.equal((await dev2.register('dev2')).code, Code.CREATED);
  await store.delete('dev1');
  await store.put({ endpoint: 'dev2', kind: 'psk', identity: 'id2', key: KEY1 }); // a new key
  // each device heard close_notify and dropped its session
  await waitUntil(() => t1.connectionCount === 0 && t2.connectionCount === 0, 'close_notify to both');
  const reg1 = await server.getRegistration('dev1');
  const update = (d: typeof dev1, id: string) =>
    d.endpoint.request(dtlsPeer, { method: 'POST', path: `/rd/${id}`, query: ['lt=900'], timeoutMs: 5_000 });
  // a new handshake with the removed or old key fails: no CoAP answer at all
  const reg2 = await server.getRegistration('dev2');
  await Promise.all([assert.rejects(update(dev1, reg1!.id)), assert.rejects(update(dev2, reg2!.id))]);
  assert.ok(t1.stats.handshakesFailed >= 1 && t2.stats.handshakesFailed >= 1, 'new handshakes were refused');
  assert.equal((await server.getRegistration('dev1'))?.lifetime, 300, 'nothing reached the server');
  assert.equal((await server.getRegistration('dev2'))?.lifetime, 300);
});

test('a Send from dev1’s session is served; the server refuses the dtls option without a store', async () => {
  const { server, dtlsPort } = await securedServer();
  const client = await registeredClient(server, 'dev1', await dtlsClient('id1', KEY1), dtlsPort);
  const sent = new Promise<string>((r) => server.once('send', (e) => r(e.registration.endpoint)));
  await client.send(['/3303/0/5700']);
  assert.equal(await sent, 'dev1');
  await assert.rejects(
    Lwm2mServer.start({ address: '127.0.0.1', port: 0, dtls: { port: 0 } }),
    /needs security\.store/,
  );
});
