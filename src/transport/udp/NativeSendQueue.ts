// The datagrams waiting for one sendmmsg of the batched socket (native/udp.c send()): their bytes
// and, per datagram, NATIVE_SEND_META int32 words (port, family, address words, source address)
// that the caller fills after add(). A flush is scheduled as a microtask on the first add, so what
// one task queues (the answers to one receive batch, say) leaves together once that task's promise
// jobs have run; the owner may also send earlier. Bytes handed to add() must not change until sent.
import { NATIVE_SEND_META, type NativeSocketHandle, type NativeUdp } from './nativeUdp.js';

/** A queue of datagrams for one batched socket. */
export class NativeSendQueue {
  /** The meta words of the queued datagrams; replaced by a larger array when it fills. */
  words = new Int32Array(64 * NATIVE_SEND_META);
  private datagrams: Uint8Array[] = [];
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

  /** Queues `bytes`; returns where its meta words start in `words` (fill them before the send). */
  add(bytes: Uint8Array): number {
    const m = this.count * NATIVE_SEND_META;
    if (m + NATIVE_SEND_META > this.words.length) {
      const grown = new Int32Array(this.words.length * 2);
      grown.set(this.words);
      this.words = grown;
    }
    this.words[m + 6] = 0; // no source address unless the caller sets one
    this.datagrams.push(bytes);
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
    const datagrams = this.datagrams;
    this.datagrams = [];
    this.count = 0;
    return { queued, sent: addon.send(handle, datagrams, this.words, queued) };
  }
}
