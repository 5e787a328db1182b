// Established DTLS connections by peer key, bounded (research/dtls.md 3.1, Scandium's connection
// store): kept in least-recently-active order, and when full only a *stale* connection (no record
// from its peer for `staleAfterMs`) may be evicted to make room, so a flood of new handshakes
// can never push live devices out.
//
// The order is coarse: `touch` (every authenticated record) moves an entry to the back only when
// it was last placed there `reorderMs` ago or more (1 s, or 1/16 of `staleAfterMs` if shorter),
// otherwise it just writes the time. Reordering a Map on every record churned its hash table (a
// delete and an insert per record, bench/dtls.ts); eviction may now pick a connection up to
// `reorderMs` less idle than the least recently active one, never a live one.
//
// Two secondary indexes find the connection a record belongs to (research/dtls.md 7): by the
// CID we issued (RFC 9146: a tls12_cid record may come from any address) and by the peer's
// current address (records without CID, handshake repeats). The primary key stays fixed for the
// connection's life; the address index follows `moveAddress`. A newer connection at an address
// takes the address index over; the older one stays reachable by key and CID.

import type { DtlsClock } from '../DtlsClock.js';

/** What the table needs of a connection. */
export interface TableEntry {
  readonly key: string;
  /** Last time (clock ms) a record from the peer authenticated. */
  lastActivity: number;
  /** When the table last moved it to the back of its order (set by the table). */
  listedAt?: number;
  /** `address|port` the peer sends from now (default: `key`). */
  readonly addressKey?: string;
  /** The CID we issued, as hex, when the connection uses one. */
  readonly cidKey?: string;
}

/** A bounded LRU of connections with stale-only eviction. */
export class ConnectionTable<C extends TableEntry> {
  private readonly map = new Map<string, C>();
  private readonly byAddress = new Map<string, C>();
  private readonly byCid = new Map<string, C>();
  /** How old a placing must be for `touch` to move the entry to the back again. */
  private readonly reorderMs: number;

  constructor(
    private readonly max: number,
    private readonly staleAfterMs: number,
    private readonly clock: DtlsClock,
  ) {
    if (!(max >= 1)) throw new RangeError(`maxConnections must be at least 1, got ${max}`);
    this.reorderMs = Math.min(1_000, staleAfterMs / 16);
  }

  get size(): number {
    return this.map.size;
  }

  get(key: string): C | undefined {
    return this.map.get(key);
  }

  /** The connection whose peer sends from `addressKey` (`address|port`). */
  getByAddress(addressKey: string): C | undefined {
    return this.byAddress.get(addressKey);
  }

  /** The connection that was issued the CID `cidKey` (hex). */
  getByCid(cidKey: string): C | undefined {
    return this.byCid.get(cidKey);
  }

  /** True when a connection holds the CID `cidKey` (hex). */
  hasCid(cidKey: string): boolean {
    return this.byCid.has(cidKey);
  }

  /** Re-indexes `c` (already updated by the caller) from address `from` to its new address. */
  moveAddress(c: C, from: string): void {
    if (this.byAddress.get(from) === c) this.byAddress.delete(from);
    this.byAddress.set(c.addressKey ?? c.key, c);
  }

  values(): IterableIterator<C> {
    return this.map.values();
  }

  /** Marks `c` active now (and moves it to the most recent end unless it was moved lately). */
  touch(c: C): void {
    const now = Math.floor(this.clock.now()); // whole ms: a small integer, no heap number
    c.lastActivity = now;
    if (now - (c.listedAt ?? -Infinity) < this.reorderMs || this.map.get(c.key) !== c) return;
    this.map.delete(c.key);
    this.map.set(c.key, c);
    c.listedAt = now;
  }

  /** True when a connection could be added (room, a stale one to evict, or a replacement). */
  hasRoom(key?: string): boolean {
    return (
      (key !== undefined && this.map.has(key)) || this.map.size < this.max || this.oldestStale() !== undefined
    );
  }

  /**
   * Adds (or replaces) `c`; returns what it displaced (the same-key connection or an evicted
   * stale one), or false when the table is full of live connections.
   */
  add(c: C): { displaced?: C } | false {
    const same = this.map.get(c.key);
    if (same) {
      this.unindex(same);
      this.map.delete(c.key);
      this.insert(c);
      return { displaced: same };
    }
    let displaced: C | undefined;
    if (this.map.size >= this.max) {
      displaced = this.oldestStale();
      if (!displaced) return false;
      this.delete(displaced);
    }
    this.insert(c);
    return displaced ? { displaced } : {};
  }

  /** Removes `c` if it is still the entry for its key. */
  delete(c: C): void {
    if (this.map.get(c.key) !== c) return;
    this.map.delete(c.key);
    this.unindex(c);
  }

  private insert(c: C): void {
    c.listedAt = Math.floor(this.clock.now());
    this.map.set(c.key, c);
    this.byAddress.set(c.addressKey ?? c.key, c);
    if (c.cidKey !== undefined) this.byCid.set(c.cidKey, c);
  }

  private unindex(c: C): void {
    const address = c.addressKey ?? c.key;
    if (this.byAddress.get(address) === c) this.byAddress.delete(address);
    if (c.cidKey !== undefined && this.byCid.get(c.cidKey) === c) this.byCid.delete(c.cidKey);
  }

  private oldestStale(): C | undefined {
    const oldest = this.map.values().next().value;
    return oldest !== undefined && this.clock.now() - oldest.lastActivity >= this.staleAfterMs
      ? oldest
      : undefined;
  }
}
