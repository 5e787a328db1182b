// RFC 7959 section 7: block-wise state is kept per peer and bounded in count, bytes and time.
// A "peer" here is any scope string: the reassembly buffer scopes by source address (issue 12,
// item 2), so one address cannot hold more than `maxPerPeer` entries through many ports.
// Entries may be privileged (their peer holds a registration): `reservedBytes` of the budget is
// theirs only, and in 'evictUnprivileged' mode a newcomer makes room by dropping the least
// recently used unprivileged entries, so a flood of first blocks from spoofed sources churns among
// itself instead of locking the budget for a whole lifetime.

import type { Clock } from '../Clock.js';

/** Bounds of a PeerScopedStore. */
export interface PeerScopedStoreLimits {
  /** Entries one peer may hold; adding one more drops that peer's least recently used entry. */
  readonly maxPerPeer: number;
  /** Bytes across all entries. */
  readonly maxTotalBytes: number;
  /** An entry not touched for this long is gone. */
  readonly lifetimeMs: number;
  /**
   * When bytes run out: refuse the newcomer, evict least recently used entries of any peer, or
   * evict least recently used unprivileged entries (and refuse when that is not enough).
   */
  readonly onFull: 'refuse' | 'evict' | 'evictUnprivileged';
  /** Bytes only privileged entries may use. Default 0. */
  readonly reservedBytes?: number;
  /** Called for each entry dropped to make room: 'peer' (maxPerPeer) or 'bytes' (maxTotalBytes). */
  readonly onEvicted?: (reason: 'peer' | 'bytes') => void;
}

interface Entry<V> {
  readonly peerKey: string;
  readonly id: string;
  value: V;
  bytes: number;
  expiresAt: number;
  readonly privileged: boolean;
}

/** A map keyed by (peer, key) with per-peer counts, a total byte budget and lazy expiry. */
export class PeerScopedStore<V> {
  /** All entries, least recently used first (re-inserted on every touch). */
  private readonly entries = new Map<string, Entry<V>>();
  private readonly byPeer = new Map<string, Map<string, Entry<V>>>();
  private bytes = 0;

  constructor(
    private readonly limits: PeerScopedStoreLimits,
    private readonly clock: Clock,
  ) {}

  /** Number of live entries. */
  get size(): number {
    this.sweep();
    return this.entries.size;
  }

  /** Bytes accounted to live entries. */
  get totalBytes(): number {
    this.sweep();
    return this.bytes;
  }

  /** The entry's value, refreshing its lifetime; undefined when absent or expired. */
  get(peerKey: string, key: string): V | undefined {
    this.sweep();
    const e = this.entries.get(idOf(peerKey, key));
    if (!e) return undefined;
    this.touch(e);
    return e.value;
  }

  /** Stores a value of `bytes` bytes; false when the byte budget refuses it (onFull 'refuse'). */
  set(peerKey: string, key: string, value: V, bytes: number, privileged = false): boolean {
    this.sweep();
    this.delete(peerKey, key);
    const existing = this.byPeer.get(peerKey);
    while (existing && existing.size >= this.limits.maxPerPeer) {
      this.remove(existing.values().next().value as Entry<V>);
      this.limits.onEvicted?.('peer');
    }
    if (bytes > this.limits.maxTotalBytes || !this.makeRoom(bytes, privileged)) return false;
    const peer = this.byPeer.get(peerKey) ?? new Map<string, Entry<V>>();
    this.byPeer.set(peerKey, peer);
    const e: Entry<V> = { peerKey, id: idOf(peerKey, key), value, bytes, expiresAt: 0, privileged };
    peer.set(e.id, e);
    this.entries.set(e.id, e);
    this.bytes += bytes;
    this.touch(e);
    return true;
  }

  /** Re-accounts an entry at `bytes` bytes; false (entry unchanged) when the budget refuses. */
  resize(peerKey: string, key: string, bytes: number): boolean {
    const e = this.entries.get(idOf(peerKey, key));
    if (!e) return false;
    const grow = bytes - e.bytes;
    if (grow > 0 && !this.makeRoom(grow, e.privileged, e)) return false;
    e.bytes = bytes;
    this.bytes += grow;
    this.touch(e);
    return true;
  }

  /** Removes an entry if present. */
  delete(peerKey: string, key: string): void {
    const e = this.entries.get(idOf(peerKey, key));
    if (e) this.remove(e);
  }

  /** Whether `bytes` more fit, after evicting what onFull allows. */
  private makeRoom(bytes: number, privileged: boolean, keep?: Entry<V>): boolean {
    const budget = this.limits.maxTotalBytes - (privileged ? 0 : (this.limits.reservedBytes ?? 0));
    if (this.bytes + bytes <= budget) return true;
    const { onFull } = this.limits;
    if (onFull === 'refuse') return false;
    for (const e of this.entries.values()) {
      if (this.bytes + bytes <= budget) break;
      if (e === keep || (onFull === 'evictUnprivileged' && e.privileged)) continue;
      this.remove(e);
      this.limits.onEvicted?.('bytes');
    }
    return this.bytes + bytes <= budget;
  }

  private touch(e: Entry<V>): void {
    e.expiresAt = this.clock.now() + this.limits.lifetimeMs;
    this.entries.delete(e.id);
    this.entries.set(e.id, e);
    const peer = this.byPeer.get(e.peerKey);
    peer?.delete(e.id);
    peer?.set(e.id, e);
  }

  /** Drops expired entries; they sit at the front because every touch moves an entry to the back. */
  private sweep(): void {
    const now = this.clock.now();
    for (const e of this.entries.values()) {
      if (e.expiresAt > now) break;
      this.remove(e);
    }
  }

  private remove(e: Entry<V>): void {
    if (!this.entries.delete(e.id)) return;
    this.bytes -= e.bytes;
    const peer = this.byPeer.get(e.peerKey);
    peer?.delete(e.id);
    if (peer?.size === 0) this.byPeer.delete(e.peerKey);
  }
}

const idOf = (peerKey: string, key: string): string => `${peerKey}\u0000${key}`;
