// Many simulated clients behind one batched socket (native/udp.c with IP_PKTINFO): the socket is
// bound to 0.0.0.0:port, and each client is one loopback address on it, (127.1.x.y, port). The
// server still sees every client as its own (address, port) peer; the simulator no longer pays
// for ten thousand sockets. Measured here (node:dgram, the same lean echo loop, 64 in flight): 4
// sockets cost the client 11 µs of CPU per round trip and ran 61-74k/s, 10 000 sockets 16.5-17 µs
// and 45-49k/s. The ceiling's generator uses a handful of sockets, so a simulator with one socket
// per client made every ratio pay for the harness. Datagrams the clients send within one task
// leave together in one sendmmsg; those received come in batches (one recvmmsg, one call).
import { NativeSendQueue } from '../../src/transport/udp/NativeSendQueue.js';
import {
  NATIVE_RECV_META,
  nativeUdp,
  type NativeSocketHandle,
  type NativeUdp,
} from '../../src/transport/udp/nativeUdp.js';

/** Where a hub delivers what arrives for one of its addresses. */
export type HubReceiver = (datagram: Buffer) => void;

const RECV_META = NATIVE_RECV_META;
const LOOPBACK = 0x7f000001;
/** Datagrams queued before they leave without waiting for the end of the task. */
const FLUSH_AT = Number(process.env.BENCH_SIM_FLUSH_AT ?? 16);

/** A batched socket on 0.0.0.0:port standing for every (address, port) of its clients. */
export class SimHub {
  private readonly receivers = new Map<number, HubReceiver>();
  /** Datagrams sent in the current task, leaving together (or FLUSH_AT at a time). */
  private readonly out = new NativeSendQueue(() => this.flushNow());
  private handle: NativeSocketHandle | undefined;
  /** Datagrams the kernel did not take (a full send buffer): the operation times out, as on a network. */
  dropped = 0;

  private constructor(
    private readonly addon: NativeUdp,
    /** The bound port. */
    readonly port: number,
  ) {}

  /** Why hubs cannot be used here (undefined when they can). */
  static unavailable(): string | undefined {
    if (process.env.BENCH_SIM_SOCKETS === 'dgram') return 'BENCH_SIM_SOCKETS=dgram';
    return nativeUdp ? undefined : 'the batched UDP addon is not available';
  }

  /** Binds 0.0.0.0:`port` (0: any); throws (EADDRINUSE...) when it cannot. */
  static open(port: number): SimHub {
    const addon = nativeUdp;
    if (!addon) throw new Error('the batched UDP addon is not available');
    const ref: { hub?: SimHub } = {};
    const [handle, bound] = addon.open(
      false,
      '0.0.0.0',
      port,
      false,
      (data, meta, count) => ref.hub?.receive(data, meta, count),
      true,
    );
    const hub = new SimHub(addon, bound);
    hub.handle = handle;
    ref.hub = hub;
    return hub;
  }

  /** Delivers datagrams sent to `address` (host order) to `receiver`; throws if the address is taken. */
  attach(address: number, receiver: HubReceiver): void {
    if (this.receivers.has(address)) throw new Error(`address ${address >>> 0} taken on port ${this.port}`);
    this.receivers.set(address, receiver);
  }

  detach(address: number): void {
    this.receivers.delete(address);
  }

  /** Queues `bytes` from (`from`, this port) to 127.0.0.1:`port`; sent once the current task's jobs have run. */
  send(bytes: Uint8Array, from: number, port: number): void {
    if (!this.handle) return;
    const m = this.out.add(bytes);
    const meta = this.out.words;
    meta[m] = port;
    meta[m + 1] = 4;
    meta[m + 2] = LOOPBACK;
    meta[m + 6] = from | 0;
    // A few at a time, not a whole batch's worth: the server starts on the first ones while the
    // rest are being made (the two processes overlap, as with the ceiling's one-send-per-echo).
    if (this.out.size >= FLUSH_AT) this.flushNow();
  }

  close(): void {
    this.flushNow();
    const handle = this.handle;
    this.handle = undefined;
    this.receivers.clear();
    if (handle) this.addon.close(handle);
  }

  private flushNow(): void {
    if (!this.handle) return;
    const { queued, sent } = this.out.send(this.addon, this.handle);
    this.dropped += queued - sent;
  }

  private receive(data: Buffer, meta: Int32Array, count: number): void {
    let at = 0;
    for (let i = 0; i < count; i++) {
      const m = i * RECV_META;
      const length = meta[m]!;
      const receiver = this.receivers.get(meta[m + 7]!);
      if (receiver) receiver(data.subarray(at, at + length));
      at += length;
    }
  }
}
