// The optional batched UDP socket (native/udp.c, built on install by scripts/build-native.mjs
// into build/native/udp.node): recvmmsg/sendmmsg on the Node event loop, several datagrams per
// system call and per JavaScript call (issue 17). Linux only; used only when it loads and passes
// an echo check at first use; otherwise, or with LWM2M_NATIVE_UDP=0, servers keep node:dgram.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * A batch of received datagrams: datagram i is `data[off, off + meta[8i])` with offsets running
 * on from 0; meta[8i + 1] is its source port, meta[8i + 2] the family (4 or 6), meta[8i + 3..8i + 6]
 * the address (IPv4: the address in host order as an int32 in the first word), meta[8i + 7] the
 * local IPv4 address it was sent to (host order; 0 unless the socket reports local addresses).
 * The last word of meta (meta[meta.length - 1]) is the kernel's count of datagrams this socket
 * dropped for a full receive buffer since it opened (SO_RXQ_OVFL; unsigned, read it with `>>> 0`;
 * it wraps at 2^32). `data` is new for each batch; `meta` is one array reused by every batch:
 * read it during the call only.
 */
export type NativeBatchHandler = (data: Buffer, meta: Int32Array, count: number) => void;

/** Int32 words per received datagram in a batch's meta (see NativeBatchHandler). */
export const NATIVE_RECV_META = 8;
/** Int32 words per datagram in send()'s meta (see NativeUdp.send). */
export const NATIVE_SEND_META = 9;
/** The calling convention of native/udp.c this module speaks (its `abi` export); another build is not used. */
export const NATIVE_UDP_ABI = 4;

/** An open socket, as the addon hands it out. */
export type NativeSocketHandle = object & { readonly __nativeUdp: unique symbol };

/** The addon's calls (see native/udp.c). */
export interface NativeUdp {
  /** Binds; returns the handle and the bound port. Throws an Error whose code is the errno name. */
  open(
    ipv6: boolean,
    address: string,
    port: number,
    v6only: boolean,
    onBatch: NativeBatchHandler,
    /** IPv4 only: report each datagram's local address, and let send() pick source addresses (IP_PKTINFO). */
    localAddresses?: boolean,
    /**
     * Send on a thread of the socket's own: send() copies each batch for it and returns at once
     * (native/udp.c). The third element says whether the thread runs (the system may refuse it).
     */
    sendThread?: boolean,
  ): [NativeSocketHandle, number, boolean];
  /**
   * Sends `count` datagrams, datagram i being data[offset, offset + length); meta[9i..9i + 9) =
   * port, family, address words, IPv4 source address (host order, 0: the kernel's choice; used
   * only with localAddresses), offset, length. One buffer for all: the address of a small
   * Uint8Array's bytes costs V8 an off-heap copy (native/udp.c). Returns how many went (with a
   * sender thread: how many it took; see sendDrops).
   */
  send(handle: NativeSocketHandle, data: Uint8Array, meta: Int32Array, count: number): number;
  /** Datagrams the sender thread could not send or dropped for a full queue (0 without one, or once closed). */
  sendDrops(handle: NativeSocketHandle): number;
  /**
   * The socket's receive buffer as the kernel reports it (SO_RCVBUF); `bytes` > 0 asks for that
   * size first (Linux caps the request at net.core.rmem_max, then doubles it). Throws an Error
   * whose code is the errno name when refused.
   */
  receiveBuffer(handle: NativeSocketHandle, bytes: number): number;
  /**
   * Stops receiving (a sender thread sends what was queued, then ends); `onClosed` runs once the
   * descriptor is closed. Returns the sender thread's final sendDrops (0 without one). A second
   * call does nothing and returns 0.
   */
  close(handle: NativeSocketHandle, onClosed?: () => void): number;
  /** The calling convention this build speaks (NATIVE_UDP_ABI; absent in builds before it had one). */
  readonly abi?: number;
}

/** Where the build puts the addon: build/native/udp.node at the package root (src/ and dist/ are 3 levels deep). */
export const NATIVE_UDP_PATH = fileURLToPath(new URL('../../../build/native/udp.node', import.meta.url));

/** Why the batched socket is not in use (undefined when it is). */
export let nativeUdpUnavailable: string | undefined;

function load(): NativeUdp | undefined {
  if (process.env.LWM2M_NATIVE_UDP === '0') {
    nativeUdpUnavailable = 'disabled by LWM2M_NATIVE_UDP=0';
    return undefined;
  }
  if (process.platform !== 'linux') {
    nativeUdpUnavailable = 'recvmmsg/sendmmsg are Linux calls';
    return undefined;
  }
  if (!existsSync(NATIVE_UDP_PATH)) {
    nativeUdpUnavailable = `${NATIVE_UDP_PATH} not built (npm install runs scripts/build-native.mjs)`;
    return undefined;
  }
  try {
    const addon = createRequire(import.meta.url)(NATIVE_UDP_PATH) as NativeUdp;
    if (addon.abi === NATIVE_UDP_ABI) return addon;
    nativeUdpUnavailable = `${NATIVE_UDP_PATH} is a stale build (calling convention ${addon.abi ?? 1}, not ${NATIVE_UDP_ABI}): run node scripts/build-native.mjs`;
    return undefined;
  } catch (e) {
    nativeUdpUnavailable = `${NATIVE_UDP_PATH} does not load: ${e instanceof Error ? e.message : String(e)}`;
    return undefined;
  }
}

/** The batched socket addon, or undefined (then `nativeUdpUnavailable` says why). */
export const nativeUdp: NativeUdp | undefined = load();
