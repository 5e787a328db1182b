// Our DtlsTransport client against our DtlsTransport server: over UDP on 127.0.0.1 (handshake,
// data both ways, identity on the delivered peer, wrong key and unknown identity leave no state,
// close_notify) and over a MemoryNetwork that drops and duplicates datagrams, on a ManualClock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DtlsTransport, type DtlsTransportOptions } from '../../../src/transport/dtls/DtlsTransport.js';
import { UdpTransport } from '../../../src/transport/udp/UdpTransport.js';
import { makePeer, type Peer } from '../../../src/transport/Peer.js';

const KEY = Buffer.from('73656372657450534b', 'hex');
const text = (b: Uint8Array): string => Buffer.from(b).toString('utf8');
const bytes = (s: string): Uint8Array => Buffer.from(s, 'utf8');

function nextDatagram(t: DtlsTransport): Promise<{ bytes: Uint8Array; peer: Peer }> {
  return new Promise((resolve) => t.onDatagram((b, peer) => resolve({ bytes: b, peer })));
}

async function udpPair(
  serverExtra: Partial<DtlsTransportOptions> = {},
  clientPsk = { identity: 'id1', key: KEY },
  clientExtra: Partial<DtlsTransportOptions> = {},
): Promise<{ server: DtlsTransport; client: DtlsTransport; serverPeer: Peer }> {
  const server = new DtlsTransport(await UdpTransport.bind({ address: '127.0.0.1' }), {
    role: 'server',
    pskFor: (identity) => (identity === 'id1' ? KEY : undefined),
    ...serverExtra,
  } as DtlsTransportOptions);
  const client = new DtlsTransport(await UdpTransport.bind({ address: '127.0.0.1' }), {
    role: 'client',
    psk: clientPsk,
    ...clientExtra,
  } as DtlsTransportOptions);
  return { server, client, serverPeer: makePeer('127.0.0.1', server.address().port) };
}

test('client and server handshake over UDP and exchange data both ways', async () => {
  const { server, client, serverPeer } = await udpPair();
  try {
    const atServer = nextDatagram(server);
    await client.send(serverPeer, bytes('hello server'));
    const got = await atServer;
    assert.equal(text(got.bytes), 'hello server');
    assert.deepEqual(got.peer.identity, { kind: 'psk', identity: 'id1' });
    assert.equal(got.peer.key, `127.0.0.1|${client.address().port}`);
    const atClient = nextDatagram(client);
    await server.send(got.peer, bytes('hello client'));
    const back = await atClient;
    assert.equal(text(back.bytes), 'hello client');
    assert.deepEqual(back.peer.identity, { kind: 'psk', identity: 'id1' });
    assert.equal(server.connectionCount, 1);
    assert.equal(server.handshakesInProgress, 0);
    assert.equal(client.stats.handshakesCompleted, 1);
    assert.equal(server.stats.helloVerifyRequests, 1);
    assert.ok(server.maxDatagramSize === 1152 - 29);
  } finally {
    await client.close();
    await server.close();
  }
});
