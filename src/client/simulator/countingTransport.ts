// LwM2M Core TS 1.1.1 Appendix E.8 (Connectivity Statistics, object 7): the simulated device's
// counters come from its real traffic. A DatagramTransport decorator that reports the size of
// every datagram sent and received to a counter (e.g. ConnectivityStatistics.count).
import type { DatagramHandler, DatagramTransport } from '../../transport/DatagramTransport.js';
import type { Peer } from '../../transport/Peer.js';

/** Receives the size of each datagram sent ('tx') or received ('rx'). */
export type DatagramCounter = (direction: 'tx' | 'rx', bytes: number) => void;

/** A DatagramTransport that counts what passes through `inner`. */
export class CountingTransport implements DatagramTransport {
  constructor(
    private readonly inner: DatagramTransport,
    private readonly count: DatagramCounter,
  ) {}

  get maxDatagramSize(): number {
    return this.inner.maxDatagramSize;
  }

  get reliable(): boolean {
    return this.inner.reliable;
  }

  send(peer: Peer, bytes: Uint8Array): Promise<void> {
    this.count('tx', bytes.length);
    return this.inner.send(peer, bytes);
  }

  onDatagram(handler: DatagramHandler): void {
    this.inner.onDatagram((bytes, peer) => {
      this.count('rx', bytes.length);
      handler(bytes, peer);
    });
  }

  address(): { address: string; port: number; family: 'IPv4' | 'IPv6' } {
    return this.inner.address();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
