// Our DtlsTransport client against our DtlsTransport server: over UDP on 127.0.0.1 (handshake,
// data both ways, identity on the delivered peer, wrong key and unknown identity leave no state,
// close_notify) and over a MemoryNetwork that drops and duplicates datagrams, on a ManualClock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DtlsTransport, type DtlsTransportOptions } from '../../../src/transport/dtls/DtlsTransport.js';
import { MemoryNetwork, flush, type MemoryTransport } from '../../support/MemoryTransport.js';
import { ManualClock } from '../../support/ManualClock.js';
import { UdpTransport } from '../../../src/transport/udp/UdpTransport.js';
import { makePeer, type Peer } from '../../../src/transport/Peer.js';
import { DATAGRAM_QUEUED } from '../../../src/transport/DatagramTransport.js';

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
    const sent = server.send(got.peer, bytes('hello client'));
    assert.equal(sent, DATAGRAM_QUEUED, "the UDP socket's settled promise, passed on as it is");
    const back = await atClient;
    assert.equal(text(back.bytes), 'hello client');
    assert.deepEqual(back.peer.identity, { kind: 'psk', identity: 'id1' });
    assert.equal(server.connectionCount, 1);
    assert.equal(server.handshakesInProgress, 0);
    assert.equal(client.stats.handshakesCompleted, 1);
    assert.equal(server.stats.helloVerifyRequests, 1);
    // 29 bytes of CCM_8 record, and room for a peer CID (up to 16 bytes) and its inner type byte
    assert.ok(server.maxDatagramSize === 1152 - 29 - 17);
  } finally {
    await client.close();
    await server.close();
  }
});

/** A server and a client DtlsTransport on a MemoryNetwork, both on `clock`. */
function memoryPair(
  clock: ManualClock,
  clientPsk = { identity: 'id1', key: KEY },
): {
  net: MemoryNetwork;
  server: DtlsTransport;
  client: DtlsTransport;
  serverPeer: Peer;
  clientInner: MemoryTransport;
} {
  const net = new MemoryNetwork();
  const server = new DtlsTransport(net.bind('10.0.0.1', 5684), {
    role: 'server',
    clock,
    pskFor: async (identity) => (identity === 'id1' ? KEY : undefined),
    handshakeTimeoutMs: 30_000,
  });
  const clientInner = net.bind('10.0.0.2', 40000);
  const client = new DtlsTransport(clientInner, {
    role: 'client',
    clock,
    psk: clientPsk,
    handshakeTimeoutMs: 30_000,
  });
  return { net, server, client, serverPeer: makePeer('10.0.0.1', 5684), clientInner };
}

/** Tracks a promise so a test asserts its outcome instead of hanging on it (the clock is manual). */
function track(p: Promise<void>): { state: string } {
  const t = { state: 'pending' };
  p.then(
    () => (t.state = 'sent'),
    (e: Error) => (t.state = e.message),
  );
  return t;
}

/** Advances the clock step by step, letting deliveries and promise callbacks run. */
async function runFor(clock: ManualClock, ms: number, step = 250): Promise<void> {
  for (let t = 0; t < ms; t += step) {
    await flush(4);
    clock.advance(step);
  }
  await flush(4);
}

test('a wrong key fails the handshake on both sides and leaves no state', async () => {
  const clock = new ManualClock();
  const { server, client, serverPeer } = memoryPair(clock, {
    identity: 'id1',
    key: Buffer.from('00', 'hex'),
  });
  try {
    const sent = client.send(serverPeer, bytes('never'));
    const outcome = sent.then(
      () => 'sent',
      (e: Error & { code?: string }) => e.code,
    );
    let delivered = 0;
    server.onDatagram(() => delivered++);
    await runFor(clock, 70_000, 1000);
    assert.equal(await outcome, 'DTLS_HANDSHAKE_FAILED');
    assert.equal(delivered, 0);
    assert.equal(server.handshakesInProgress, 0);
    assert.equal(server.connectionCount, 0);
    assert.equal(client.handshakesInProgress, 0);
    assert.equal(client.connectionCount, 0);
    assert.equal(clock.pendingTimers, 0, 'every retransmission and deadline timer is gone');
  } finally {
    await client.close();
    await server.close();
  }
});

test('an unknown identity gets a fatal alert at once and leaves no state', async () => {
  const clock = new ManualClock();
  const { server, client, serverPeer } = memoryPair(clock, { identity: 'nobody', key: KEY });
  try {
    const outcome = client.send(serverPeer, bytes('never')).then(
      () => 'sent',
      (e: Error) => e.message,
    );
    await runFor(clock, 0);
    await flush(10);
    assert.match(await outcome, /alert 115/); // unknown_psk_identity (RFC 4279 section 2)
    assert.equal(server.handshakesInProgress, 0);
    assert.equal(server.connectionCount, 0);
    assert.equal(server.stats.handshakesFailed, 1);
  } finally {
    await client.close();
    await server.close();
  }
});

test('the handshake completes and data flows through a network that drops and duplicates', async () => {
  const clock = new ManualClock();
  const { net, server, client, serverPeer } = memoryPair(clock);
  let n = 0;
  // drop every third datagram and duplicate every fourth, in both directions
  net.fate = () => (++n % 3 === 0 ? 'drop' : n % 4 === 0 ? 'duplicate' : 'deliver');
  try {
    const got: string[] = [];
    server.onDatagram((b, peer) => {
      got.push(text(b));
      void server.send(peer, bytes(`echo ${text(b)}`)).catch(() => undefined);
    });
    const echoes: string[] = [];
    client.onDatagram((b) => echoes.push(text(b)));
    const sent = track(client.send(serverPeer, bytes('one')));
    await runFor(clock, 20_000);
    assert.equal(sent.state, 'sent');
    for (const m of ['two', 'three', 'four', 'five', 'six']) await client.send(serverPeer, bytes(m));
    await runFor(clock, 1000);
    // application data is not retransmitted by DTLS: some of it is lost, the rest arrives once
    assert.ok(got.length >= 3, `delivered: ${got.join(',')}`);
    assert.ok(n > 8, 'the network really dropped and duplicated');
    assert.equal(new Set(got).size, got.length, 'no datagram delivered twice (replay window)');
    assert.ok(echoes.length > 0);
    assert.equal(server.connectionCount, 1);
    assert.equal(client.connectionCount, 1);
  } finally {
    await client.close();
    await server.close();
  }
});

test('close sends close_notify and the peer forgets the connection', async () => {
  const clock = new ManualClock();
  const { server, client, serverPeer } = memoryPair(clock);
  try {
    const sent = track(client.send(serverPeer, bytes('hi')));
    await runFor(clock, 1000);
    assert.equal(sent.state, 'sent');
    assert.equal(server.connectionCount, 1);
    await client.close();
    await flush(5);
    assert.equal(server.connectionCount, 0);
  } finally {
    await client.close();
    await server.close();
  }
});

test('the server role never starts a handshake, and refuses a send under another identity', async () => {
  const clock = new ManualClock();
  const { server, client, serverPeer } = memoryPair(clock);
  try {
    await assert.rejects(server.send(makePeer('10.0.0.9', 1), bytes('x')), { code: 'DTLS_NO_CONNECTION' });
    const sent = track(client.send(serverPeer, bytes('hi')));
    await runFor(clock, 1000);
    assert.equal(sent.state, 'sent');
    const other = makePeer('10.0.0.2', 40000, { kind: 'psk', identity: 'someone-else' });
    await assert.rejects(server.send(other, bytes('x')), { code: 'DTLS_IDENTITY_MISMATCH' });
  } finally {
    await client.close();
    await server.close();
  }
});

test('lost server flights are recovered by the client retransmitting (RFC 6347 4.2.4)', async () => {
  const clock = new ManualClock();
  const { net, server, client, serverPeer } = memoryPair(clock);
  const dropped: number[] = [];
  // drop the server's first ServerHello flight and its first final flight (CCS + Finished)
  net.fate = (d) => {
    if (d.from.port !== 5684) return 'deliver';
    const first = d.bytes[0]!;
    const isServerHello = first === 22 && d.bytes[13] === 2;
    if ((isServerHello || first === 20) && !dropped.includes(first)) {
      dropped.push(first);
      return 'drop';
    }
    return 'deliver';
  };
  try {
    const got: string[] = [];
    server.onDatagram((b) => got.push(text(b)));
    const sent = track(client.send(serverPeer, bytes('after two losses')));
    await runFor(clock, 10_000);
    assert.equal(sent.state, 'sent');
    await flush(4);
    assert.deepEqual(dropped, [22, 20]);
    assert.deepEqual(got, ['after two losses']);
    assert.equal(client.stats.handshakesCompleted, 1);
    assert.equal(server.stats.handshakesCompleted, 1);
  } finally {
    await client.close();
    await server.close();
  }
});

test("a late copy of the server's final flight is dropped silently by the established client", async () => {
  const clock = new ManualClock();
  const { net, server, client, serverPeer, clientInner } = memoryPair(clock);
  let late: Uint8Array | undefined;
  // hold back the server's first final flight (CCS + Finished): the client retransmits, the
  // server resends, and the held copy arrives once the connection is established
  net.fate = (d) => {
    if (d.from.port !== 5684 || d.bytes[0] !== 20 || late) return 'deliver';
    late = d.bytes;
    return 'drop';
  };
  try {
    const sent = track(client.send(serverPeer, bytes('hi')));
    await runFor(clock, 3000);
    assert.equal(sent.state, 'sent');
    assert.ok(late);
    net.inject(serverPeer, clientInner, late);
    await flush(6);
    const alertsFromClient = net.log.filter((d) => d.from.port === 40000 && d.bytes[0] === 21);
    assert.deepEqual(alertsFromClient, [], 'no alert for a repeated Finished');
  } finally {
    await client.close();
    await server.close();
  }
});
