// DtlsTransport client role with credentials chosen per server: a `psk` function gives each
// server its own identity and key, and a server it has none for is never sent a byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DtlsTransport } from '../../../src/transport/dtls/DtlsTransport.js';
import { UdpTransport } from '../../../src/transport/udp/UdpTransport.js';
import { makePeer, type Peer } from '../../../src/transport/Peer.js';
import { waitUntil } from '../../support/waitUntil.js';

const KEY_A = Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex');
const KEY_B = Buffer.from('f0e0d0c0b0a090807060504030201000', 'hex');

function nextDatagram(t: DtlsTransport): Promise<{ bytes: Uint8Array; peer: Peer }> {
  return new Promise((resolve) => t.onDatagram((b, peer) => resolve({ bytes: b, peer })));
}

async function server(identity: string, key: Uint8Array): Promise<DtlsTransport> {
  return new DtlsTransport(await UdpTransport.bind({ address: '127.0.0.1' }), {
    role: 'server',
    pskFor: (id) => (id === identity ? key : undefined),
  });
}

test('a client psk function gives each server its own identity and key', async () => {
  const a = await server('dev-a', KEY_A);
  const b = await server('dev-b', KEY_B);
  const asked: number[] = [];
  const client = new DtlsTransport(await UdpTransport.bind({ address: '127.0.0.1' }), {
    role: 'client',
    psk: (peer) => {
      asked.push(peer.port);
      if (peer.port === a.address().port) return { identity: 'dev-a', key: KEY_A };
      if (peer.port === b.address().port) return { identity: 'dev-b', key: KEY_B };
      return undefined;
    },
  });
  try {
    const atA = nextDatagram(a);
    const atB = nextDatagram(b);
    await client.send(makePeer('127.0.0.1', a.address().port), Buffer.from('to a'));
    await client.send(makePeer('127.0.0.1', b.address().port), Buffer.from('to b'));
    assert.deepEqual((await atA).peer.identity, { kind: 'psk', identity: 'dev-a' });
    assert.deepEqual((await atB).peer.identity, { kind: 'psk', identity: 'dev-b' });
    assert.equal(client.stats.handshakesCompleted, 2);
    // asked once per handshake, not per datagram
    await client.send(makePeer('127.0.0.1', a.address().port), Buffer.from('again'));
    assert.deepEqual(asked, [a.address().port, b.address().port]);
  } finally {
    await client.close();
    await a.close();
    await b.close();
  }
});

test('a send to a server the psk function has no credentials for fails and sends nothing', async () => {
  const inner = await UdpTransport.bind({ address: '127.0.0.1' });
  const watcher = await UdpTransport.bind({ address: '127.0.0.1' });
  let seen = 0;
  watcher.onDatagram(() => seen++);
  const client = new DtlsTransport(inner, { role: 'client', psk: () => undefined });
  try {
    await assert.rejects(
      client.send(makePeer('127.0.0.1', watcher.address().port), Buffer.from('x')),
      (e: Error & { code?: string }) => e.code === 'DTLS_HANDSHAKE_FAILED' && /no PSK/.test(e.message),
    );
    assert.equal(client.handshakesInProgress, 0);
    // a plain datagram from the same socket arrives; nothing came before it
    await inner.send(makePeer('127.0.0.1', watcher.address().port), Buffer.from('marker'));
    await waitUntil(() => seen > 0, 'the marker datagram');
    assert.equal(seen, 1);
  } finally {
    await client.close();
    await watcher.close();
  }
});
