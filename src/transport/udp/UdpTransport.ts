// RFC 7252 sections 4.6 and 12.6 (CoAP over UDP): a DatagramTransport on node:dgram, IPv4 or
// IPv6. A dual-stack socket bound to '::' reports IPv4 peers in their plain form (::ffff:a.b.c.d
// becomes a.b.c.d) and maps them back when sending. Peer objects are cached per address|port
// (bounded, oldest dropped) so the receive path does not allocate one per datagram; the last
// peer seen is checked first, which spares a busy exchange with one peer even the cache key.
//
// Sending costs one syscall and nothing per datagram on top (issue 17: the server's CPU per
// operation): peers carry IP addresses, so the socket's lookup hands the address straight back
// (dgram's default, dns.lookup, defers every send by a tick), and no send callback is asked for
// (dgram would defer it by another tick and the promise would cost a third). What UDP can tell
// about a datagram the OS refused is nothing a retransmission does not cover (RFC 7252 4.2), so
// send() resolves once the socket has the datagram; only a peer that cannot be sent to rejects.
import dgram from 'node:dgram';
import { isIP } from 'node:net';
import {
  DATAGRAM_QUEUED,
  type DatagramHandler,
  type DatagramTransport,
  type ReceiveBufferStatus,
} from '../DatagramTransport.js';
import { makePeer, type Peer } from '../Peer.js';
import { OldestFirst } from '../OldestFirst.js';
import { checkedReceiveBufferBytes } from './receiveBufferBytes.js';

/** Where and how to bind. */
export interface UdpBindOptions {
  /** Local address; default '::' for udp6 (dual stack) and '0.0.0.0' for udp4. */
  readonly address?: string;
  /** Local port; 0 (default) picks an ephemeral one. */
  readonly port?: number;
  /** Socket type; default udp4 unless `address` contains ':' (or is absent: then udp6). */
  readonly type?: 'udp4' | 'udp6';
  /** Largest datagram payload advertised to CoAP (block-wise sizes by it); default 1152 (RFC 7252 4.6). Not enforced on send. */
  readonly maxDatagramSize?: number;
  /** Peers remembered for reuse; default 16 384. */
  readonly peerCacheSize?: number;
  /**
   * The kernel receive buffer to ask for (SO_RCVBUF), in bytes; default (or 0): the system's
   * (net.core.rmem_default). Linux caps the request at net.core.rmem_max without an error:
   * `receiveBuffer()` tells what was granted.
   */
  readonly receiveBufferBytes?: number;
  /**
   * The batched socket only (NativeUdpTransport; node:dgram ignores it): run its sendmmsg calls on
   * a thread of its own, off the event loop (native/udp.c). Default false; servers turn it on
   * (Lwm2mServerConfig.udpSendThread).
   */
  readonly sendThread?: boolean;
}

const MAPPED_PREFIX = '::ffff:';
const noop = (): void => undefined;

/** dgram's lookup for addresses that are already IPs (send() checks them): no DNS, no deferral. */
function ipLookup(
  address: string,
  _options: unknown,
  callback: (err: NodeJS.ErrnoException | null, address: string, family: number) => void,
): void {
  callback(null, address, address.includes(':') ? 6 : 4);
}

/** CoAP's plain UDP transport. */
export class UdpTransport implements DatagramTransport {
  readonly reliable = false;
  readonly maxDatagramSize: number;
  /** Send errors and socket errors seen (they never throw out of the socket). */
  errorCount = 0;
  private handler: DatagramHandler = noop;
  private readonly peers = new Map<string, Peer>();
  private readonly oldestPeer = new OldestFirst(this.peers);
  private readonly peerCacheSize: number;
  /** The most recent peerFor() result and the address it was asked for. */
  private lastPeer: Peer | undefined;
  private lastAddress = '';
  private closed = false;

  private constructor(
    private readonly socket: dgram.Socket,
    private readonly type: 'udp4' | 'udp6',
    options: UdpBindOptions,
  ) {
    this.maxDatagramSize = options.maxDatagramSize ?? 1152;
    this.peerCacheSize = options.peerCacheSize ?? 16_384;
    socket.on('message', (msg, rinfo) => {
      try {
        this.handler(msg, this.peerFor(rinfo.address, rinfo.port));
      } catch {
        this.errorCount++; // a throwing handler must not take the socket (or the process) down
      }
    });
    socket.on('error', () => void this.errorCount++);
  }

  /**
   * Binds a socket and resolves once it listens. Without address and type it tries dual-stack
   * '::' first and falls back to '0.0.0.0' on hosts without IPv6.
   */
  static async bind(options: UdpBindOptions = {}): Promise<UdpTransport> {
    checkedReceiveBufferBytes(options.receiveBufferBytes);
    if (options.address !== undefined || options.type !== undefined) return UdpTransport.bindOnce(options);
    try {
      return await UdpTransport.bindOnce({ ...options, type: 'udp6' });
    } catch {
      return UdpTransport.bindOnce({ ...options, type: 'udp4' });
    }
  }

  private static bindOnce(options: UdpBindOptions): Promise<UdpTransport> {
    const type =
      options.type ?? (options.address === undefined || options.address.includes(':') ? 'udp6' : 'udp4');
    const address = options.address ?? (type === 'udp6' ? '::' : '0.0.0.0');
    const socket = dgram.createSocket({ type, ipv6Only: false, lookup: ipLookup });
    return new Promise((resolve, reject) => {
      const onError = (e: Error): void => {
        socket.close();
        reject(e);
      };
      socket.once('error', onError);
      socket.bind(options.port ?? 0, address, () => {
        socket.off('error', onError);
        try {
          if (options.receiveBufferBytes) socket.setRecvBufferSize(options.receiveBufferBytes);
        } catch (e) {
          socket.close();
          reject(e);
          return;
        }
        resolve(new UdpTransport(socket, type, options));
      });
    });
  }

  receiveBuffer(): ReceiveBufferStatus {
    // node:dgram does not pass the kernel's drop count on
    return { bytes: this.closed ? 0 : this.socket.getRecvBufferSize(), drops: undefined };
  }

  /** The cached Peer for an address (IPv4-mapped IPv6 shown as IPv4) and port. */
  peerFor(address: string, port: number): Peer {
    const last = this.lastPeer;
    if (last !== undefined && last.port === port && this.lastAddress === address) return last;
    const peer = this.cachedPeer(address, port);
    this.lastPeer = peer;
    this.lastAddress = address;
    return peer;
  }

  private cachedPeer(address: string, port: number): Peer {
    const plain =
      address.startsWith(MAPPED_PREFIX) && address.includes('.')
        ? address.slice(MAPPED_PREFIX.length)
        : address;
    const key = plain + '|' + port;
    let peer = this.peers.get(key);
    if (peer === undefined) {
      if (this.peers.size >= this.peerCacheSize) this.oldestPeer.evict();
      peer = makePeer(plain, port);
      this.peers.set(key, peer);
    }
    return peer;
  }

  send(peer: Peer, bytes: Uint8Array): Promise<void> {
    if (this.closed) return Promise.reject(new Error('UDP transport closed'));
    const address =
      this.type === 'udp6' && peer.family === 'IPv4' ? MAPPED_PREFIX + peer.address : peer.address;
    try {
      if (isIP(address) === 0) throw new Error(`not an IP address: ${address}`);
      this.socket.send(bytes, peer.port, address);
      return DATAGRAM_QUEUED;
    } catch (e) {
      this.errorCount++;
      return Promise.reject(e as Error);
    }
  }

  onDatagram(handler: DatagramHandler): void {
    this.handler = handler;
  }

  address(): { address: string; port: number; family: 'IPv4' | 'IPv6' } {
    const a = this.socket.address();
    return { address: a.address, port: a.port, family: a.family === 'IPv6' ? 'IPv6' : 'IPv4' };
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    this.handler = noop;
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}
