// The raw-UDP ceiling's load generator (issue 17 item 1): as lean as a node:dgram client can be,
// so the ceiling is what the machine's UDP path allows and not what a harness costs. `inFlight`
// 16-byte datagrams are spread over several sockets and sent in one tick; each echo is sent
// straight back from its socket's receive callback. Nothing per round trip but the two syscalls:
// no CoAP encoding, no promise, no timer, no allocation (the received buffer is sent again).
// Each datagram carries its slot number; one timer per run re-sends a slot whose datagram has
// not come back for `resendMs` (a loss on loopback would otherwise shrink the load for good).
// With `generator: 'batched'` the sockets are the simulator's own (SimHub.ts: recvmmsg, and
// sendmmsg a few datagrams at a time), so the ceiling's generator is never heavier than the
// simulator whose figures it divides.
import { createSocket } from 'node:dgram';
import { ipLookup } from './ipLookup.js';
import { measureWindow } from './loadLoop.js';
import { SimHub } from './SimHub.js';

/** One measured run of the echo load. */
export interface EchoLoadResult {
  readonly operations: number;
  readonly seconds: number;
  readonly perSec: number;
  /** CPU seconds `cpuProbe` counted during the measured window (NaN without a probe). */
  readonly cpuSeconds: number;
  /** Datagrams re-sent because their echo had not come back (losses). */
  readonly resent: number;
}

/** Options of one run. */
export interface EchoLoadOptions {
  readonly inFlight: number;
  readonly warmupMs: number;
  readonly durationMs: number;
  /** Client sockets the datagrams are spread over (default 4). */
  readonly sockets?: number;
  /** Cumulative CPU seconds of the processes involved, read at the window's start and end. */
  readonly cpuProbe?: () => number;
  /** A datagram not back after this long is sent again (default 200 ms). */
  readonly resendMs?: number;
  /** node:dgram sockets (default), or the simulator's batched ones (SimHub.ts). */
  readonly generator?: 'dgram' | 'batched';
}

/** What the generator sends from: a socket with an echo handler; `send` sends one datagram to the echo. */
interface GeneratorSocket {
  send(datagram: Buffer): void;
  close(): void;
}

const LOOPBACK = 0x7f000001;

async function dgramSocket(port: number, onEcho: (msg: Buffer) => void): Promise<GeneratorSocket> {
  const socket = createSocket({ type: 'udp4', lookup: ipLookup });
  socket.on('error', () => undefined); // a failed send shows up as a re-send
  await new Promise<void>((resolve) => socket.bind(0, HOST, resolve));
  socket.on('message', (msg) => {
    onEcho(msg);
    socket.send(msg, port, HOST);
  });
  return {
    send: (datagram) => socket.send(datagram, port, HOST),
    close: () => {
      socket.removeAllListeners('message');
      socket.close();
    },
  };
}

function batchedSocket(port: number, onEcho: (msg: Buffer) => void): GeneratorSocket {
  const hub = SimHub.open(0);
  hub.attach(LOOPBACK, (msg) => {
    onEcho(msg);
    hub.send(msg, LOOPBACK, port);
  });
  return { send: (datagram) => hub.send(datagram, LOOPBACK, port), close: () => hub.close() };
}

const HOST = '127.0.0.1';

/** Runs `inFlight` echo round trips in a closed loop against `port` for a warm-up and a window. */
export async function runUdpEchoLoad(port: number, options: EchoLoadOptions): Promise<EchoLoadResult> {
  const count = Math.max(1, Math.min(options.sockets ?? 4, options.inFlight));
  const resendMs = options.resendMs ?? 200;
  const sockets: GeneratorSocket[] = [];
  const lastSeen = new Float64Array(options.inFlight);
  let operations = 0;
  let resent = 0;
  try {
    const onEcho = (msg: Buffer): void => {
      operations++;
      if (msg.length >= 2) lastSeen[msg.readUInt16BE(0)] = performance.now();
    };
    for (let i = 0; i < count; i++)
      sockets.push(
        options.generator === 'batched' ? batchedSocket(port, onEcho) : await dgramSocket(port, onEcho),
      );
    const sendSlot = (slot: number): void => {
      const datagram = Buffer.alloc(16); // first byte 0: never taken for CoAP (version 0)
      datagram.writeUInt16BE(slot, 0);
      lastSeen[slot] = performance.now();
      sockets[slot % count]!.send(datagram);
    };
    for (let slot = 0; slot < options.inFlight; slot++) sendSlot(slot);
    const watchdog = setInterval(() => {
      const now = performance.now();
      for (let slot = 0; slot < options.inFlight; slot++)
        if (now - lastSeen[slot]! > resendMs) {
          resent++;
          sendSlot(slot);
        }
    }, resendMs / 2);
    try {
      let done = -operations;
      const { seconds, cpuSeconds } = await measureWindow(
        options,
        () => (done = -operations),
        () => (done += operations),
      );
      return { operations: done, seconds, perSec: done / seconds, cpuSeconds, resent };
    } finally {
      clearInterval(watchdog);
    }
  } finally {
    for (const s of sockets) s.close();
  }
}
