// Established DTLS connections by peer key, bounded (research/dtls.md 3.1, Scandium's connection
// store): kept in least-recently-active order, and when full only a *stale* connection (no record
// from its peer for `staleAfterMs`) may be evicted to make room, so a flood of new handshakes
// can never push live devices out.

import type { DtlsClock } from '../DtlsClock.js';

/** What the table needs of a connection. */
export interface TableEntry {
  readonly key: string;
  /** Last time (clock ms) a record from the peer authenticated. */
  lastActivity: number;
}

/** A bounded LRU of connections with stale-only eviction. */
export class ConnectionTable<C extends TableEntry> {
  private readonly map = new Map<string, C>();

  constructor(
    private readonly max: number,
    private readonly staleAfterMs: number,
    private readonly clock: DtlsClock,
  ) {
    if (!(max >= 1)) throw new RangeError(`maxConnections must be at least 1, got ${max}`);
  }

  get size(): number {
    return this.map.size;
  }

  get(key: string): C | undefined {
    return this.map.get(key);
  }

  values(): IterableIterator<C> {
    return this.map.values();
  }

  /** Marks `c` active now (moves it to the most recent end). */
  touch(c: C): void {
    c.lastActivity = this.clock.now();
    this.map.delete(c.key);
    this.map.set(c.key, c);
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
      this.map.delete(c.key);
      this.map.set(c.key, c);
      return { displaced: same };
    }
    let displaced: C | undefined;
    if (this.map.size >= this.max) {
      displaced = this.oldestStale();
      if (!displaced) return false;
      this.map.delete(displaced.key);
    }
    this.map.set(c.key, c);
    return displaced ? { displaced } : {};
  }

  /** Removes `c` if it is still the entry for its key. */
  delete(c: C): void {
    if (this.map.get(c.key) === c) this.map.delete(c.key);
  }

  private oldestStale(): C | undefined {
    const oldest = this.map.values().next().value;
    return oldest !== undefined && this.clock.now() - oldest.lastActivity >= this.staleAfterMs
      ? oldest
      : undefined;
  }
}
