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
//
// Each Peer object also carries the index it was last given, under a symbol of this module, so a
// peer seen again (a transport hands out one Peer object per source; a registration keeps it) is
// found without hashing its key: at 10k+ peers a string-keyed Map lookup misses the CPU caches a
// few times, about half a microsecond (issue 17). The noted index is used only while `keys` says
// it still belongs to that key in this table, so a stale note (a recycled index, another table's
// note, a peer with the same key as another object) falls back to the Map and is rewritten.
import { notePeer, type Peer } from '../transport/Peer.js';
import type { Clock } from './Clock.js';

const MIN_SWEEP_SIZE = 1024;

/** The property of a Peer object where a PeerIndex notes that peer's index. */
const NOTED = Symbol('PeerIndex.noted');
type NotedPeer = Peer & { [NOTED]?: number };

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
  /** The key holding each index (undefined: free or cooling), by index: checks a noted index. */
  private readonly keys: (string | undefined)[] = [];

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

  /**
   * The numeric key of message ID `mid` (0..65535) with `peer`; marks the peer as in use at `now`
   * (the clock's time: a caller that has just read it passes it on, a read costs ~50 ns here).
   */
  midKey(peer: Peer, mid: number, now?: number): number {
    return this.indexFor(peer, now) * 0x10000 + mid;
  }

  /**
   * The index `peer` holds, or -1: no index is assigned and no time noted. For what only looks
   * state up (an ACK or RST matched to an outstanding CON, whose sending noted the peer in use),
   * so a stray ACK from an unknown source takes no index either.
   */
  peek(peer: Peer): number {
    return this.noted(peer) ?? this.indexOf.get(peer.key) ?? -1;
  }

  /** The index of `peer`, assigning one (and recycling long-idle ones) when it has none; in use at `now`. */
  indexFor(peer: Peer, now = this.clock.now()): number {
    let index = this.noted(peer);
    if (index === undefined) {
      index = this.indexOf.get(peer.key);
      if (index === undefined) {
        if (this.indexOf.size >= Math.min(this.sweepAt, this.limits.maxPeers)) this.sweep(now);
        if (this.indexOf.size >= this.limits.maxPeers) this.evict(now);
        index = this.allocate(now);
        this.indexOf.set(peer.key, index);
        this.keys[index] = peer.key;
      }
      notePeer(peer, NOTED, index);
    }
    this.lastUsed[index] = now;
    return index;
  }

  /** The index noted on `peer`, while it still belongs to that peer's key here; else undefined. */
  private noted(peer: Peer): number | undefined {
    const index = (peer as NotedPeer)[NOTED];
    return index !== undefined && this.keys[index] === peer.key ? index : undefined;
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
    for (const [key, index] of this.indexOf) {
      if (now - this.lastUsed[index]! < this.idleMs) continue;
      this.indexOf.delete(key);
      this.keys[index] = undefined;
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
    const target = Math.max(1, this.limits.maxPeers >> 3);
    const { recentMs } = this.limits;
    let dropped = 0;
    for (const silentFor of [recentMs, recentMs / 4, recentMs / 16, 0]) {
      for (const [key, index] of this.indexOf) {
        if (dropped >= target) break;
        if (silentFor > 0 && now - this.lastUsed[index]! < silentFor) continue;
        this.indexOf.delete(key);
        this.keys[index] = undefined;
        this.cooling.push(index);
        dropped++;
      }
      if (dropped >= target) break;
    }
    this.limits.onEvicted?.(dropped);
  }
}
