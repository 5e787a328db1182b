// A bounded cache of resumable sessions (research/dtls.md 7, `session/SessionCache.ts`): a peer
// can make a server keep one session per full handshake, so the count is capped (the oldest entry
// is evicted to make room) and every entry expires `lifetimeMs` after it was stored (RFC 5246
// appendix F.1.4 suggests at most 24 hours). Clients key it by the peer they talk to (one last
// session per server); servers keep theirs in a ServerSessionSlab with the same bounds. Evictions
// and expiries are counted.

import type { DtlsClock } from '../DtlsClock.js';
import { OldestFirst } from '../../OldestFirst.js';

/** Bounds of a SessionCache. */
export interface SessionCacheOptions {
  /** Most entries (0: keep nothing, no resumption). */
  readonly maxEntries: number;
  /** Lifetime of an entry from when it was stored, ms. */
  readonly lifetimeMs: number;
  readonly clock: DtlsClock;
  /** Told about each entry dropped by a bound (for the transport's counters). */
  readonly onDrop?: (reason: 'evicted' | 'expired') => void;
}

interface Entry<V> {
  readonly value: V;
  readonly expiresAt: number;
}

/** A count- and age-bounded map, oldest first. */
export class SessionCache<V> {
  private readonly map = new Map<string, Entry<V>>();
  private readonly oldest = new OldestFirst(this.map);
  /** Entries dropped to make room for newer ones. */
  evicted = 0;
  /** Entries dropped because they outlived `lifetimeMs`. */
  expired = 0;

  constructor(private readonly options: SessionCacheOptions) {
    if (!(options.maxEntries >= 0))
      throw new RangeError(`maxSessions must be >= 0, got ${options.maxEntries}`);
    if (!(options.lifetimeMs > 0))
      throw new RangeError(`sessionLifetimeMs must be > 0, got ${options.lifetimeMs}`);
  }

  /** Entries held now (expired ones included until looked up or pushed out). */
  get size(): number {
    return this.map.size;
  }

  /** The live entry for `key`; an expired one is dropped. */
  get(key: string): V | undefined {
    const e = this.map.get(key);
    if (!e) return undefined;
    if (this.options.clock.now() >= e.expiresAt) {
      this.map.delete(key);
      this.expired++;
      this.options.onDrop?.('expired');
      return undefined;
    }
    return e.value;
  }

  /** Stores `value` under `key` as the newest entry, evicting the oldest when full. */
  set(key: string, value: V): void {
    if (this.options.maxEntries === 0) return;
    this.map.delete(key);
    const now = this.options.clock.now();
    // entries are stored in expiry order (same lifetime): drop the expired ones at the front
    for (const [k, e] of this.map) {
      if (e.expiresAt > now) break;
      this.map.delete(k);
      this.expired++;
      this.options.onDrop?.('expired');
    }
    while (this.map.size >= this.options.maxEntries) {
      this.oldest.evict();
      this.evicted++;
      this.options.onDrop?.('evicted');
    }
    // whole ms, rounded up: a small integer in the entry rather than a heap number
    this.map.set(key, { value, expiresAt: Math.ceil(now + this.options.lifetimeMs) });
  }

  /** Forgets `key` (a session ended by a fatal alert, or whose credentials are gone). */
  delete(key: string): void {
    this.map.delete(key);
  }

  /** Forgets every entry whose value satisfies `test`; returns how many. */
  deleteWhere(test: (value: V) => boolean): number {
    let n = 0;
    for (const [k, e] of this.map)
      if (test(e.value)) {
        this.map.delete(k);
        n++;
      }
    return n;
  }
}
