// The raw-UDP side of the ceiling: each operation sends a 16-byte datagram carrying an id and
// resolves when the echo with that id comes back (lost datagrams time out and count as errors).
import { createSocket, type Socket } from 'node:dgram';

/** A raw UDP client whose `roundTrip()` is one request/response through the echo server. */
export class UdpEchoClient {
  private readonly socket: Socket = createSocket('udp4');
  private readonly waiting = new Map<number, () => void>();
  private nextId = 0;

  constructor(
    private readonly port: number,
    private readonly timeoutMs = 2_000,
  ) {
    this.socket.on('message', (msg) => {
      const done = this.waiting.get(msg.readUInt32BE(0));
      if (done) done();
    });
  }

  /** Binds the client socket. */
  async open(): Promise<void> {
    await new Promise<void>((r) => this.socket.bind(0, '127.0.0.1', r));
  }

  /** One echo round trip. */
  roundTrip(): Promise<void> {
    const id = this.nextId++ >>> 0;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error('echo timeout'));
      }, this.timeoutMs);
      this.waiting.set(id, () => {
        clearTimeout(timer);
        this.waiting.delete(id);
        resolve();
      });
      // A fresh buffer per datagram: dgram may read it after send() returns.
      const datagram = Buffer.alloc(16);
      datagram.writeUInt32BE(id, 0);
      this.socket.send(datagram, this.port, '127.0.0.1');
    });
  }

  close(): void {
    this.socket.close();
  }
}
