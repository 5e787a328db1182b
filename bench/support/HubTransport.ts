// One simulated client's DatagramTransport on a shared batched socket (SimHub.ts): its own
// loopback address on the hub's port, talking to one server port on 127.0.0.1. The secured phase
// of the server benchmark layers our DtlsTransport (client role) on it, so secured clients share
// sockets as the plain ones do: with a node:dgram socket per secured client, every datagram the
// server sent them woke a socket of its own, kernel work (on loopback, in the sender's system
// call) that the plain reads they are compared with did not pay.
import type { DatagramHandler, DatagramTransport } from '../../src/transport/DatagramTransport.js';
import { makePeer, type Peer } from '../../src/transport/Peer.js';
import { formatIpv4 } from '../../src/transport/udp/ipAddress.js';
import type { SimHub } from './SimHub.js';

/** A client at (`address`, hub port) whose only peer is 127.0.0.1:`serverPort`. */
export class HubTransport implements DatagramTransport {
  readonly reliable = false;
  readonly maxDatagramSize = 1152;
  private readonly server: Peer;
  private handler: DatagramHandler = () => undefined;
  private closed = false;

  constructor(
    private readonly hub: SimHub,
    /** IPv4 address in host order (127.x.y.z). */
    private readonly local: number,
    serverPort: number,
  ) {
    this.server = makePeer('127.0.0.1', serverPort);
    hub.attach(local, (datagram) => this.handler(datagram, this.server));
  }

  send(peer: Peer, bytes: Uint8Array): Promise<void> {
    if (this.closed) return Promise.reject(new Error('hub transport closed'));
    if (peer.key !== this.server.key)
      return Promise.reject(new Error(`only ${this.server.key} is reachable`));
    this.hub.send(bytes, this.local, this.server.port);
    return Promise.resolve();
  }

  onDatagram(handler: DatagramHandler): void {
    this.handler = handler;
  }

  address(): { address: string; port: number; family: 'IPv4' } {
    return { address: formatIpv4(this.local), port: this.hub.port, family: 'IPv4' };
  }

  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.hub.detach(this.local);
    }
    return Promise.resolve();
  }
}
