// Benchmark peer: the echo server of the raw-UDP ceiling the CoAP figures are compared with.
// Since servers bind the batched socket (native/udp.c, issue 17), the ceiling's echo uses it too
// when it is built: recvmmsg/sendmmsg, each batch echoed with one call and nothing else, which
// is faster than a node:dgram echo on the same machine (a slow ceiling would flatter us).
// BENCH_ECHO=dgram, or a machine without the addon, gives the one-line node:dgram echo.
// Prints "READY <port> <kind>" once bound.
import { createSocket } from 'node:dgram';
import { NATIVE_RECV_META, NATIVE_SEND_META, nativeUdp } from '../../src/transport/udp/nativeUdp.js';
import { ipLookup } from './ipLookup.js';

const addon = process.env.BENCH_ECHO === 'dgram' ? undefined : nativeUdp;
// BENCH_ECHO=thread: the batched echo with its sends on a thread of their own (as servers bind it)
const threaded = process.env.BENCH_ECHO === 'thread';
if (addon) {
  const R = NATIVE_RECV_META;
  const S = NATIVE_SEND_META;
  let meta = new Int32Array(64 * S);
  // The batch goes back as it came: each datagram from where it lies in the received buffer.
  const [handle, port] = addon.open(
    false,
    '127.0.0.1',
    0,
    false,
    (data, m, count) => {
      if (count * S > meta.length) meta = new Int32Array(count * S);
      let at = 0;
      for (let i = 0; i < count; i++) {
        const length = m[R * i]!;
        meta[S * i] = m[R * i + 1]!; // port
        meta[S * i + 1] = 4;
        meta[S * i + 2] = m[R * i + 3]!; // IPv4 address
        meta[S * i + 7] = at;
        meta[S * i + 8] = length;
        at += length;
      }
      addon.send(handle, data, meta, count);
    },
    undefined,
    threaded,
  );
  console.log(`READY ${port} ${threaded ? 'batched+thread' : 'batched'}`);
  process.on('SIGTERM', () => addon.close(handle, () => process.exit(0)));
} else {
  const socket = createSocket({ type: 'udp4', lookup: ipLookup });
  socket.on('message', (msg, rinfo) => socket.send(msg, rinfo.port, rinfo.address));
  socket.bind(0, '127.0.0.1', () => console.log(`READY ${socket.address().port} dgram`));
  process.on('SIGTERM', () => socket.close(() => process.exit(0)));
}
