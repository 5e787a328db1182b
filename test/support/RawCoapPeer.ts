// A raw UDP peer for CoAP tests at the byte level (STYLE.md 15): send hex, expect hex. In
// expectations '..' matches any byte (e.g. a message ID or token chosen by the other side).
import dgram from 'node:dgram';

/** One datagram received by a RawCoapPeer. */
export interface RawDatagram {
  readonly bytes: Uint8Array;
  readonly address: string;
  readonly port: number;
}

/** Hex (spaces allowed) to bytes. */
export function hex(s: string): Uint8Array {
  const clean = s.replace(/\s+/g, '');
  if (clean.length % 2 !== 0 || /[^0-9a-fA-F]/.test(clean)) throw new Error(`bad hex: ${s}`);
  return Uint8Array.from(Buffer.from(clean, 'hex'));
}

/** Bytes to lower-case hex without spaces. */
export const toHexString = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** Whether `bytes` match `pattern` (hex with '..' wildcards; spaces ignored; lengths must agree). */
export function matchesHex(bytes: Uint8Array, pattern: string): boolean {
  const p = pattern.replace(/\s+/g, '').toLowerCase();
  const h = toHexString(bytes);
  if (p.length !== h.length) return false;
  for (let i = 0; i < p.length; i += 2)
    if (p.slice(i, i + 2) !== '..' && p.slice(i, i + 2) !== h.slice(i, i + 2)) return false;
  return true;
}

/** A UDP socket that sends and receives raw CoAP bytes. */
export class RawCoapPeer {
  private readonly inbox: RawDatagram[] = [];
  private waiter: ((d: RawDatagram) => void) | undefined;
  private hung = false;

  private constructor(private readonly socket: dgram.Socket) {
    socket.on('message', (msg, rinfo) => {
      if (this.hung) return;
      const d = { bytes: Uint8Array.from(msg), address: rinfo.address, port: rinfo.port };
      const w = this.waiter;
      this.waiter = undefined;
      if (w) w(d);
      else this.inbox.push(d);
    });
  }

  /** Opens a socket on an ephemeral port of `address` (default 127.0.0.1). */
  static async open(address = '127.0.0.1'): Promise<RawCoapPeer> {
    const socket = dgram.createSocket(address.includes(':') ? 'udp6' : 'udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, address, () => resolve());
    });
    return new RawCoapPeer(socket);
  }

  /** Local address and port (where the system under test sends to reach this peer). */
  get address(): { address: string; port: number } {
    const a = this.socket.address();
    return { address: a.address, port: a.port };
  }

  /** Sends `data` (hex string or bytes) to `to`. */
  send(data: string | Uint8Array, to: { address: string; port: number }): Promise<void> {
    const bytes = typeof data === 'string' ? hex(data) : data;
    return new Promise((resolve, reject) =>
      this.socket.send(bytes, to.port, to.address, (e) => (e ? reject(e) : resolve())),
    );
  }

  /** The next datagram, or rejects after `timeoutMs` (real time: this is I/O, not protocol timing). */
  next(timeoutMs = 2_000): Promise<RawDatagram> {
    const queued = this.inbox.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        this.waiter = undefined;
        reject(new Error(`no datagram within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiter = (d) => {
        clearTimeout(t);
        resolve(d);
      };
    });
  }

  /** Waits for the next datagram and throws unless it matches `pattern` (hex, '..' wildcards). */
  async expect(pattern: string, timeoutMs = 2_000): Promise<RawDatagram> {
    const d = await this.next(timeoutMs);
    if (!matchesHex(d.bytes, pattern))
      throw new Error(`expected ${pattern.replace(/\s+/g, '')} but got ${toHexString(d.bytes)}`);
    return d;
  }

  /** Stops answering: every datagram from now on is dropped (a peer that vanished). */
  hang(): void {
    this.hung = true;
  }

  /** Datagrams received and not yet read. */
  get pending(): number {
    return this.inbox.length;
  }

  /** Closes the socket; a second call does nothing. */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.closing = new Promise((resolve) => this.socket.close(() => resolve()));
    return this.closing;
  }

  private closing: Promise<void> | undefined;
}
