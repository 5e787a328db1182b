// Interop of our DTLS server with node-dtls-client 1.1.1 (npm; an independent TypeScript DTLS 1.2
// PSK client): it offers TLS_PSK_WITH_AES_128_CCM_8 (its list has CCM_8), handshakes with our
// server (cookie exchange included; it sends neither extended_master_secret nor
// renegotiation_info, which our server accepts unless requireExtendedMasterSecret) and data flows
// both ways. A wrong key, from it and from `openssl s_client`, fails the handshake and leaves
// no state on our server once the (short, for the test) handshake deadline passes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dtls } from 'node-dtls-client';
import { DtlsTransport } from '../../src/transport/dtls/DtlsTransport.js';
import { UdpTransport } from '../../src/transport/udp/UdpTransport.js';
import { requirePeer } from '../support/peers.js';
import { waitUntil } from '../support/waitUntil.js';
import { PSK, startChild, stopChild } from './dtlsPeers.js';

const openssl = requirePeer('openssl', 'openssl');

/** Our server; answers every datagram with "reply: <datagram>". */
async function ourServer(handshakeTimeoutMs = 60_000): Promise<{ server: DtlsTransport; got: string[] }> {
  const server = new DtlsTransport(await UdpTransport.bind({ address: '127.0.0.1' }), {
    role: 'server',
    pskFor: (identity) => (identity === 'id1' ? PSK : undefined),
    handshakeTimeoutMs,
  });
  const got: string[] = [];
  server.onDatagram((b, peer) => {
    const text = Buffer.from(b).toString('utf8');
    got.push(text);
    assert.deepEqual(peer.identity, { kind: 'psk', identity: 'id1' });
    void server.send(peer, Buffer.from(`reply: ${text}`)).catch(() => undefined);
  });
  return { server, got };
}

/** A node-dtls-client socket to our server with PSK id1 = `key` (its keys are strings). */
function nodeClient(
  port: number,
  key: string,
): { socket: dtls.Socket; events: string[]; messages: string[] } {
  const events: string[] = [];
  const messages: string[] = [];
  const socket = dtls.createSocket({
    type: 'udp4',
    address: '127.0.0.1',
    port,
    psk: { id1: key },
    ciphers: ['TLS_PSK_WITH_AES_128_CCM_8'],
    timeout: 5_000,
  });
  socket.on('connected', () => events.push('connected'));
  socket.on('error', (e: Error) => events.push(`error: ${e.message}`));
  socket.on('close', () => events.push('close'));
  socket.on('message', (m: Buffer) => messages.push(m.toString('utf8')));
  return { socket, events, messages };
}

test('node-dtls-client handshakes with our server (CCM_8) and data flows both ways', async () => {
  const { server, got } = await ourServer();
  const c = nodeClient(server.address().port, PSK.toString('latin1'));
  try {
    await waitUntil(() => c.events.length > 0, 'node-dtls-client connected', 20_000);
    assert.deepEqual(c.events, ['connected']);
    c.socket.send(Buffer.from('hello from node-dtls-client'));
    await waitUntil(() => c.messages.length > 0, 'our reply at node-dtls-client', 20_000);
    assert.deepEqual(got, ['hello from node-dtls-client']);
    assert.deepEqual(c.messages, ['reply: hello from node-dtls-client']);
    assert.equal(server.connectionCount, 1);
    assert.equal(server.stats.helloVerifyRequests, 1);
  } finally {
    c.socket.close();
    await server.close();
  }
});

test('node-dtls-client with a wrong key: no connection, no state left on our server', async () => {
  const { server, got } = await ourServer(2_000);
  const c = nodeClient(server.address().port, 'wrong key');
  try {
    await waitUntil(() => server.stats.handshakesFailed > 0, 'the failed handshake', 20_000);
    assert.equal(server.handshakesInProgress, 0);
    assert.equal(server.connectionCount, 0);
    assert.equal(server.stats.handshakesCompleted, 0);
    assert.deepEqual(got, []);
    assert.ok(!c.events.includes('connected'));
  } finally {
    c.socket.close();
    await server.close();
  }
});

test(
  'openssl s_client with a wrong key: no connection, no state left on our server',
  { skip: openssl.skip },
  async () => {
    const { server, got } = await ourServer(2_000);
    const child = startChild(openssl.path!, [
      's_client',
      '-dtls1_2',
      '-psk',
      '00112233',
      '-psk_identity',
      'id1',
      '-cipher',
      'PSK-AES128-CCM8',
      '-connect',
      `127.0.0.1:${server.address().port}`,
    ]);
    try {
      await waitUntil(() => server.stats.handshakesFailed > 0, 'the failed handshake', 20_000);
      assert.equal(server.handshakesInProgress, 0);
      assert.equal(server.connectionCount, 0);
      assert.equal(server.stats.handshakesCompleted, 0);
      assert.deepEqual(got, []);
    } finally {
      await stopChild(child.proc);
      await server.close();
    }
  },
);
