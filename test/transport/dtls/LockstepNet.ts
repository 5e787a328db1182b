// A synchronous datagram network for many DTLS handshakes at once on a ManualClock: one server
// and any number of clients exchange datagrams through a queue that the test pumps (each
// datagram passes `fate` first: deliver, drop, or deliver other bytes), with microtasks and
// immediates run between rounds so asynchronous handshake steps (credential lookups) finish.
// Nothing waits on wall-clock time; every loop is bounded.
import type { DatagramHandler, DatagramTransport } from '../../../src/transport/DatagramTransport.js';
import { makePeer, type Peer } from '../../../src/transport/Peer.js';

/** A datagram in flight. */
export interface InFlight {
  readonly from: Peer;
  readonly to: Peer;
  readonly bytes: Uint8Array;
}

/** What happens to a datagram: the bytes to deliver (possibly changed), or undefined to drop it. */
export type Fate = (d: InFlight) => Uint8Array | undefined;

/** Routes datagrams between LockstepNodes through one queue. */
export class LockstepNet {
  fate: Fate = (d) => d.bytes;
  /** Datagrams delivered so far. */
  delivered = 0;
  private queue: InFlight[] = [];
  private readonly nodes = new Map<string, LockstepNode>();

  /** A transport bound to `address`:`port`. */
  bind(address: string, port: number): LockstepNode {
    const node = new LockstepNode(this, makePeer(address, port));
    this.nodes.set(node.self.key, node);
    return node;
  }

  /** Queues a datagram (LockstepNode.send). */
  enqueue(d: InFlight): void {
    this.queue.push(d);
  }

  /** Forgets a node. */
  unbind(node: LockstepNode): void {
    this.nodes.delete(node.self.key);
  }

  /** Delivers queued datagrams until none is left (at most `maxRounds` rounds); true when quiet. */
  async pump(maxRounds = 1000): Promise<boolean> {
    for (let round = 0; round < maxRounds; round++) {
      for (let settle = 0; settle < 4 && this.queue.length === 0; settle++)
        await new Promise((r) => setImmediate(r));
      if (this.queue.length === 0) return true;
      const batch = this.queue;
      this.queue = [];
      for (const d of batch) {
        const bytes = this.fate(d);
        const node = this.nodes.get(d.to.key);
        if (bytes === undefined || !node) continue;
        this.delivered++;
        node.deliver(bytes, d.from);
      }
    }
    return this.queue.length === 0;
  }
}

/** A DatagramTransport on a LockstepNet. */
export class LockstepNode implements DatagramTransport {
  readonly reliable = false;
  readonly maxDatagramSize = 1152;
  private handler: DatagramHandler = () => undefined;

  constructor(
    private readonly net: LockstepNet,
    readonly self: Peer,
  ) {}

  send(peer: Peer, bytes: Uint8Array): Promise<void> {
    this.net.enqueue({ from: this.self, to: peer, bytes: Uint8Array.from(bytes) });
    return Promise.resolve();
  }

  onDatagram(handler: DatagramHandler): void {
    this.handler = handler;
  }

  /** Hands a datagram to the transport above. */
  deliver(bytes: Uint8Array, from: Peer): void {
    this.handler(bytes, from);
  }

  address(): { address: string; port: number; family: 'IPv4' | 'IPv6' } {
    return { address: this.self.address, port: this.self.port, family: this.self.family };
  }

  close(): Promise<void> {
    this.net.unbind(this);
    return Promise.resolve();
  }
}
