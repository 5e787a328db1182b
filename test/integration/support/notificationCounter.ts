// A client-side transport that counts the CoAP notifications it sends (RFC 7641: a 2.05 response
// carrying an Observe option). With it, "no notification was sent" is checked where it is decided
// (the sender, after its promise callbacks have run), not by waiting a while for nothing to arrive.
import { Code } from '../../../src/coap/CoapMessage.js';
import { decodeMessage } from '../../../src/coap/messageCodec.js';
import { getObserve } from '../../../src/coap/options.js';
import type { DatagramHandler, DatagramTransport } from '../../../src/transport/DatagramTransport.js';
import type { Peer } from '../../../src/transport/Peer.js';
import { UdpTransport } from '../../../src/transport/udp/UdpTransport.js';

/** A DatagramTransport that forwards to `inner` and counts the notifications sent through it. */
export class NotificationCounter implements DatagramTransport {
  /** Notifications sent so far (the answer to the Observe request included). */
  sent = 0;

  constructor(private readonly inner: DatagramTransport) {}

  /** A counter over a UDP socket on 127.0.0.1, to pass as the client's `transport`. */
  static async bind(): Promise<NotificationCounter> {
    return new NotificationCounter(await UdpTransport.bind({ address: '127.0.0.1', port: 0 }));
  }

  get maxDatagramSize(): number {
    return this.inner.maxDatagramSize;
  }

  get reliable(): boolean {
    return this.inner.reliable;
  }

  send(peer: Peer, bytes: Uint8Array): Promise<void> {
    const msg = decodeMessage(bytes);
    if (msg.code === Code.CONTENT && getObserve(msg) !== undefined) this.sent++;
    return this.inner.send(peer, bytes);
  }

  onDatagram(handler: DatagramHandler): void {
    this.inner.onDatagram(handler);
  }

  address(): { address: string; port: number; family: 'IPv4' | 'IPv6' } {
    return this.inner.address();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
