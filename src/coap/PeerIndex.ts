// RFC 7252 section 4.5: a message ID is meaningful only per peer ("source endpoint"), so the
// message layer keys its per-message state (duplicate detection, outstanding CONs, delayed ACKs)
// by (peer, MID). This gives each peer a small integer so that key is one number,
// `index * 65536 + mid`: no string is built per message and the maps hold no per-entry objects
// (with string keys, ~200k live dedup keys kept the garbage collector busy).
//
// An index is recycled only after its peer has been idle for `idleMs`, which callers set above
// the longest time any keyed state can live (EXCHANGE_LIFETIME for dedup entries, plus
// MAX_TRANSMIT_WAIT for outstanding CONs): by then every entry made with the old index has expired.
import type { Peer } from '../transport/Peer.js';
import type { Clock } from './Clock.js';

const MIN_SWEEP_SIZE = 1024;

/** Small integer per peer key, for numeric (peer, message ID) keys. */
export class PeerIndex {
  private readonly indexOf = new Map<string, number>();
  /** Last use of each index (clock time), indexed by peer index. */
  private lastUsed: number[] = [];
  private readonly free: number[] = [];
  private sweepAt = MIN_SWEEP_SIZE;

  constructor(
    private readonly clock: Clock,
    private readonly idleMs: number,
  ) {}

  /** Number of peers holding an index. */
  get size(): number {
    return this.indexOf.size;
  }

  /** The numeric key of message ID `mid` (0..65535) with `peer`; marks the peer as in use now. */
  midKey(peer: Peer, mid: number): number {
    return this.indexFor(peer) * 0x10000 + mid;
  }

  /** The index of `peer`, assigning one (and recycling long-idle ones) when it has none. */
  indexFor(peer: Peer): number {
    const now = this.clock.now();
    let index = this.indexOf.get(peer.key);
    if (index === undefined) {
      if (this.indexOf.size >= this.sweepAt) this.sweep(now);
      index = this.free.pop() ?? this.lastUsed.length;
      this.indexOf.set(peer.key, index);
    }
    this.lastUsed[index] = now;
    return index;
  }

  /** Frees the indexes of peers idle for `idleMs`; runs when the table has doubled (amortised O(1)). */
  private sweep(now: number): void {
    for (const [key, index] of this.indexOf) {
      if (now - this.lastUsed[index]! < this.idleMs) continue;
      this.indexOf.delete(key);
      this.free.push(index);
    }
    this.sweepAt = Math.max(MIN_SWEEP_SIZE, 2 * this.indexOf.size);
  }
}
