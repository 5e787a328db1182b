// RFC 7252 sections 4.6 and 12.6 (CoAP over UDP) on the batched socket of native/udp.c (issue 17):
// the same DatagramTransport as UdpTransport, with fewer system calls and JavaScript calls per
// datagram. Received datagrams come in batches (one recvmmsg, one call into JavaScript); each is
// handed on with its Peer, cached per (address, port) by number, so a datagram builds no address
// string. Datagrams sent while a batch is handled (the responses and ACKs to it) or within one
// task are queued (their bytes copied into one off-heap buffer, NativeSendQueue.ts) and leave
// together with one sendmmsg once that task's promise jobs have run; with `sendThread` (servers
// turn it on) that sendmmsg runs on a thread of the socket's own, off the event loop.
//
// Same behaviour as UdpTransport otherwise: IPv4 peers of a dual-stack socket in their plain
// form, send() resolved once the datagram is queued (a datagram the kernel then refuses is lost
// as on a network, counted in `errorCount`; RFC 7252 4.2 retransmission covers it), a peer with
// no IP address rejected. Zone ids (fe80::1%eth0) are not carried: such peers are refused.
import {
  DATAGRAM_QUEUED,
  type DatagramHandler,
  type DatagramTransport,
  type ReceiveBufferStatus,
} from '../DatagramTransport.js';
import { makePeer, notePeer, type Peer } from '../Peer.js';
import { NumberFifo } from '../NumberFifo.js';
import { OldestFirst } from '../OldestFirst.js';
import { formatIpv4, formatIpv6, parseIpv4, parseIpv6 } from './ipAddress.js';
import { NativeSendQueue } from './NativeSendQueue.js';
import {
  NATIVE_RECV_META,
  nativeUdp,
  nativeUdpUnavailable,
  type NativeSocketHandle,
  type NativeUdp,
} from './nativeUdp.js';
import type { UdpBindOptions } from './UdpTransport.js';
import { checkedReceiveBufferBytes } from './receiveBufferBytes.js';

const noop = (): void => undefined;
const RECV_META = NATIVE_RECV_META;
/** Destinations remembered as numbers (the text of a peer's address parsed once). */
const DESTINATION_CACHE = 16_384;
/**
 * An IPv4 peer's address as a number, noted on the Peer object itself (an address never changes):
 * a request to a registered client is sent without hashing its address text, which at 10k+
 * peers costs a few cache misses (issue 17). Peers this transport made carry it from the start.
 */
const IPV4 = Symbol('NativeUdpTransport.ipv4');
type NotedPeer = Peer & { [IPV4]?: number };

/** CoAP's plain UDP transport on recvmmsg/sendmmsg. */
export class NativeUdpTransport implements DatagramTransport {
  readonly reliable = false;
  readonly maxDatagramSize: number;
  /** Errors counted on the event loop (see errorCount). */
  private errors = 0;
  /** Whether its sendmmsg calls run on a thread of their own (UdpBindOptions.sendThread, if the system started one). */
  readonly sendThread: boolean;
  /** Receive batches handed to JavaScript, and the datagrams in them (their ratio: the batching). */
  batches = 0;
  datagrams = 0;
  /** Sends into the addon, and the datagrams the kernel took (with a send thread: handed to the thread). */
  sendBatches = 0;
  sentDatagrams = 0;
  /** What the send thread could not send, as last read (kept once the socket is closed). */
  private threadDrops = 0;
  /** Datagrams the kernel dropped for a full receive buffer (SO_RXQ_OVFL), as of the last batch. */
  private drops = 0;
  /** The kernel's count as last seen: an unsigned 32-bit number that wraps. */
  private kernelDrops = 0;
  private dropListener: (dropped: number) => void = noop;
  private handler: DatagramHandler = noop;
  /**
   * IPv4 peers by address * 65536 + port (a NumberFifo: in a Map, hashing that heap number per
   * datagram was 4.5% of the server's CPU); IPv6 ones by their words and port as text.
   */
  private readonly peers4: NumberFifo<Peer>;
  private readonly peers6 = new Map<string, Peer>();
  private readonly oldest6 = new OldestFirst(this.peers6);
  private readonly peerCacheSize: number;
  /** Parsed destinations by address text: an IPv4 number, or IPv6 words. */
  private readonly destinations = new Map<string, number | readonly number[]>();
  /** What was sent during the current task: it leaves in one sendmmsg once the task's jobs have run. */
  private readonly out = new NativeSendQueue(() => this.flushNow());
  private closed = false;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly addon: NativeUdp,
    private handle: NativeSocketHandle | undefined,
    private readonly bound: { address: string; port: number; family: 'IPv4' | 'IPv6' },
    options: UdpBindOptions,
    threaded: boolean,
  ) {
    this.sendThread = threaded;
    this.maxDatagramSize = options.maxDatagramSize ?? 1152;
    this.peerCacheSize = options.peerCacheSize ?? 16_384;
    this.peers4 = new NumberFifo<Peer>(Math.max(1, Math.floor(this.peerCacheSize) || 1));
  }

  /** Why NativeUdpTransport cannot be used here (undefined when it can). */
  static unavailable(): string | undefined {
    return nativeUdp ? undefined : nativeUdpUnavailable;
  }

  /**
   * Binds like UdpTransport.bind: without address and type, dual-stack '::' first, then
   * '0.0.0.0' on hosts without IPv6. Rejects when the addon is unavailable (see unavailable()).
   */
  static async bind(options: UdpBindOptions = {}): Promise<NativeUdpTransport> {
    checkedReceiveBufferBytes(options.receiveBufferBytes);
    const addon = nativeUdp;
    if (!addon) throw new Error(`batched UDP unavailable: ${nativeUdpUnavailable}`);
    if (options.address !== undefined || options.type !== undefined)
      return NativeUdpTransport.bindOnce(addon, options);
    try {
      return NativeUdpTransport.bindOnce(addon, { ...options, type: 'udp6' });
    } catch {
      return NativeUdpTransport.bindOnce(addon, { ...options, type: 'udp4' });
    }
  }

  private static bindOnce(addon: NativeUdp, options: UdpBindOptions): NativeUdpTransport {
    const type =
      options.type ?? (options.address === undefined || options.address.includes(':') ? 'udp6' : 'udp4');
    const address = options.address ?? (type === 'udp6' ? '::' : '0.0.0.0');
    // the socket may call back only once the transport exists (a batch waits for the next poll)
    const ref: { transport?: NativeUdpTransport } = {};
    const [handle, port, threaded] = addon.open(
      type === 'udp6',
      address,
      options.port ?? 0,
      false,
      (data, meta, count) => ref.transport?.receive(data, meta, count),
      undefined,
      options.sendThread ?? false,
    );
    if (options.receiveBufferBytes) {
      try {
        addon.receiveBuffer(handle, options.receiveBufferBytes);
      } catch (e) {
        addon.close(handle);
        throw e;
      }
    }
    const transport = new NativeUdpTransport(
      addon,
      handle,
      { address, port, family: type === 'udp6' ? 'IPv6' : 'IPv4' },
      options,
      threaded,
    );
    ref.transport = transport;
    return transport;
  }

  receiveBuffer(): ReceiveBufferStatus {
    const handle = this.closed ? undefined : this.handle;
    return { bytes: handle ? this.addon.receiveBuffer(handle, 0) : 0, drops: this.drops };
  }

  /**
   * Datagrams the kernel refused or that had no usable destination (with a send thread: counted
   * once the thread has tried them), and handler errors.
   */
  get errorCount(): number {
    const handle = this.sendThread && !this.closed ? this.handle : undefined;
    if (handle) this.threadDrops = this.addon.sendDrops(handle);
    return this.errors + this.threadDrops;
  }

  onReceiveDrops(listener: (dropped: number) => void): void {
    this.dropListener = listener;
  }

  private receive(data: Buffer, meta: Int32Array, count: number): void {
    this.batches++;
    this.datagrams += count;
    // the kernel's drop count (native/udp.c: meta's last word, unsigned, wrapping)
    const kernelDrops = meta[meta.length - 1]! >>> 0;
    if (kernelDrops !== this.kernelDrops) this.noteDrops(kernelDrops);
    let at = 0;
    for (let i = 0; i < count && !this.closed; i++) {
      const m = i * RECV_META;
      const length = meta[m]!;
      const bytes = data.subarray(at, at + length);
      at += length;
      try {
        this.handler(bytes, this.peerOf(meta, m));
      } catch {
        this.errors++; // a throwing handler must not take the socket (or the process) down
      }
    }
  }

  private noteDrops(kernelDrops: number): void {
    const dropped = (kernelDrops - this.kernelDrops) >>> 0;
    this.kernelDrops = kernelDrops;
    this.drops += dropped;
    try {
      this.dropListener(dropped);
    } catch {
      this.errors++;
    }
  }

  /** The cached Peer of datagram meta[m..m + 8). */
  private peerOf(meta: Int32Array, m: number): Peer {
    const port = meta[m + 1]!;
    if (meta[m + 2] === 4) {
      const address = meta[m + 3]! >>> 0;
      const key = address * 65536 + port;
      let peer = this.peers4.get(key);
      if (peer === undefined) {
        peer = makePeer(formatIpv4(address), port);
        notePeer(peer, IPV4, address);
        this.makeRoom();
        this.peers4.add(key, peer);
      }
      return peer;
    }
    const key = `${meta[m + 3]},${meta[m + 4]},${meta[m + 5]},${meta[m + 6]},${port}`;
    let peer = this.peers6.get(key);
    if (peer === undefined) {
      peer = makePeer(formatIpv6(meta[m + 3]!, meta[m + 4]!, meta[m + 5]!, meta[m + 6]!), port);
      this.makeRoom();
      this.peers6.set(key, peer);
    }
    return peer;
  }

  /** Before a new peer is cached: the oldest IPv4 peer goes when the cache is full (else the oldest IPv6 one). */
  private makeRoom(): void {
    if (this.peers4.size + this.peers6.size >= this.peerCacheSize) {
      if (this.peers4.evict() === undefined) this.oldest6.evict();
    }
  }

  /** The address of `peer` as a number (IPv4) or words (IPv6); undefined when it is no IP address. */
  private destinationOf(peer: Peer): number | readonly number[] | undefined {
    let d = this.destinations.get(peer.address);
    if (d === undefined) {
      d = peer.address.includes(':') ? parseIpv6(peer.address) : parseIpv4(peer.address);
      if (d === undefined) return undefined;
      if (this.destinations.size >= DESTINATION_CACHE) this.destinations.clear();
      this.destinations.set(peer.address, d);
    }
    if (typeof d === 'number') notePeer(peer, IPV4, d);
    return d;
  }

  send(peer: Peer, bytes: Uint8Array): Promise<void> {
    if (this.closed) return Promise.reject(new Error('UDP transport closed'));
    if (!(bytes instanceof Uint8Array)) {
      this.errors++;
      return Promise.reject(new TypeError('a datagram must be a Uint8Array'));
    }
    if (!(peer.port > 0 && peer.port < 65536) || !Number.isInteger(peer.port)) {
      this.errors++;
      return Promise.reject(new RangeError(`not a UDP port: ${peer.port}`));
    }
    const d = (peer as NotedPeer)[IPV4] ?? this.destinationOf(peer);
    if (d === undefined) {
      this.errors++;
      return Promise.reject(new Error(`not an IP address: ${peer.address}`));
    }
    if (typeof d !== 'number' && this.bound.family === 'IPv4') {
      this.errors++; // as an IPv4 dgram socket would, asynchronously: the datagram is lost
      return DATAGRAM_QUEUED;
    }
    const m = this.out.add(bytes);
    const meta = this.out.words;
    meta[m] = peer.port; // the source address (word 6) stays 0: the kernel picks it
    if (typeof d === 'number') {
      meta[m + 1] = 4;
      meta[m + 2] = d | 0;
    } else {
      meta[m + 1] = 6;
      meta[m + 2] = d[0]! | 0;
      meta[m + 3] = d[1]! | 0;
      meta[m + 4] = d[2]! | 0;
      meta[m + 5] = d[3]! | 0;
    }
    return DATAGRAM_QUEUED;
  }

  private flushNow(): void {
    const count = this.out.size;
    if (count === 0 || !this.handle) return;
    let sent = 0;
    try {
      sent = this.out.send(this.addon, this.handle).sent;
    } catch {
      // a microtask must not throw (it would take the process down): the batch counts as lost
    }
    this.sendBatches++;
    this.sentDatagrams += sent;
    if (sent < count) this.errors += count - sent;
  }

  onDatagram(handler: DatagramHandler): void {
    this.handler = handler;
  }

  address(): { address: string; port: number; family: 'IPv4' | 'IPv6' } {
    return { ...this.bound };
  }

  /** Resolves once the port is free again (as dgram's close callback). */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.flushNow(); // what was queued before close() still leaves
    this.closed = true;
    this.handler = noop;
    const handle = this.handle!;
    this.handle = undefined;
    this.closing = new Promise((resolve) => {
      const dropped = this.addon.close(handle, resolve);
      if (this.sendThread) this.threadDrops = dropped;
    });
    return this.closing;
  }
}
