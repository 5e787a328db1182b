// `npm run bench -- serverPath [--clients N] [--store sqlite|memory] [--rounds R] [--json]`: the server's own CPU per
// Register, Read and CON notification with no socket under it. One Lwm2mServer in this process
// runs on an in-memory transport: the simulated clients' datagrams are handed to it a batch per
// macrotask (as the batched socket delivers a recvmmsg batch) and its answers are taken from its
// send calls. What the socket benchmark (`bench -- server`) cannot tell apart from the kernel's
// share and the machine's noise shows here: the JavaScript a change adds or removes, as µs of CPU
// per operation (this process's CPU, the SQLite thread pool's syncs included). A profiling aid
// for issue 17; the ratios against the raw UDP ceiling are `bench -- server`'s.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Code, MessageType, OptionNumber, type CoapOption } from '../src/coap/CoapMessage.js';
import { encodeMessage } from '../src/coap/messageCodec.js';
import { Lwm2mServer } from '../src/server/Lwm2mServer.js';
import { openSqliteStores } from '../src/store/sqlite/openSqliteStores.js';
import {
  DATAGRAM_QUEUED,
  type DatagramHandler,
  type DatagramTransport,
} from '../src/transport/DatagramTransport.js';
import { makePeer, type Peer } from '../src/transport/Peer.js';

const utf8 = new TextEncoder();
/** The property of a simulated client's Peer object that holds its number. */
const CLIENT = Symbol('client');
const IN_FLIGHT = 64;
/** Datagrams handed to the server per macrotask at most (the batched socket's batch). */
const BATCH = 64;
const REGISTER_PAYLOAD = utf8.encode('</>;rt="oma.lwm2m";ct=11543,</1/0>,</3/0>,</4/0>,</3303/0>');
const READ_PAYLOAD = utf8.encode('bench device');
const TEMPERATURE = utf8.encode('22.5');
const OBSERVE_OPTIONS = Uint8Array.of(0x61, 1, 0x60); // Observe 1, then Content-Format 0
const READ_OPTIONS = Uint8Array.of(0xc0); // Content-Format 0
const opt = (number: number, value: string | Uint8Array): CoapOption => ({
  number,
  value: typeof value === 'string' ? utf8.encode(value) : value,
});

/**
 * A piggybacked 2.05 (RFC 7252 5.2.1) to the request `request`: its message ID and token, text/plain,
 * with Observe 1 when it answers an Observe. The token is copied byte by byte: a `subarray` of the
 * request costs more than the rest of this function.
 */
function answer(request: Uint8Array, observe: boolean): Uint8Array {
  const tkl = request[0]! & 15;
  const payload = observe ? TEMPERATURE : READ_PAYLOAD;
  const head = 4 + tkl;
  const options = observe ? OBSERVE_OPTIONS : READ_OPTIONS;
  const b = new Uint8Array(head + options.length + 1 + payload.length);
  b[0] = 0x60 | tkl; // version 1, ACK
  b[1] = Code.CONTENT;
  b[2] = request[2]!;
  b[3] = request[3]!;
  for (let i = 4; i < head; i++) b[i] = request[i]!;
  b.set(options, head);
  b[head + options.length] = 0xff;
  b.set(payload, head + options.length + 1);
  return b;
}

/** A confirmable 2.05 notification (RFC 7641 4.2) with Observe `seq` (two bytes), text/plain. */
function notification(messageId: number, token: Uint8Array, seq: number): Uint8Array {
  const head = 4 + token.length;
  const b = new Uint8Array(head + 5 + TEMPERATURE.length);
  b[0] = 0x40 | token.length; // version 1, CON
  b[1] = Code.CONTENT;
  b[2] = messageId >> 8;
  b[3] = messageId & 255;
  b.set(token, 4);
  b.set([0x62, (seq >> 8) & 255, seq & 255, 0x60, 0xff], head); // Observe, Content-Format 0, end
  b.set(TEMPERATURE, head + 5);
  return b;
}

function flag(args: readonly string[], name: string, fallback: string): string {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback;
}

/** A whole number from `min` to `max` given as `name`, or a RangeError that says which flag is wrong. */
function count(args: readonly string[], name: string, fallback: number, min: number, max: number): number {
  const v = Number(flag(args, name, String(fallback)));
  if (!Number.isInteger(v) || v < min || v > max)
    throw new RangeError(`${name} must be a whole number from ${min} to ${max}`);
  return v;
}

/** The server's side of an in-memory datagram pipe: what it sends goes to `answer`. */
class MemoryTransport implements DatagramTransport {
  readonly reliable = false;
  readonly maxDatagramSize = 1152;
  private handler: DatagramHandler = () => undefined;
  private readonly inbox: { bytes: Uint8Array; peer: Peer }[] = [];
  private scheduled = false;

  constructor(private readonly answer: (peer: Peer, bytes: Uint8Array) => void) {}

  send(peer: Peer, bytes: Uint8Array): Promise<void> {
    this.answer(peer, bytes);
    return DATAGRAM_QUEUED; // as the batched socket does: queued at once
  }
  onDatagram(handler: DatagramHandler): void {
    this.handler = handler;
  }
  address(): { address: string; port: number; family: 'IPv4' | 'IPv6' } {
    return { address: '127.0.0.1', port: 5683, family: 'IPv4' };
  }
  close(): Promise<void> {
    return Promise.resolve();
  }

  /** Queues a datagram from `peer`; the queue is delivered in batches, one per macrotask. */
  deliver(peer: Peer, bytes: Uint8Array): void {
    this.inbox.push({ bytes, peer });
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.drain);
    }
  }

  private readonly drain = (): void => {
    const batch = this.inbox.splice(0, BATCH);
    // As the batched socket hands a batch over: views of one fresh off-heap buffer. (A small
    // Uint8Array of its own keeps its bytes on V8's heap, and the decoder's first view of it
    // would move them off: a cost no datagram from a socket has.)
    let size = 0;
    for (const { bytes } of batch) size += bytes.length;
    const data = new Uint8Array(new ArrayBuffer(size));
    let at = 0;
    for (const { bytes, peer } of batch) {
      data.set(bytes, at);
      this.handler(data.subarray(at, at + bytes.length), peer);
      at += bytes.length;
    }
    this.scheduled = false;
    if (this.inbox.length > 0) {
      this.scheduled = true;
      setImmediate(this.drain);
    }
  };
}

/** BENCH_PATH_PROF=<dir>: a V8 CPU profile of each measured phase, written there as <phase>.cpuprofile. */
const profileDir = process.env.BENCH_PATH_PROF;

/** Runs `op(i)` for i in [0, count) with IN_FLIGHT at once; returns CPU µs per op. */
async function measure(phase: string, count: number, op: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const session = profileDir ? new Session() : undefined;
  if (session) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 }); // µs: 10x V8's default
    await session.post('Profiler.start');
  }
  const cpu0 = process.cpuUsage();
  const worker = async (): Promise<void> => {
    while (next < count) await op(next++);
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  const cpu = process.cpuUsage(cpu0);
  if (session) {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(join(profileDir!, `${phase}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
  return (cpu.user + cpu.system) / count;
}

export async function run(args: readonly string[]): Promise<void> {
  // Clients are 127.1.0.0/16 × ports from 20 000 (a port per 65 536): a million stays below 20 016.
  // At least as many clients as operations in flight: a client has one message outstanding at a time.
  const clients = count(args, '--clients', 20_000, IN_FLIGHT, 1_000_000);
  const storeKind = flag(args, '--store', 'sqlite');
  if (storeKind !== 'sqlite' && storeKind !== 'memory')
    throw new RangeError('--store must be sqlite or memory');
  const rounds = count(args, '--rounds', 5, 1, 100);
  // The machine's noise only ever adds CPU: each figure's least over the rounds is the one to compare.
  const all: Record<string, number[]> = {};
  for (let r = 0; r < rounds; r++) {
    const figures = await round(clients, storeKind, r);
    for (const [k, v] of Object.entries(figures)) (all[k] ??= []).push(v);
  }
  const least = Object.fromEntries(Object.entries(all).map(([k, v]) => [k, Math.min(...v)]));
  const median = Object.fromEntries(
    Object.entries(all).map(([k, v]) => [k, [...v].sort((a, b) => a - b)[v.length >> 1]!]),
  );
  if (args.includes('--json'))
    console.log(JSON.stringify({ clients, store: storeKind, rounds, least, median }));
  else {
    console.log(
      `server CPU µs per operation, ${clients} clients, ${storeKind} store, ${rounds} rounds (least / median):`,
    );
    for (const k of Object.keys(all))
      console.log(`  ${k.padEnd(16)} ${least[k]!.toFixed(2)} / ${median[k]!.toFixed(2)}`);
  }
}

/** One server from scratch: registers `clients`, reads and observes them, takes notifications. */
async function round(clients: number, storeKind: string, r: number): Promise<Record<string, number>> {
  const dir = storeKind === 'sqlite' ? mkdtempSync(join(tmpdir(), 'lwm2m-bench-path-')) : undefined;
  const stores = dir ? await openSqliteStores(join(dir, 'server.db')) : undefined;
  const peers = Array.from({ length: clients }, (_, i) =>
    makePeer(`127.1.${(i >> 8) & 255}.${i & 255}`, 20_000 + (i >> 16)),
  );
  // Each peer object carries its client's number, as the PeerIndex notes its own on peers: the
  // simulator's lookup stays out of the figures (a Map by peer key was 4% of a Read here).
  peers.forEach((peer, i) => Object.defineProperty(peer, CLIENT, { value: i }));
  /** Each client's next message ID, and the token of the observation the server made of it. */
  const mids = new Uint16Array(clients);
  const observeTokens: Uint8Array[] = [];
  /** What waits for the server's ACK of a client's message (a client has one at a time): by client. */
  const waiting: ((() => void) | undefined)[] = new Array<undefined>(clients).fill(undefined);
  const transport = new MemoryTransport((peer, bytes) => {
    // Only what the client needs of the server's datagram, read by hand (RFC 7252 3): the
    // simulator's own CPU is counted too, so it stays as small as it can be.
    const client = (peer as Peer & { [CLIENT]: number })[CLIENT];
    const type = (bytes[0]! >> 4) & 3;
    if (type === MessageType.ACK || type === MessageType.RST) {
      const messageId = (bytes[2]! << 8) | bytes[3]!;
      const done = waiting[client];
      if (done && messageId === mids[client]) {
        waiting[client] = undefined;
        done();
      }
      return;
    }
    // A request of the server's (Read, Observe): the client answers with a piggybacked 2.05.
    // Observe (6) is the lowest option such a GET has: it is the first when present.
    const tkl = bytes[0]! & 15;
    const observe = bytes.length > 4 + tkl && bytes[4 + tkl]! >> 4 === OptionNumber.OBSERVE;
    if (observe) observeTokens[client] = bytes.slice(4, 4 + tkl);
    transport.deliver(peer, answer(bytes, observe));
  });
  const server = await Lwm2mServer.start({
    transports: [transport],
    ...(stores ? { store: stores.registrations } : {}),
    limits: {
      maxRegistrations: 10_000_000,
      registrationsPerSecondPerSource: 1e9,
      registrationBurstPerSource: 1e9,
      maxNotificationsPerSecond: 1e9,
    },
  });
  /** Sends a client's message and resolves on the server's ACK of it. */
  const fromClient = (client: number, make: (messageId: number) => Uint8Array): Promise<void> =>
    new Promise((resolve) => {
      const messageId = (mids[client] = (mids[client]! + 1) & 0xffff);
      waiting[client] = resolve;
      transport.deliver(peers[client]!, make(messageId));
    });

  const registers = Array.from({ length: clients }, (_, i) =>
    encodeMessage({
      type: MessageType.CON,
      code: Code.POST,
      messageId: 0,
      token: Uint8Array.of(i & 255, (i >> 8) & 255, (i >> 16) & 255, 1),
      options: [
        opt(OptionNumber.URI_PATH, 'rd'),
        opt(OptionNumber.CONTENT_FORMAT, Uint8Array.of(40)),
        opt(OptionNumber.URI_QUERY, `ep=bench-${i}`),
        opt(OptionNumber.URI_QUERY, 'lt=86400'),
        opt(OptionNumber.URI_QUERY, 'lwm2m=1.1'),
        opt(OptionNumber.URI_QUERY, 'b=U'),
      ],
      payload: REGISTER_PAYLOAD,
    }),
  );
  const figures: Record<string, number> = {};
  figures.register = await measure(`register-${r}`, clients, (i) =>
    fromClient(i, (messageId) => {
      const bytes = registers[i]!;
      bytes[2] = messageId >> 8;
      bytes[3] = messageId & 255;
      return bytes;
    }),
  );
  const names = Array.from({ length: clients }, (_, i) => `bench-${i}`);
  for (let pass = 0; pass < 2; pass++) {
    figures[`read${pass}`] = await measure(`read${pass}-${r}`, clients * 3, async (i) => {
      const res = await server.read(names[i % clients]!, '/3/0/0');
      if (!res.ok) throw new Error(`read ${names[i % clients]} failed`);
    });
  }
  figures.observe = await measure(`observe-${r}`, clients, async (i) => {
    const res = await server.observe(names[i]!, '/3303/0/5700', { buffer: 0 }).response;
    if (!res.ok) throw new Error(`observe ${names[i]} failed`);
  });
  let seq = 1;
  for (let pass = 0; pass < 2; pass++) {
    figures[`notification${pass}`] = await measure(`notification${pass}-${r}`, clients * 3, (i) => {
      const client = i % clients;
      if (client === 0) seq++;
      return fromClient(client, (messageId) => notification(messageId, observeTokens[client]!, seq));
    });
  }
  await server.stop();
  await stores?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  return figures;
}
