// A loopback UDP relay standing in for a NAT in Connection ID tests: the client sends to the
// relay's front port, the relay forwards from its own upstream socket to the server and relays
// the server's answers back to the client. `rebind()` swaps the upstream socket for a new one,
// so the server sees the client's datagrams come from a new source port (NAT rebinding).
import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';

/** A one-client UDP relay towards `serverPort` on 127.0.0.1. */
export class UdpRelay {
  private client: AddressInfo | undefined;
  private upstream: dgram.Socket;

  private constructor(
    private readonly front: dgram.Socket,
    private readonly serverPort: number,
  ) {
    this.upstream = this.openUpstream();
    front.on('message', (msg, rinfo) => {
      this.client = rinfo;
      this.upstream.send(msg, this.serverPort, '127.0.0.1');
    });
  }

  /** A relay listening on an ephemeral 127.0.0.1 port. */
  static async start(serverPort: number): Promise<UdpRelay> {
    const front = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => front.bind(0, '127.0.0.1', resolve));
    const relay = new UdpRelay(front, serverPort);
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
      if (this.client) this.front.send(msg, this.client.port, this.client.address);
    });
    s.bind(0, '127.0.0.1');
    return s;
  }

  private ready(): Promise<void> {
    const s = this.upstream;
    return new Promise((resolve) => s.once('listening', () => resolve()));
  }
}
