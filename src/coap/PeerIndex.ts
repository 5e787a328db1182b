// RFC 7252 section 4.5: a message ID is meaningful only per peer ("source endpoint"), so the
// message layer keys its per-message state (duplicate detection, outstanding CONs, delayed ACKs)
// by (peer, MID). This gives each peer a small integer so that key is one number,
// `index * 65536 + mid`: no string is built per message and the maps hold no per-entry objects
// (with string keys, ~200k live dedup keys kept the garbage collector busy).
//
// An index is recycled only after its peer has been idle for `idleMs`, which callers set above
// the longest time any keyed state can live (EXCHANGE_LIFETIME for dedup entries, plus
// MAX_TRANSMIT_WAIT for outstanding CONs): by then every entry made with the old index has expired.
//
// The table is also bounded by count (issue 12, item 3: a flood from spoofed sources must not keep
// one entry per source for 340 s). Past `maxPeers`, peers not heard from for `recentMs` are
// dropped (oldest first), or failing that the oldest ones, an eighth of the table at a time. Their
// indexes cool down in a FIFO until `idleMs` has passed; new peers get fresh indexes meanwhile, up
// to 2 * maxPeers in all. Only past that is a cooling index reused early: a stale dedup entry can
// then meet a new peer, and DedupCache's token fingerprint still tells most such messages apart.
import type { Peer } from '../transport/Peer.js';
import type { Clock } from './Clock.js';

const MIN_SWEEP_SIZE = 1024;

/** Bounds of a PeerIndex. */
export interface PeerIndexLimits {
  /** Peers holding an index at once. Default 250 000. */
  readonly maxPeers: number;
  /** Peers heard from within this time are dropped last (the least recent first) when the table is full. Default 10 s. */
  readonly recentMs: number;
  /** Called with the number of peers dropped before they were idle for `idleMs`. */
  readonly onEvicted?: (count: number) => void;
}

/** Small integer per peer key, for numeric (peer, MID) keys. */
export class PeerIndex {
  private readonly indexOf = new Map<string, number>();
  /** Last use of each index (clock time), indexed by peer index. */
  private lastUsed: number[] = [];
  private readonly free: number[] = [];
  /** Indexes of dropped peers, oldest drop first, from `coolingHead` on. */
  private cooling: number[] = [];
  private coolingHead = 0;
  private sweepAt = MIN_SWEEP_SIZE;
  private readonly limits: PeerIndexLimits;
  /** The peer asked for last and its index: a datagram and its answer, or a CON's two keys, look up once. */
  private lastPeer: Peer | undefined;
  private lastIndex = 0;

  constructor(
    private readonly clock: Clock,
    private readonly idleMs: number,
    limits: Partial<PeerIndexLimits> = {},
  ) {
    this.limits = { maxPeers: 250_000, recentMs: 10_000, ...limits };
  }

  /** Number of peers holding an index. */
  get size(): number {
    return this.indexOf.size;
  }

  /** The bound on `size`. */
  get maxPeers(): number {
    return this.limits.maxPeers;
  }

  /** The numeric key of message ID `mid` (0..65535) with `peer`; marks the peer as in use now. */
  midKey(peer: Peer, mid: number): number {
    return this.indexFor(peer) * 0x10000 + mid;
  }

  /** The index of `peer`, assigning one (and recycling long-idle ones) when it has none. */
  indexFor(peer: Peer): number {
    const now = this.clock.now();
    if (peer === this.lastPeer) {
      this.lastUsed[this.lastIndex] = now;
      return this.lastIndex;
    }
    let index = this.indexOf.get(peer.key);
    if (index === undefined) {
      if (this.indexOf.size >= Math.min(this.sweepAt, this.limits.maxPeers)) this.sweep(now);
      if (this.indexOf.size >= this.limits.maxPeers) this.evict(now);
      index = this.allocate(now);
      this.indexOf.set(peer.key, index);
    }
    this.lastUsed[index] = now;
    this.lastPeer = peer;
    this.lastIndex = index;
    return index;
  }

  /** A free index: a recycled one, a cooled one, a fresh one, or (past 2 * maxPeers) the oldest cooling one. */
  private allocate(now: number): number {
    const recycled = this.free.pop();
    if (recycled !== undefined) return recycled;
    const head = this.cooling[this.coolingHead];
    const cooled = head !== undefined && now - this.lastUsed[head]! >= this.idleMs;
    if (head !== undefined && (cooled || this.lastUsed.length >= 2 * this.limits.maxPeers)) {
      this.coolingHead++;
      if (this.coolingHead > 1024 && this.coolingHead * 2 > this.cooling.length) {
        this.cooling = this.cooling.slice(this.coolingHead);
        this.coolingHead = 0;
      }
      return head;
    }
    return this.lastUsed.length;
  }

  /** Frees the indexes of peers idle for `idleMs`; runs when the table has doubled (amortised O(1)). */
  private sweep(now: number): void {
    this.lastPeer = undefined;
    for (const [key, index] of this.indexOf) {
      if (now - this.lastUsed[index]! < this.idleMs) continue;
      this.indexOf.delete(key);
      this.free.push(index);
    }
    this.sweepAt = Math.max(MIN_SWEEP_SIZE, 2 * this.indexOf.size);
  }

  /**
   * The table is full of peers heard from within idleMs: drops an eighth, those silent for
   * recentMs first, then for a quarter and a sixteenth of it, then the oldest (a few scans of the
   * table per eighth of it: amortised O(1) per new peer).
   */
  private evict(now: number): void {
    this.lastPeer = undefined;
    const target = Math.max(1, this.limits.maxPeers >> 3);
    const { recentMs } = this.limits;
    let dropped = 0;
    for (const silentFor of [recentMs, recentMs / 4, recentMs / 16, 0]) {
      for (const [key, index] of this.indexOf) {
        if (dropped >= target) break;
        if (silentFor > 0 && now - this.lastUsed[index]! < silentFor) continue;
        this.indexOf.delete(key);
        this.cooling.push(index);
        dropped++;
      }
      if (dropped >= target) break;
    }
    this.limits.onEvicted?.(dropped);
  }
}
