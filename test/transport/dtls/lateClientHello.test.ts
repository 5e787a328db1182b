// A late duplicate of the ClientHello (with its cookie) that made an established connection is
// dropped by the server: it starts no new handshake, which would take the records of that address
// away from the connection (RFC 6347 4.2.8: only a ClientHello with a new random is a client that
// started over). The server keeps 8 bytes of that random per connection (connectionMemory.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DtlsTransport } from '../../../src/transport/dtls/DtlsTransport.js';
import { ContentType, decodeDatagram } from '../../../src/transport/dtls/record/RecordCodec.js';
import { ManualClock } from '../../support/ManualClock.js';
import { CAPTURE_PSK } from './captures.js';
import { LockstepNet } from './LockstepNet.js';

/** True when `d` opens with a ClientHello that carries a (non-empty) cookie. */
const isCookieHello = (d: Uint8Array): boolean => {
  const r = decodeDatagram(d)[0];
  // record | handshake header (12) | version (2) | random (32) | session_id | cookie
  if (r?.type !== ContentType.handshake || r.fragment[0] !== 1) return false;
  const sessionIdLength = r.fragment[12 + 2 + 32]!;
  return r.fragment[12 + 2 + 32 + 1 + sessionIdLength]! > 0;
};

test('a late copy of the ClientHello that made a connection is dropped; a restarted client is not', async () => {
  const clock = new ManualClock(0);
  const net = new LockstepNet();
  const serverNode = net.bind('10.0.0.1', 5684);
  const server = new DtlsTransport(serverNode, {
    role: 'server',
    clock,
    pskFor: (identity) => (identity === 'id1' ? CAPTURE_PSK : undefined),
  });
  const received: string[] = [];
  server.onDatagram((bytes) => received.push(Buffer.from(bytes).toString()));
  const hellos: Uint8Array[] = [];
  net.fate = (d) => {
    if (d.to.key === serverNode.self.key && isCookieHello(d.bytes)) hellos.push(d.bytes);
    return d.bytes;
  };
  const connect = async (): Promise<{ node: ReturnType<LockstepNet['bind']>; client: DtlsTransport }> => {
    const node = net.bind('10.0.0.2', 40_000);
    const client = new DtlsTransport(node, {
      role: 'client',
      clock,
      psk: { identity: 'id1', key: CAPTURE_PSK },
    });
    const sent = client.send(serverNode.self, Buffer.from('first'));
    assert.ok(await net.pump());
    await sent;
    return { node, client };
  };
  try {
    const { node, client } = await connect();
    assert.equal(hellos.length, 1);
    const dropped = server.stats.dropped;
    net.enqueue({ from: node.self, to: serverNode.self, bytes: hellos[0]! });
    assert.ok(await net.pump());
    assert.equal(server.stats.dropped, dropped + 1, 'the late copy is dropped');
    assert.equal(server.handshakesInProgress, 0, 'no handshake started');
    const after = client.send(serverNode.self, Buffer.from('second'));
    assert.ok(await net.pump());
    await after;
    assert.deepEqual(received, ['first', 'second'], 'the connection still gets its records');
    // the same address with a new client (a new random): a new handshake replaces the connection
    net.unbind(node);
    const again = await connect();
    assert.equal(hellos.length, 3, 'the first, its late copy, the new one');
    assert.equal(server.stats.handshakesCompleted, 2);
    assert.deepEqual(received, ['first', 'second', 'first']);
    await again.client.close();
  } finally {
    await server.close();
  }
});
