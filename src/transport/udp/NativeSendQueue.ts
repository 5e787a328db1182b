// The datagrams waiting for one sendmmsg of the batched socket (native/udp.c send()): their bytes,
// copied one after another into one off-heap staging buffer, and per datagram NATIVE_SEND_META
// int32 words (port, family, address words, source address, then the offset and length of its
// bytes) that the caller fills after add(). A flush is scheduled as a microtask on the first add,
// so what one task queues (the answers to one receive batch, say) leaves together once that task's
// promise jobs have run; the owner may also send earlier.
//
// Why a copy: most datagrams a server sends (ACKs, requests, short responses) are Uint8Arrays of
// 64 bytes or less, which V8 keeps on its heap; the addon asking for their address makes V8 move
// each to a new off-heap allocation first, about 1.4 µs a datagram here (malloc, an ArrayBuffer
// object, the free at a later GC), against tens of nanoseconds for the copy (issue 17).
import { NATIVE_SEND_META, type NativeSocketHandle, type NativeUdp } from './nativeUdp.js';

/** Bytes of the staging buffer to start with (an ArrayBuffer this size is off-heap). */
const INITIAL_STAGING = 64 * 1024;
/** A staging buffer grown past this by a burst goes back to INITIAL_STAGING once sent. */
const KEEP_STAGING = 1024 * 1024;
/** Up to this length a byte loop copies faster than TypedArray.prototype.set. */
const LOOP_COPY = 32;

/** A queue of datagrams for one batched socket. */
export class NativeSendQueue {
  /** The meta words of the queued datagrams; replaced by a larger array when it fills. */
  words = new Int32Array(64 * NATIVE_SEND_META);
  private staging = new Uint8Array(new ArrayBuffer(INITIAL_STAGING));
  private used = 0;
  private count = 0;
  private scheduled = false;
  private readonly run = (): void => {
    this.scheduled = false;
    this.onFlush();
  };

  /** `onFlush` runs in the microtask scheduled by the first add() after a send. */
  constructor(private readonly onFlush: () => void) {}

  /** Datagrams queued. */
  get size(): number {
    return this.count;
  }

  /**
   * Queues a copy of `bytes` (the caller may reuse them at once); returns where its meta words
   * start in `words`: the caller fills the first seven (destination, source) before the send.
   */
  add(bytes: Uint8Array): number {
    const m = this.count * NATIVE_SEND_META;
    if (m + NATIVE_SEND_META > this.words.length) {
      const grown = new Int32Array(this.words.length * 2);
      grown.set(this.words);
      this.words = grown;
    }
    const n = bytes.length;
    if (this.used + n > this.staging.length) this.growStaging(this.used + n);
    const at = this.used;
    const staging = this.staging;
    if (n <= LOOP_COPY) for (let i = 0; i < n; i++) staging[at + i] = bytes[i]!;
    else staging.set(bytes, at);
    this.used = at + n;
    const words = this.words;
    words[m + 6] = 0; // no source address unless the caller sets one
    words[m + 7] = at;
    words[m + 8] = n;
    this.count++;
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(this.run);
    }
    return m;
  }

  /**
   * Sends everything queued with one call into the addon and empties the queue; returns how many
   * were queued and how many the kernel took. Throws what the addon throws (the queue is empty then too).
   */
  send(addon: NativeUdp, handle: NativeSocketHandle): { readonly queued: number; readonly sent: number } {
    const queued = this.count;
    if (queued === 0) return { queued: 0, sent: 0 };
    this.count = 0;
    this.used = 0;
    try {
      return { queued, sent: addon.send(handle, this.staging, this.words, queued) };
    } finally {
      if (this.staging.length > KEEP_STAGING) this.staging = new Uint8Array(new ArrayBuffer(INITIAL_STAGING));
    }
  }

  /** A staging buffer of at least `size` bytes (doubling), holding what is queued. */
  private growStaging(size: number): void {
    let length = this.staging.length * 2;
    while (length < size) length *= 2;
    const grown = new Uint8Array(new ArrayBuffer(length));
    grown.set(this.staging.subarray(0, this.used));
    this.staging = grown;
  }
}
