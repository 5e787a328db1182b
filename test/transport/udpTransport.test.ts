// Tests of the two plain UDP transports over real sockets, each test run against both: UdpTransport
// (node:dgram) and NativeUdpTransport (the batched recvmmsg/sendmmsg socket of native/udp.c):
// IPv4, IPv6 (::1), dual stack, ephemeral ports, Peer caching, send errors, and two CoapEndpoints
// talking over UDP on 127.0.0.1. The batched socket's own behaviour: nativeUdpTransport.test.ts.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { DATAGRAM_QUEUED, type DatagramTransport } from '../../src/transport/DatagramTransport.js';
import { NativeUdpTransport } from '../../src/transport/udp/NativeUdpTransport.js';
import { UdpTransport, type UdpBindOptions } from '../../src/transport/udp/UdpTransport.js';
import { CoapEndpoint } from '../../src/coap/CoapEndpoint.js';
import { Code } from '../../src/coap/CoapMessage.js';
import { makePeer, type Peer } from '../../src/transport/Peer.js';
import { RawCoapPeer, hex } from '../support/RawCoapPeer.js';
import { skipOrFail } from '../support/peers.js';
import { waitUntil } from '../support/waitUntil.js';
import { NATIVE_UDP_MISSING } from '../support/nativeUdp.js';

function nextDatagram(t: DatagramTransport): Promise<{ bytes: Uint8Array; peer: Peer }> {
  return new Promise((resolve) => t.onDatagram((bytes, peer) => resolve({ bytes, peer })));
}

async function canBindIpv6(): Promise<boolean> {
  try {
    const t = await UdpTransport.bind({ address: '::1' });
    await t.close();
    return true;
  } catch {
    return false;
  }
}
const hasIpv6 = await canBindIpv6();
const NO_IPV6 =
  'IPV6 MISSING: cannot bind a UDP socket on ::1 (enable IPv6 on the loopback); IPv6 test skipped';

const kinds: readonly {
  readonly name: string;
  readonly bind: (o?: UdpBindOptions) => Promise<DatagramTransport & { errorCount: number }>;
  readonly missing?: string;
}[] = [
  { name: 'dgram', bind: (o) => UdpTransport.bind(o) },
  {
    name: 'batched',
    bind: (o) => NativeUdpTransport.bind(o),
    ...(NATIVE_UDP_MISSING !== undefined ? { missing: NATIVE_UDP_MISSING } : {}),
  },
];

test('dgram: the same address and port give the same Peer object; the cache is bounded', async () => {
  const t = await UdpTransport.bind({ address: '127.0.0.1', peerCacheSize: 2 });
  try {
    const p1 = t.peerFor('10.0.0.1', 1);
    assert.equal(t.peerFor('10.0.0.1', 1), p1);
    assert.equal(t.peerFor('::ffff:10.0.0.1', 1), p1);
    t.peerFor('10.0.0.2', 1);
    t.peerFor('10.0.0.3', 1);
    assert.notEqual(t.peerFor('10.0.0.1', 1), p1, 'evicted, then made anew');
  } finally {
    await t.close();
  }
});

for (const kind of kinds) {
  const skipped = (t: TestContext): boolean => {
    if (kind.missing === undefined) return false;
    skipOrFail(t, kind.missing);
    return true;
  };
  const bind = kind.bind;

  test(`${kind.name}: binds an ephemeral IPv4 port and exchanges datagrams both ways`, async (t) => {
    if (skipped(t)) return;
    const a = await bind({ address: '127.0.0.1' });
    const b = await bind({ address: '127.0.0.1', port: 0 });
    try {
      assert.ok(a.address().port > 0);
      assert.notEqual(a.address().port, b.address().port);
      assert.equal(a.address().family, 'IPv4');
      assert.equal(a.maxDatagramSize, 1152);
      const got = nextDatagram(b);
      const sent = a.send(makePeer('127.0.0.1', b.address().port), hex('40010001'));
      assert.equal(sent, DATAGRAM_QUEUED, 'queued at once: callers attach nothing to it');
      const { bytes, peer } = await got;
      assert.deepEqual([...bytes], [0x40, 1, 0, 1]);
      assert.equal(peer.address, '127.0.0.1');
      assert.equal(peer.port, a.address().port);
      assert.equal(peer.family, 'IPv4');
      const back = nextDatagram(a);
      await b.send(peer, hex('6000 0001'));
      assert.equal((await back).bytes.length, 4);
    } finally {
      await a.close();
      await b.close();
    }
  });

  test(`${kind.name}: IPv6 on ::1`, async (t) => {
    if (skipped(t)) return;
    if (!hasIpv6) return skipOrFail(t, NO_IPV6);
    const a = await bind({ address: '::1' });
    const b = await bind({ address: '::1' });
    try {
      assert.equal(a.address().family, 'IPv6');
      const got = nextDatagram(b);
      await a.send(makePeer('::1', b.address().port), hex('5001abcd'));
      const { peer } = await got;
      assert.equal(peer.address, '::1');
      assert.equal(peer.family, 'IPv6');
      assert.equal(peer.key, `::1|${a.address().port}`);
    } finally {
      await a.close();
      await b.close();
    }
  });

  test(`${kind.name}: a dual-stack socket on :: shows IPv4 peers in IPv4 form and answers them`, async (t) => {
    if (skipped(t)) return;
    if (!hasIpv6) return skipOrFail(t, NO_IPV6);
    const server = await bind({ address: '::' });
    const raw = await RawCoapPeer.open('127.0.0.1');
    try {
      const got = nextDatagram(server);
      await raw.send('40010002', { address: '127.0.0.1', port: server.address().port });
      const { peer } = await got;
      assert.equal(peer.address, '127.0.0.1');
      assert.equal(peer.family, 'IPv4');
      await server.send(peer, hex('60000002'));
      await raw.expect('60000002');
    } finally {
      await server.close();
      await raw.close();
    }
  });

  test(`${kind.name}: binds with no options at all (dual stack, or IPv4 where IPv6 is missing)`, async (c) => {
    if (skipped(c)) return;
    const t = await bind();
    try {
      assert.ok(t.address().port > 0);
      const raw = await RawCoapPeer.open();
      const got = nextDatagram(t);
      await raw.send('50010003', { address: '127.0.0.1', port: t.address().port });
      assert.equal((await got).peer.address, '127.0.0.1');
      await raw.close();
    } finally {
      await t.close();
    }
  });

  test(`${kind.name}: send errors reject the promise and never crash the process`, async (c) => {
    if (skipped(c)) return;
    const t = await bind({ address: '127.0.0.1' });
    await assert.rejects(t.send(makePeer('127.0.0.1', 0), hex('40010001')));
    await assert.rejects(t.send(makePeer('not an address', 5683), hex('40010001')));
    await t.close();
    await assert.rejects(t.send(makePeer('127.0.0.1', 9), hex('40010001')));
    assert.ok(t.errorCount >= 1);
  });

  test(`${kind.name}: a sent datagram goes out even if the socket closes right after`, async (t) => {
    if (skipped(t)) return;
    const receiver = await bind({ address: '127.0.0.1' });
    const sender = await bind({ address: '127.0.0.1' });
    try {
      let arrived: Uint8Array | undefined;
      receiver.onDatagram((bytes) => void (arrived ??= Uint8Array.from(bytes)));
      const to = makePeer('127.0.0.1', receiver.address().port);
      const first = sender.send(to, hex('50000001'));
      // No promise, tick or DNS lookup per datagram (issue 17): every accepted send shares one.
      assert.equal(sender.send(to, hex('50000002')), first);
      await sender.close();
      await waitUntil(() => arrived !== undefined, 'the datagram sent before close');
      await first;
      assert.deepEqual(arrived, hex('50000001'));
    } finally {
      await Promise.all([sender.close(), receiver.close()]);
    }
  });

  test(`${kind.name}: two CoapEndpoints exchange a CON GET over real UDP on 127.0.0.1`, async (t) => {
    if (skipped(t)) return;
    const server = new CoapEndpoint(await bind({ address: '127.0.0.1' }));
    const client = new CoapEndpoint(await bind({ address: '127.0.0.1' }));
    try {
      server.router.use('/hello', (req) => ({ code: Code.CONTENT, payload: req.payload }));
      const res = await client.request(makePeer('127.0.0.1', server.address().port), {
        method: 'POST',
        path: '/hello',
        payload: 'over udp',
      });
      assert.equal(res.code, Code.CONTENT);
      assert.equal(new TextDecoder().decode(res.payload), 'over udp');
    } finally {
      await client.close();
      await server.close();
    }
  });

  test(`${kind.name}: an endpoint answers raw bytes: piggybacked 2.05, RST for a ping, 4.02 for a critical option`, async (t) => {
    if (skipped(t)) return;
    const server = new CoapEndpoint(await bind({ address: '127.0.0.1' }));
    server.router.use('/a', () => ({ code: Code.CONTENT, payload: new Uint8Array([0x21]) }));
    const raw = await RawCoapPeer.open();
    const to = { address: '127.0.0.1', port: server.address().port };
    try {
      await raw.send('41 01 1000 aa b1 61', to); // CON GET /a, token aa
      await raw.expect('61 45 1000 aa ff 21');
      await raw.send('40 00 1001', to); // ping
      await raw.expect('70 00 1001');
      await raw.send('41 01 1002 bb b1 61 d1 ff 01', to); // + unknown critical option 279
      await raw.expect('61 82 1002 bb');
    } finally {
      await raw.close();
      await server.close();
    }
  });
}
