// A lean inner transport for flood and leak tests: `deliver` hands a datagram to the DtlsTransport
// synchronously (no microtask per datagram, so a million of them take seconds), and every byte in
// and out is counted, per direction, for the anti-amplification checks (RFC 6347 4.2.1).
import type { DatagramHandler, DatagramTransport } from '../../../src/transport/DatagramTransport.js';
import type { Peer } from '../../../src/transport/Peer.js';

/** A DatagramTransport fed by the test; what the DTLS layer sends is counted (and optionally kept). */
export class FloodInner implements DatagramTransport {
  readonly reliable = false;
  readonly maxDatagramSize = 1152;
  bytesIn = 0;
  bytesOut = 0;
  datagramsIn = 0;
  datagramsOut = 0;
  /** Called for each datagram the DTLS layer sends (default: nothing kept). */
  onSend: (peer: Peer, bytes: Uint8Array) => void = () => undefined;
  private handler: DatagramHandler = () => undefined;

  send(peer: Peer, bytes: Uint8Array): Promise<void> {
    this.bytesOut += bytes.length;
    this.datagramsOut++;
    this.onSend(peer, bytes);
    return Promise.resolve();
  }

  onDatagram(handler: DatagramHandler): void {
    this.handler = handler;
  }

  /** A datagram from `from`, handled before this returns. */
  deliver(bytes: Uint8Array, from: Peer): void {
    this.bytesIn += bytes.length;
    this.datagramsIn++;
    this.handler(bytes, from);
  }

  address(): { address: string; port: number; family: 'IPv4' | 'IPv6' } {
    return { address: '10.0.0.1', port: 5684, family: 'IPv4' };
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
