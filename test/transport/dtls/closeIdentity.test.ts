// DtlsTransport.closeIdentity (issue 13 item 4, "removing credentials drops their live
// connections"): the server ends the connections of a PSK identity with close_notify (RFC 5246
// 7.2.1: either side may start the closure) and forgets them, and a handshake that already asked
// for that identity's key ends too, so a key looked up before the removal cannot finish it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DtlsTransport } from '../../../src/transport/dtls/DtlsTransport.js';
import { UdpTransport } from '../../../src/transport/udp/UdpTransport.js';
import { makePeer } from '../../../src/transport/Peer.js';
import { waitUntil } from '../../support/waitUntil.js';

const KEY = Buffer.from('73656372657450534b', 'hex');
const bytes = (s: string): Uint8Array => Buffer.from(s, 'utf8');

async function client(identity: string): Promise<DtlsTransport> {
  return new DtlsTransport(await UdpTransport.bind({ address: '127.0.0.1' }), {
    role: 'client',
    psk: { identity, key: KEY },
    handshakeTimeoutMs: 2_000,
  });
}

test('closeIdentity ends that identity’s connections with close_notify and keeps the others', async () => {
  const server = new DtlsTransport(await UdpTransport.bind({ address: '127.0.0.1' }), {
    role: 'server',
    pskFor: () => KEY,
  });
  const a = await client('id1');
  const b = await client('id2');
  try {
    const to = makePeer('127.0.0.1', server.address().port);
    const received: string[] = [];
    server.onDatagram((d, peer) =>
      received.push(
        `${peer.identity?.kind === 'psk' ? peer.identity.identity : ''}:${Buffer.from(d).toString()}`,
      ),
    );
    await a.send(to, bytes('a1'));
    await b.send(to, bytes('b1'));
    await waitUntil(() => received.length === 2, 'both first datagrams');
    assert.equal(server.sessionCount, 2, 'both full handshakes left a resumable session');
    assert.equal(server.closeIdentity('id1'), 1);
    assert.equal(server.connectionCount, 1, 'id2’s connection stays');
    assert.equal(server.sessionCount, 1, 'id1’s session cannot be resumed');
    await waitUntil(() => a.connectionCount === 0, 'close_notify at the id1 client');
    assert.equal(b.connectionCount, 1);
    await b.send(to, bytes('b2'));
    await waitUntil(() => received.includes('id2:b2'), 'id2 still served');
    assert.equal(server.closeIdentity('nobody'), 0);
  } finally {
    await a.close();
    await b.close();
    await server.close();
  }
});

test('a handshake whose key was asked for before closeIdentity never completes', async () => {
  let release!: (key: Uint8Array | undefined) => void;
  let asked = 0;
  const server = new DtlsTransport(await UdpTransport.bind({ address: '127.0.0.1' }), {
    role: 'server',
    pskFor: () => {
      asked++;
      return new Promise<Uint8Array | undefined>((r) => (release = r));
    },
  });
  const a = await client('id1');
  try {
    const sent = a.send(makePeer('127.0.0.1', server.address().port), bytes('late'));
    await waitUntil(() => asked === 1, 'the server asking for id1’s key');
    assert.equal(server.closeIdentity('id1'), 1, 'the handshake in progress ended');
    assert.equal(server.handshakesInProgress, 0);
    release(KEY); // the lookup made before the removal answers late: nothing to complete
    await assert.rejects(sent);
    assert.equal(server.connectionCount, 0);
    assert.equal(server.stats.handshakesCompleted, 0);
  } finally {
    await a.close();
    await server.close();
  }
});
