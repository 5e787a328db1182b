// RFC 9146 Connection ID in DtlsTransport: negotiation (who sends which CID, tls12_cid records on
// the wire), the server following a client to a new address only on an authenticated, newer,
// non-replayed CID record, a Peer.key that survives the move, and nothing changed without CID.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DtlsTransport } from '../../../src/transport/dtls/DtlsTransport.js';
import { UdpTransport } from '../../../src/transport/udp/UdpTransport.js';
import { makePeer, type Peer } from '../../../src/transport/Peer.js';
import { MemoryNetwork, flush, type MemoryDatagram } from '../../support/MemoryTransport.js';
import { ManualClock } from '../../support/ManualClock.js';
import { waitUntil } from '../../support/waitUntil.js';
import { UdpRelay } from './UdpRelay.js';

const KEY = Buffer.from('73656372657450534b', 'hex');
const text = (b: Uint8Array): string => Buffer.from(b).toString('utf8');
const bytes = (s: string): Uint8Array => Buffer.from(s, 'utf8');
const SERVER = makePeer('10.0.0.1', 5684);
const CLIENT = makePeer('10.0.0.2', 40000);
const ELSEWHERE = makePeer('10.0.0.9', 1234);

/** Epoch-1 records in `log` from `from` to `to` (first record of each datagram). */
const epochOne = (log: readonly MemoryDatagram[], from: Peer, to: Peer): MemoryDatagram[] =>
  log.filter((d) => d.from.key === from.key && d.to.key === to.key && d.bytes[3] === 0 && d.bytes[4] === 1);

/** A server and a client on a MemoryNetwork with a manual clock; each side's CID option given. */
async function memoryPair(serverCid: number | undefined, clientCid: number | undefined) {
  const clock = new ManualClock();
  const net = new MemoryNetwork();
  const server = new DtlsTransport(net.bind(SERVER.address, SERVER.port), {
    role: 'server',
    clock,
    pskFor: (identity) => (identity === 'id1' ? KEY : undefined),
    ...(serverCid !== undefined ? { connectionIdLength: serverCid } : {}),
  });
  const client = new DtlsTransport(net.bind(CLIENT.address, CLIENT.port), {
    role: 'client',
    clock,
    psk: { identity: 'id1', key: KEY },
    ...(clientCid !== undefined ? { connectionIdLength: clientCid } : {}),
  });
  const atServer: { bytes: string; peer: Peer }[] = [];
  server.onDatagram((b, peer) => atServer.push({ bytes: text(b), peer }));
  const atClient: string[] = [];
  client.onDatagram((b) => atClient.push(text(b)));
  const sent = client.send(SERVER, bytes('hello'));
  for (let i = 0; i < 20 && atServer.length === 0; i++) await flush(4);
  await sent;
  assert.equal(atServer.length, 1, 'handshake done and first datagram delivered');
  return { clock, net, server, client, atServer, atClient };
}

test('a client offering an empty CID sends the server-issued 6-byte CID in tls12_cid records', async () => {
  const { net, server, client, atServer } = await memoryPair(undefined, 0);
  try {
    const toServer = epochOne(net.log, CLIENT, SERVER);
    assert.ok(toServer.length >= 1, 'application data');
    for (const d of toServer) assert.equal(d.bytes[0], 25, 'tls12_cid (RFC 9146 section 4)');
    const cid = Buffer.from(toServer[0]!.bytes.subarray(11, 17)).toString('hex');
    assert.equal(atServer[0]!.peer.key, `dtls-cid:${cid}`);
    assert.equal(atServer[0]!.peer.address, CLIENT.address);
    await server.send(atServer[0]!.peer, bytes('back'));
    await flush(4);
    // the client asked for none: the server's records stay in the classic format
    for (const d of epochOne(net.log, SERVER, CLIENT)) assert.equal(d.bytes[0], 23);
  } finally {
    await client.close();
    await server.close();
  }
});

test('a client CID makes the server send tls12_cid records carrying it, and both ends still talk', async () => {
  const { net, server, client, atServer, atClient } = await memoryPair(4, 3);
  try {
    await server.send(atServer[0]!.peer, bytes('back'));
    await flush(4);
    assert.deepEqual(atClient, ['back']);
    const toClient = epochOne(net.log, SERVER, CLIENT);
    assert.ok(toClient.length >= 1);
    for (const d of toClient) assert.equal(d.bytes[0], 25);
    const clientCids = new Set(toClient.map((d) => Buffer.from(d.bytes.subarray(11, 14)).toString('hex')));
    assert.equal(clientCids.size, 1, 'one 3-byte CID, the client one');
    for (const d of epochOne(net.log, CLIENT, SERVER)) assert.equal(d.bytes[0], 25);
  } finally {
    await client.close();
    await server.close();
  }
});

test('without CID on either side nothing changes: classic records and an address|port key', async () => {
  for (const [serverCid, clientCid] of [
    [undefined, undefined],
    [0, 0],
  ] as const) {
    const { net, server, client, atServer } = await memoryPair(serverCid, clientCid);
    try {
      assert.equal(atServer[0]!.peer.key, CLIENT.key);
      for (const d of [...epochOne(net.log, CLIENT, SERVER), ...epochOne(net.log, SERVER, CLIENT)])
        assert.equal(d.bytes[0], 23);
      // and a record from another address finds no connection
      const record = epochOne(net.log, CLIENT, SERVER).at(-1)!.bytes;
      net.inject(ELSEWHERE, serverInner(net), record);
      await flush(4);
      assert.equal(atServer.length, 1);
      assert.equal(server.connectedPeer(ELSEWHERE.address, ELSEWHERE.port), undefined);
    } finally {
      await client.close();
      await server.close();
    }
  }
});

test('through a NAT rebinding the server follows the client: same Peer.key, answers reach the new port', async () => {
  const server = new DtlsTransport(await UdpTransport.bind({ address: '127.0.0.1' }), {
    role: 'server',
    pskFor: (identity) => (identity === 'id1' ? KEY : undefined),
  });
  const relay = await UdpRelay.start(server.address().port);
  const client = new DtlsTransport(await UdpTransport.bind({ address: '127.0.0.1' }), {
    role: 'client',
    psk: { identity: 'id1', key: KEY },
    connectionIdLength: 0,
  });
  const relayPeer = makePeer('127.0.0.1', relay.frontPort);
  const atServer: { bytes: string; peer: Peer }[] = [];
  server.onDatagram((b, peer) => atServer.push({ bytes: text(b), peer }));
  const atClient: string[] = [];
  client.onDatagram((b) => atClient.push(text(b)));
  try {
    await client.send(relayPeer, bytes('one'));
    await waitUntil(() => atServer.length === 1, 'the first datagram at the server');
    const first = atServer[0]!.peer;
    assert.equal(first.port, relay.upstreamPort);
    await server.send(first, bytes('reply one'));
    await waitUntil(() => atClient.length === 1, 'the first reply at the client');
    const oldPort = relay.upstreamPort;
    await relay.rebind();
    assert.notEqual(relay.upstreamPort, oldPort);
    await client.send(relayPeer, bytes('two'));
    await waitUntil(() => atServer.length === 2, 'the datagram from the new port at the server');
    const second = atServer[1]!.peer;
    assert.equal(second.key, first.key, 'Peer.key is stable across the address change');
    assert.equal(second.port, relay.upstreamPort);
    assert.equal(server.connectedPeer('127.0.0.1', relay.upstreamPort)?.key, first.key);
    // the old Peer object still works: the transport sends to the connection's current address
    // (the old upstream socket is closed, so only the new port can deliver this)
    await server.send(first, bytes('reply two'));
    await waitUntil(() => atClient.length === 2, 'the reply sent to the new port');
    assert.deepEqual(atClient, ['reply one', 'reply two']);
    assert.equal(server.stats.handshakesCompleted, 1, 'no new handshake');
    assert.equal(server.connectionCount, 1);
  } finally {
    await client.close();
    await server.close();
    await relay.close();
  }
});

test('only an authenticated, non-replayed, newest CID record moves the connection', async () => {
  const { net, server, client, atServer } = await memoryPair(undefined, 0);
  const inner = serverInner(net);
  const firstPeer = atServer[0]!.peer;
  let dropClient = false;
  net.fate = (d) => (dropClient && d.from.key === CLIENT.key ? 'drop' : 'deliver');
  /** The record the client sends for `s`, kept from the server (dropped on the network). */
  const captured = async (s: string): Promise<Uint8Array> => {
    dropClient = true;
    await client.send(SERVER, bytes(s));
    dropClient = false;
    return net.log.at(-1)!.bytes;
  };
  try {
    const lost = await captured('older');
    await client.send(SERVER, bytes('newest'));
    await flush(4);
    const newest = net.log.at(-1)!.bytes;
    assert.deepEqual(
      atServer.map((m) => m.bytes),
      ['hello', 'newest'],
    );

    // a forged record: known CID, higher sequence number, so a MAC that cannot verify
    const forged = Uint8Array.from(newest);
    forged[10] = forged[10]! + 100;
    const dropped = server.stats.dropped;
    net.inject(ELSEWHERE, inner, forged);
    // a replay of a genuine record from another address
    net.inject(ELSEWHERE, inner, newest);
    await flush(4);
    assert.equal(atServer.length, 2, 'neither is delivered');
    assert.equal(server.stats.dropped, dropped + 2);
    assert.equal(server.connectedPeer(ELSEWHERE.address, ELSEWHERE.port), undefined);

    // a genuine but older record from another address is delivered and moves nothing
    net.inject(ELSEWHERE, inner, lost);
    await flush(4);
    assert.equal(atServer.at(-1)!.bytes, 'older');
    assert.equal(atServer.at(-1)!.peer.address, CLIENT.address);
    assert.equal(server.connectedPeer(ELSEWHERE.address, ELSEWHERE.port), undefined);
    await server.send(firstPeer, bytes('still there'));
    assert.equal(net.log.at(-1)!.to.key, CLIENT.key);

    // a genuine newer one moves it, and the key stays
    net.inject(ELSEWHERE, inner, await captured('moved'));
    await flush(4);
    assert.equal(atServer.at(-1)!.bytes, 'moved');
    assert.equal(atServer.at(-1)!.peer.key, firstPeer.key);
    assert.equal(atServer.at(-1)!.peer.address, ELSEWHERE.address);
    assert.equal(server.connectedPeer(ELSEWHERE.address, ELSEWHERE.port)?.key, firstPeer.key);
    await server.send(firstPeer, bytes('follow'));
    assert.equal(net.log.at(-1)!.to.key, ELSEWHERE.key);
  } finally {
    await client.close();
    await server.close();
  }
});

/** The server's MemoryTransport (bound at SERVER) on `net`, to inject datagrams into. */
function serverInner(net: MemoryNetwork) {
  return (net as unknown as { nodes: Map<string, Parameters<MemoryNetwork['inject']>[1]> }).nodes.get(
    SERVER.key,
  )!;
}

test('a client refuses a server CID longer than it agrees to send (16 bytes)', async () => {
  const net = new MemoryNetwork();
  const clock = new ManualClock();
  const server = new DtlsTransport(net.bind(SERVER.address, SERVER.port), {
    role: 'server',
    clock,
    pskFor: () => KEY,
    connectionIdLength: 17,
  });
  const client = new DtlsTransport(net.bind(CLIENT.address, CLIENT.port), {
    role: 'client',
    clock,
    psk: { identity: 'id1', key: KEY },
    connectionIdLength: 0,
  });
  try {
    const outcome = client.send(SERVER, bytes('never')).then(
      () => 'sent',
      (e: Error) => e.message,
    );
    await flush(20);
    assert.match(await outcome, /server CID of 17 bytes/);
    assert.equal(client.connectionCount, 0);
  } finally {
    await client.close();
    await server.close();
  }
});
