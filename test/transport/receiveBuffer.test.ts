// A server socket's kernel receive buffer (issue 17): the size asked for is applied on both
// sockets and reported as the kernel grants it; the batched socket counts the datagrams the kernel
// drops when the buffer is full (SO_RXQ_OVFL), exactly, and tells its listener; bad sizes are
// RangeErrors; the server asks for 4 MiB by default, counts drops as its `udpReceiveBuffer` limit
// (hits, a `limit` event) and reports each socket's buffer in stats(); the CLI's start-up word on it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { NativeUdpTransport } from '../../src/transport/udp/NativeUdpTransport.js';
import { UdpTransport } from '../../src/transport/udp/UdpTransport.js';
import { DEFAULT_SERVER_RECEIVE_BUFFER_BYTES } from '../../src/transport/udp/receiveBufferBytes.js';
import type { DatagramTransport } from '../../src/transport/DatagramTransport.js';
import { Lwm2mServer } from '../../src/server/Lwm2mServer.js';
import { BootstrapServer } from '../../src/bootstrap/BootstrapServer.js';
import { MemorySecurityStore } from '../../src/store/memory/MemorySecurityStore.js';
import type { LimitEvent } from '../../src/binding/LimitCounters.js';
import { receiveBufferText } from '../../src/cli/udpSocketOption.js';
import { skipOrFail } from '../support/peers.js';
import { NATIVE_UDP_MISSING } from '../support/nativeUdp.js';
import { burst } from '../support/udpBurst.js';

const linux = process.platform === 'linux';

/** What Linux grants for `asked` bytes: the request capped at net.core.rmem_max, then doubled. */
function granted(asked: number): number {
  const max = Number(readFileSync('/proc/sys/net/core/rmem_max', 'utf8'));
  return 2 * Math.min(asked, max);
}

test('both sockets ask for the receive buffer given and report what the kernel granted', async (t) => {
  if (!linux) return t.skip('the granted size is Linux-specific');
  const kinds: [string, () => Promise<DatagramTransport>][] = [
    ['dgram', () => UdpTransport.bind({ address: '127.0.0.1', receiveBufferBytes: 65_536 })],
  ];
  if (!NATIVE_UDP_MISSING)
    kinds.push([
      'batched',
      () => NativeUdpTransport.bind({ address: '127.0.0.1', receiveBufferBytes: 65_536 }),
    ]);
  else skipOrFail(t, NATIVE_UDP_MISSING);
  for (const [kind, bind] of kinds) {
    const transport = await bind();
    try {
      const status = transport.receiveBuffer?.();
      assert.equal(status?.bytes, granted(65_536), kind);
      assert.equal(status?.drops, kind === 'dgram' ? undefined : 0, kind);
    } finally {
      await transport.close();
    }
    assert.equal(transport.receiveBuffer?.()?.bytes, 0, `${kind}: closed`);
  }
});

test('a receive buffer size that is no integer from 0 to 2^31 - 1 is a RangeError, and nothing stays bound', async () => {
  for (const bad of [-1, 1.5, 2 ** 31, Number.NaN]) {
    await assert.rejects(UdpTransport.bind({ address: '127.0.0.1', receiveBufferBytes: bad }), RangeError);
    if (!NATIVE_UDP_MISSING)
      await assert.rejects(
        NativeUdpTransport.bind({ address: '127.0.0.1', receiveBufferBytes: bad }),
        RangeError,
      );
  }
  await assert.rejects(
    Lwm2mServer.start({ address: '127.0.0.1', port: 0, udpReceiveBufferBytes: -5 }),
    RangeError,
  );
});

test('the batched socket counts every datagram the kernel dropped for a full buffer, and tells its listener', async (t) => {
  if (NATIVE_UDP_MISSING) return skipOrFail(t, NATIVE_UDP_MISSING);
  // the smallest buffer Linux allows (a few KiB): 200 datagrams of 1 000 bytes cannot all wait in it
  const transport = await NativeUdpTransport.bind({ address: '127.0.0.1', receiveBufferBytes: 1 });
  try {
    let received = 0;
    const told: number[] = [];
    transport.onDatagram(() => void received++);
    transport.onReceiveDrops((n) => told.push(n));
    await burst(transport.address().port, 200, 1_000, () => received);
    const drops = transport.receiveBuffer().drops!;
    assert.ok(drops > 0, `${received} received, ${drops} dropped`);
    assert.equal(received + drops, 201, 'every datagram either read or counted as dropped');
    assert.equal(
      told.reduce((a, b) => a + b, 0),
      drops,
      'the listener heard of each drop once',
    );
    // a listener that throws is contained; later drops still count
    transport.onReceiveDrops(() => {
      throw new Error('listener');
    });
    const before = transport.errorCount;
    await burst(transport.address().port, 200, 1_000, () => received);
    assert.ok(transport.receiveBuffer().drops! > drops);
    assert.equal(transport.errorCount, before + 1);
  } finally {
    await transport.close();
  }
});

test('the server asks for 4 MiB by default, counts drops as its udpReceiveBuffer limit and reports each socket', async (t) => {
  if (NATIVE_UDP_MISSING) return skipOrFail(t, NATIVE_UDP_MISSING);
  const byDefault = await Lwm2mServer.start({ address: '127.0.0.1', port: 0 });
  try {
    const [plain] = byDefault.stats().receiveBuffers;
    if (linux) assert.equal(plain?.bytes, granted(DEFAULT_SERVER_RECEIVE_BUFFER_BYTES));
    assert.equal(byDefault.limits().udpReceiveBuffer.max, plain?.bytes);
    assert.equal(byDefault.limits().udpReceiveBuffer.hits, 0);
  } finally {
    await byDefault.stop();
  }

  // the server's own socket, with the smallest buffer, given as its transport
  const socket = await NativeUdpTransport.bind({ address: '127.0.0.1', receiveBufferBytes: 1 });
  const server = await Lwm2mServer.start({ transports: [socket] });
  const events: LimitEvent[] = [];
  server.on('limit', (e) => events.push(e));
  try {
    // datagrams that are no CoAP are read and ignored
    await burst(server.address().port, 300, 1_000, () => socket.datagrams);
    const drops = server.stats().receiveBuffers[0]!.drops!;
    assert.ok(drops > 0, `${socket.datagrams} read, ${drops} dropped`);
    assert.equal(socket.datagrams + drops, 301);
    assert.equal(server.limits().udpReceiveBuffer.hits, drops);
    assert.equal(events.length, 1, 'one limit event for the burst');
    assert.equal(events[0]!.limit, 'udpReceiveBuffer');
    assert.equal(events[0]!.hits, drops);
    assert.equal(events[0]!.max, server.stats().receiveBuffers[0]!.bytes);
  } finally {
    await server.stop();
  }
});

test('the bootstrap server counts drops as its udpReceiveBuffer limit too, with one limit event per burst', async (t) => {
  if (NATIVE_UDP_MISSING) return skipOrFail(t, NATIVE_UDP_MISSING);
  const byDefault = await BootstrapServer.start({ address: '127.0.0.1', port: 0 });
  try {
    const [plain] = byDefault.receiveBuffers();
    if (linux) assert.equal(plain?.bytes, granted(DEFAULT_SERVER_RECEIVE_BUFFER_BYTES));
    assert.deepEqual(byDefault.limits(), { udpReceiveBuffer: { max: plain?.bytes, usage: 0, hits: 0 } });
  } finally {
    await byDefault.stop();
  }

  const socket = await NativeUdpTransport.bind({ address: '127.0.0.1', receiveBufferBytes: 1 });
  const server = await BootstrapServer.start({ transports: [socket] });
  const events: LimitEvent[] = [];
  server.on('limit', (e) => events.push(e));
  try {
    await burst(server.address().port, 300, 1_000, () => socket.datagrams);
    const drops = server.receiveBuffers()[0]!.drops!;
    assert.ok(drops > 0, `${socket.datagrams} read, ${drops} dropped`);
    assert.equal(socket.datagrams + drops, 301);
    assert.equal(server.limits().udpReceiveBuffer.hits, drops);
    assert.deepEqual(events, [
      { limit: 'udpReceiveBuffer', hits: drops, total: drops, max: server.receiveBuffers()[0]!.bytes },
    ]);
  } finally {
    await server.stop();
  }
});

test('a server with a DTLS port asks for the same buffer on both sockets, and reports both', async (t) => {
  if (!linux) return t.skip('the granted size is Linux-specific');
  const server = await Lwm2mServer.start({
    address: '127.0.0.1',
    port: 0,
    dtls: { port: 0 },
    security: { store: new MemorySecurityStore([]) },
    udpReceiveBufferBytes: 32_768,
  });
  try {
    const expected = NATIVE_UDP_MISSING ? undefined : 0;
    assert.deepEqual(server.stats().receiveBuffers, [
      { bytes: granted(32_768), drops: expected },
      { bytes: granted(32_768), drops: expected },
    ]);
    assert.equal(server.limits().udpReceiveBuffer.max, 2 * granted(32_768));
  } finally {
    await server.stop();
  }
});

test('the start-up word on a receive buffer: the size granted, and a hint when the kernel capped it', () => {
  assert.deepEqual(receiveBufferText(8 * 1024 * 1024, 4 * 1024 * 1024, 'linux'), {
    text: '8192 KiB',
    capped: false,
  });
  const capped = receiveBufferText(425_984, 4 * 1024 * 1024, 'linux');
  assert.equal(capped.capped, true);
  assert.match(
    capped.text,
    /^416 KiB, less than the 4096 KiB asked for: .*sysctl -w net\.core\.rmem_max=4194304/,
  );
  assert.deepEqual(receiveBufferText(4 * 1024 * 1024, 4 * 1024 * 1024, 'darwin'), {
    text: '4096 KiB',
    capped: false,
  });
  assert.equal(receiveBufferText(1_000_000, 4 * 1024 * 1024, 'darwin').capped, true);
  assert.deepEqual(receiveBufferText(212_992, 0, 'linux'), { text: "208 KiB (the system's)", capped: false });
  assert.deepEqual(receiveBufferText(undefined), { text: 'not a kernel socket', capped: false });
});
