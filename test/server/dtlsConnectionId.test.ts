// Issue 13 item 5, Connection ID at the role level (RFC 9146 section 6): a client registered
// over DTLS with a CID keeps its session and its registration when its NAT mapping changes (the
// UdpRelay moves its source port mid-session); its next uplink (a Send) moves the connection, and
// the server's downlink reads then reach the new port.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ResponseCode } from '../../src/lwm2m/responses.js';
import { UdpRelay } from '../transport/dtls/UdpRelay.js';
import { closeAfter } from '../support/closeAfter.js';
import { valueOf } from '../integration/support/notifications.js';
import { dtlsClient, KEY1, registeredClient, securedServer } from './dtlsFixture.js';

test('a registration over DTLS survives the client’s source port changing; reads reach the new port', async () => {
  const { server, dtlsPort } = await securedServer();
  const relay = closeAfter(await UdpRelay.start(dtlsPort));
  const transport = await dtlsClient('id1', KEY1, { connectionIdLength: 0 });
  const client = await registeredClient(server, 'dev1', transport, relay.frontPort);
  const before = (await server.getRegistration('dev1'))!;
  assert.match(before.peer.key, /^dtls-cid:/, 'the server keys the connection by its CID');
  assert.equal(before.peer.port, relay.upstreamPort);
  assert.equal((await server.read('dev1', '/3/0/0')).code, ResponseCode.CONTENT);

  const oldPort = relay.upstreamPort;
  await relay.rebind();
  assert.notEqual(relay.upstreamPort, oldPort);
  const sent = new Promise<string>((r) => server.once('send', (e) => r(e.registration.id)));
  await client.send(['/3303/0/5700']); // the first record from the new port moves the connection
  assert.equal(await sent, before.id, 'the Send is the same registration’s');
  const read = await server.read('dev1', '/3/0/0', { timeoutMs: 5_000 });
  assert.equal(read.code, ResponseCode.CONTENT, 'the read reached the client at its new port');
  assert.equal(valueOf(read.content), 'lwm2m-ts');
  assert.equal((await server.getRegistration('dev1'))?.id, before.id, 'still the same registration');
  assert.equal(transport.stats.handshakesCompleted, 1, 'no new handshake');
});
