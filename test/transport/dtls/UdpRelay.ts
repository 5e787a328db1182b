// A loopback UDP relay standing in for a NAT in Connection ID tests: the client sends to the
// relay's front port, the relay forwards from its own upstream socket to the server and relays
// the server's answers back to the client. `rebind()` swaps the upstream socket for a new one,
// so the server sees the client's datagrams come from a new source port (NAT rebinding).
// With `loss`, each datagram, either way, is dropped with probability `rate`, decided by a PRNG
// seeded with `seed` (mulberry32), so a lossy run is repeatable for a given datagram order.
import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';

/** Seeded random loss of a relay. */
export interface RelayLoss {
  /** Probability of dropping each datagram, 0 to 1. */
  readonly rate: number;
  readonly seed: number;
}

/** A one-client UDP relay towards `serverPort` on 127.0.0.1. */
export class UdpRelay {
  private client: AddressInfo | undefined;
  private upstream: dgram.Socket;
  private readonly random: () => number;
  /** Probability of dropping a datagram now (starts at `loss.rate`; tests may change it). */
  lossRate: number;
  /** Datagrams forwarded and dropped, both directions together. */
  forwarded = 0;
  dropped = 0;

  private constructor(
    private readonly front: dgram.Socket,
    private readonly serverPort: number,
    loss: RelayLoss | undefined,
  ) {
    this.random = mulberry32(loss?.seed ?? 0);
    this.lossRate = loss?.rate ?? 0;
    this.upstream = this.openUpstream();
    front.on('message', (msg, rinfo) => {
      this.client = rinfo;
      if (this.keep()) this.upstream.send(msg, this.serverPort, '127.0.0.1');
    });
  }

  /** A relay listening on an ephemeral 127.0.0.1 port, optionally losing datagrams. */
  static async start(serverPort: number, loss?: RelayLoss): Promise<UdpRelay> {
    const front = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => front.bind(0, '127.0.0.1', resolve));
    const relay = new UdpRelay(front, serverPort, loss);
    await relay.ready();
    return relay;
  }

  /** The port the client sends to. */
  get frontPort(): number {
    return this.front.address().port;
  }

  /** The source port the server sees now. */
  get upstreamPort(): number {
    return this.upstream.address().port;
  }

  /** Moves the client to a new source port as the server sees it. */
  async rebind(): Promise<void> {
    const old = this.upstream;
    this.upstream = this.openUpstream();
    await this.ready();
    await new Promise<void>((resolve) => old.close(() => resolve()));
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.upstream.close(() => resolve()));
    await new Promise<void>((resolve) => this.front.close(() => resolve()));
  }

  private openUpstream(): dgram.Socket {
    const s = dgram.createSocket('udp4');
    s.on('message', (msg) => {
      if (this.client && this.keep()) this.front.send(msg, this.client.port, this.client.address);
    });
    s.bind(0, '127.0.0.1');
    return s;
  }

  /** Decides the fate of one datagram, counting it. */
  private keep(): boolean {
    const drop = this.lossRate > 0 && this.random() < this.lossRate;
    if (drop) this.dropped++;
    else this.forwarded++;
    return !drop;
  }

  private ready(): Promise<void> {
    const s = this.upstream;
    return new Promise((resolve) => s.once('listening', () => resolve()));
  }
}

/** mulberry32: a tiny seeded PRNG giving floats in [0, 1) (test randomness only). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
