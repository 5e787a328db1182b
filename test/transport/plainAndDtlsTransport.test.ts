// PlainAndDtlsTransport: plain datagrams and DTLS records on one socket, demultiplexed by the
// first byte (RFC 7983 section 7); secured peers have keys of their own and never get plain text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DtlsTransport } from '../../src/transport/dtls/DtlsTransport.js';
import { UdpTransport } from '../../src/transport/udp/UdpTransport.js';
import { makePeer, type Peer } from '../../src/transport/Peer.js';
import {
  isSecuredPeer,
  PlainAndDtlsTransport,
  securedPeer,
} from '../../src/transport/PlainAndDtlsTransport.js';
import { waitUntil } from '../support/waitUntil.js';

const KEY = Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex');
// a CoAP version 1 header (first byte 0x40..0x7f): CON GET, MID 1, no token
const COAP = Uint8Array.from([0x40, 0x01, 0x00, 0x01]);

test('one socket speaks plain CoAP to one peer and DTLS to another, each answer on its side', async () => {
  const dtlsServer = new DtlsTransport(await UdpTransport.bind({ address: '127.0.0.1' }), {
    role: 'server',
    pskFor: (id) => (id === 'dev1' ? KEY : undefined),
  });
  const plainServer = await UdpTransport.bind({ address: '127.0.0.1' });
  const mux = new PlainAndDtlsTransport(await UdpTransport.bind({ address: '127.0.0.1' }), {
    role: 'client',
    psk: { identity: 'dev1', key: KEY },
  });
  const got: { bytes: Uint8Array; peer: Peer }[] = [];
  mux.onDatagram((bytes, peer) => got.push({ bytes, peer }));
  const plainSeen: Uint8Array[] = [];
  plainServer.onDatagram((b, from) => {
    plainSeen.push(b);
    void plainServer.send(from, COAP);
  });
  dtlsServer.onDatagram((b, from) => {
    assert.deepEqual(from.identity, { kind: 'psk', identity: 'dev1' });
    void dtlsServer.send(from, b);
  });
  try {
    const secured = securedPeer('127.0.0.1', dtlsServer.address().port);
    assert.ok(isSecuredPeer(secured));
    assert.notEqual(secured.key, makePeer('127.0.0.1', dtlsServer.address().port).key);
    await mux.send(secured, COAP);
    await mux.send(makePeer('127.0.0.1', plainServer.address().port), COAP);
    await waitUntil(() => got.length === 2, 'both answers');
    const fromDtls = got.find((g) => g.peer.port === dtlsServer.address().port)!;
    const fromPlain = got.find((g) => g.peer.port === plainServer.address().port)!;
    assert.equal(fromDtls.peer.key, secured.key);
    assert.deepEqual(fromDtls.peer.identity, { kind: 'psk', identity: 'dev1' });
    assert.deepEqual([...fromDtls.bytes], [...COAP]);
    assert.equal(fromPlain.peer.identity, undefined);
    assert.ok(!isSecuredPeer(fromPlain.peer));
    assert.deepEqual(
      plainSeen.map((b) => [...b]),
      [[...COAP]],
    );
    assert.equal(mux.dtls.stats.handshakesCompleted, 1);
    assert.equal(mux.maxDatagramSize, mux.dtls.maxDatagramSize);
  } finally {
    await mux.close();
    await dtlsServer.close();
    await plainServer.close();
  }
});

test('a secured peer listened to by a plain socket only ever sees DTLS records', async () => {
  const listener = await UdpTransport.bind({ address: '127.0.0.1' });
  const seen: Uint8Array[] = [];
  listener.onDatagram((b) => seen.push(b));
  const mux = new PlainAndDtlsTransport(await UdpTransport.bind({ address: '127.0.0.1' }), {
    role: 'client',
    psk: { identity: 'dev1', key: KEY },
    handshakeTimeoutMs: 300,
    flight: { initialTimeoutMs: 50 },
  });
  try {
    const sent = mux.send(securedPeer('127.0.0.1', listener.address().port), COAP);
    await assert.rejects(sent, (e: Error & { code?: string }) => e.code === 'DTLS_HANDSHAKE_FAILED');
    assert.ok(seen.length > 0);
    for (const b of seen) assert.equal(b[0], 22, 'a DTLS handshake record'); // RFC 6347 4.1
    // the plain side answers a plain CoAP datagram from that address as a plain peer
    const got: Peer[] = [];
    mux.onDatagram((_b, p) => got.push(p));
    await listener.send(makePeer('127.0.0.1', mux.address().port), COAP);
    await waitUntil(() => got.length === 1, 'the plain datagram');
    assert.ok(!isSecuredPeer(got[0]!));
  } finally {
    await mux.close();
    await listener.close();
  }
});

test('credentials that changed since the handshake close the connection and the next send handshakes anew', async () => {
  const KEY2 = Buffer.from('ffeeddccbbaa99887766554433221100', 'hex');
  const keys: Record<string, Uint8Array> = { dev1: KEY, dev2: KEY2 };
  const server = new DtlsTransport(await UdpTransport.bind({ address: '127.0.0.1' }), {
    role: 'server',
    pskFor: (id) => keys[id],
  });
  let current = { identity: 'dev1', key: KEY as Uint8Array };
  const mux = new PlainAndDtlsTransport(await UdpTransport.bind({ address: '127.0.0.1' }), {
    role: 'client',
    psk: () => current,
  });
  const identities: string[] = [];
  server.onDatagram((_b, from) =>
    identities.push(from.identity?.kind === 'psk' ? from.identity.identity : '?'),
  );
  try {
    const peer = securedPeer('127.0.0.1', server.address().port);
    await mux.send(peer, COAP);
    await mux.send(peer, COAP);
    await waitUntil(() => identities.length === 2, 'two datagrams');
    current = { identity: 'dev2', key: KEY2 }; // e.g. a Bootstrap-Server rewrote /0/x/3 and /0/x/5
    await mux.send(peer, COAP);
    await waitUntil(() => identities.length === 3, 'the third datagram');
    assert.deepEqual(identities, ['dev1', 'dev1', 'dev2']);
    assert.equal(mux.dtls.stats.handshakesCompleted, 2);
    await waitUntil(() => server.connectionCount === 1, 'the old connection closed (close_notify)');
  } finally {
    await mux.close();
    await server.close();
  }
});
