// In-memory datagram transports for CoAP tests: transports on one MemoryNetwork deliver to each
// other by address|port, asynchronously (microtask), with hooks to drop, duplicate or log datagrams.
import type { DatagramHandler, DatagramTransport } from '../../src/transport/DatagramTransport.js';
import { makePeer, type Peer } from '../../src/transport/Peer.js';

/** One datagram on the network. */
export interface MemoryDatagram {
  readonly from: Peer;
  readonly to: Peer;
  readonly bytes: Uint8Array;
}

/** Decides what happens to a datagram: deliver (default), drop it, or deliver it twice. */
export type MemoryFate = 'deliver' | 'drop' | 'duplicate';

/** A tiny network of MemoryTransports. */
export class MemoryNetwork {
  /** Every datagram sent, in order (including dropped ones). */
  readonly log: MemoryDatagram[] = [];
  /** Called for each datagram; the default delivers everything. */
  fate: (d: MemoryDatagram) => MemoryFate = () => 'deliver';
  private readonly nodes = new Map<string, MemoryTransport>();

  /** A transport bound to `address`:`port` on this network. */
  bind(address: string, port = 5683): MemoryTransport {
    const t = new MemoryTransport(this, makePeer(address, port));
    this.nodes.set(t.self.key, t);
    return t;
  }

  /** Two linked transports, 10.0.0.1:5683 and 10.0.0.2:5683. */
  static pair(): { net: MemoryNetwork; a: MemoryTransport; b: MemoryTransport } {
    const net = new MemoryNetwork();
    return { net, a: net.bind('10.0.0.1'), b: net.bind('10.0.0.2') };
  }

  /** Datagrams sent by `from` (a transport or peer key). */
  sentBy(from: MemoryTransport): Uint8Array[] {
    return this.log.filter((d) => d.from.key === from.self.key).map((d) => d.bytes);
  }

  /** Delivers raw bytes to `to` as if sent from `from` (not logged, no fate applied). */
  inject(from: Peer, to: MemoryTransport, bytes: Uint8Array): void {
    const copy = Uint8Array.from(bytes);
    queueMicrotask(() => to.deliver(copy, from));
  }

  /** Routes a datagram (called by MemoryTransport.send). */
  route(from: Peer, to: Peer, bytes: Uint8Array): void {
    const d: MemoryDatagram = { from, to, bytes: Uint8Array.from(bytes) };
    this.log.push(d);
    const fate = this.fate(d);
    if (fate === 'drop') return;
    const node = this.nodes.get(to.key);
    if (!node) return;
    const times = fate === 'duplicate' ? 2 : 1;
    for (let i = 0; i < times; i++) {
      const copy = Uint8Array.from(bytes);
      queueMicrotask(() => node.deliver(copy, from));
    }
  }

  /** Forgets a closed transport. */
  unbind(t: MemoryTransport): void {
    this.nodes.delete(t.self.key);
  }
}

/** A DatagramTransport on a MemoryNetwork. */
export class MemoryTransport implements DatagramTransport {
  readonly reliable = false;
  readonly maxDatagramSize = 1152;
  private handler: DatagramHandler = () => undefined;
  private closed = false;

  constructor(
    private readonly net: MemoryNetwork,
    /** This transport as a peer of the others. */
    readonly self: Peer,
  ) {}

  send(peer: Peer, bytes: Uint8Array): Promise<void> {
    if (this.closed) return Promise.reject(new Error('closed'));
    this.net.route(this.self, peer, bytes);
    return Promise.resolve();
  }

  onDatagram(handler: DatagramHandler): void {
    this.handler = handler;
  }

  /** Hands a datagram to the handler (called by the network). */
  deliver(bytes: Uint8Array, from: Peer): void {
    if (!this.closed) this.handler(bytes, from);
  }

  address(): { address: string; port: number; family: 'IPv4' | 'IPv6' } {
    return { address: this.self.address, port: this.self.port, family: this.self.family };
  }

  close(): Promise<void> {
    this.closed = true;
    this.net.unbind(this);
    return Promise.resolve();
  }
}

/** Lets queued microtasks and immediates run (deliveries, promise callbacks). */
export async function flush(rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
}
