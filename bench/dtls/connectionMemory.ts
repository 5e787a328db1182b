// Child process of `npm run bench -- dtls`: the heap a DtlsTransport server holds per established
// connection. A lean generator in this process runs full PSK handshakes (our client handshake,
// one throw-away client DtlsTransport each, forgotten once it completes) against one server over
// an in-memory link, so the only thing that accumulates is the server's connections. Heap after
// a full GC, plus the ArrayBuffer memory outside the heap (the connection and session slabs), is
// read before and after each checkpoint; RSS is reported beside it.
// Prints one JSON line: { checkpoints: [{ connections, bytesPerConnection, heapMb, rssMb }], seconds }.
// Run with --expose-gc: `node --expose-gc --import tsx bench/dtls/connectionMemory.ts 10000 100000`.
import { DtlsTransport } from '../../src/transport/dtls/DtlsTransport.js';
import type { DatagramHandler, DatagramTransport } from '../../src/transport/DatagramTransport.js';
import { makePeer, type Peer } from '../../src/transport/Peer.js';

const KEY = Buffer.from('73656372657450534b', 'hex');
const SERVER = makePeer('10.0.0.1', 5684);
/** Handshakes run at once by the generator. */
const CONCURRENCY = 64;

/** One end of the in-memory link: what it sends is delivered on a later microtask. */
class LinkEnd implements DatagramTransport {
  readonly reliable = false;
  readonly maxDatagramSize = 1152;
  handler: DatagramHandler = () => undefined;
  constructor(
    readonly self: Peer,
    private readonly route: (to: Peer, from: Peer, bytes: Uint8Array) => void,
  ) {}
  send(peer: Peer, bytes: Uint8Array): Promise<void> {
    this.route(peer, this.self, bytes);
    return Promise.resolve();
  }
  onDatagram(handler: DatagramHandler): void {
    this.handler = handler;
  }
  address(): { address: string; port: number; family: 'IPv4' | 'IPv6' } {
    return { address: this.self.address, port: this.self.port, family: this.self.family };
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

const ends = new Map<string, LinkEnd>();
const route = (to: Peer, from: Peer, bytes: Uint8Array): void => {
  const end = ends.get(to.key);
  if (end) queueMicrotask(() => end.handler(bytes, from));
};
const serverEnd = new LinkEnd(SERVER, route);
ends.set(SERVER.key, serverEnd);
const server = new DtlsTransport(serverEnd, {
  role: 'server',
  pskFor: (identity) => (identity === 'id1' ? KEY : undefined),
  maxConnections: 1_000_000,
  maxHandshakes: 4096,
});
server.onDatagram(() => undefined);

/** One full handshake from a new client address; the client is forgotten afterwards. */
async function connect(i: number): Promise<void> {
  const self = makePeer(`10.${(i >>> 16) & 255}.${(i >>> 8) & 255}.${i & 255}`, 1024 + (i % 60_000));
  const end = new LinkEnd(self, route);
  ends.set(self.key, end);
  const client = new DtlsTransport(end, { role: 'client', psk: { identity: 'id1', key: KEY } });
  await client.send(SERVER, Uint8Array.of(0x40, 1, 0, 0)); // completes the handshake, then one record
  ends.delete(self.key);
}

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const heap = (): number => {
  gc();
  gc();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
};

const targets = process.argv.slice(2).map(Number);
const started = performance.now();
const base = heap();
let made = 0;
const checkpoints: { connections: number; bytesPerConnection: number; heapMb: number; rssMb: number }[] = [];
for (const target of targets) {
  while (made < target) {
    const n = Math.min(CONCURRENCY, target - made);
    await Promise.all(Array.from({ length: n }, (_, k) => connect(made + k)));
    made += n;
  }
  // the final flights the server keeps until the client's first record (or a deadline) are
  // released by the application record each client sent: what is left is the connection
  await new Promise((r) => setImmediate(r));
  if (server.connectionCount !== made)
    throw new Error(`${server.connectionCount} connections, expected ${made}`);
  const used = heap();
  const mem = process.memoryUsage();
  checkpoints.push({
    connections: made,
    bytesPerConnection: Math.round((used - base) / made),
    heapMb: Number((used / 2 ** 20).toFixed(1)),
    rssMb: Number((mem.rss / 2 ** 20).toFixed(1)),
  });
}
console.log(
  JSON.stringify({ checkpoints, seconds: Number(((performance.now() - started) / 1000).toFixed(1)) }),
);
await server.close();
process.exit(0);
