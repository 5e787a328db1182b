// A Map from string keys split over SHARDS Maps, for the indexes that hold one entry per
// registration. A JavaScript Map grows by rehashing every entry into a table twice the size in one
// go; the indexes of a server all hold about as many entries, so at a million registrations they
// used to rehash in the same Register: measured in plain Node, seven Maps crossing 2^20 entries
// together paused the event loop for 1.5 s (2^19: 0.25 s). Split by a cheap hash of the key's last
// code units, each shard holds a few percent of the entries and crosses its thresholds at its own
// count, so a growth pause is a fraction of that, at other moments for each shard.

/** Shards per map (a power of two). */
export const SHARDS = 64;

/** The shard of `key`: a multiplicative hash of its last 8 UTF-16 code units (where ids, counters and peer addresses differ). */
export function shardOf(key: string): number {
  let h = key.length;
  for (let i = Math.max(0, key.length - 8); i < key.length; i++)
    h = Math.imul(h ^ key.charCodeAt(i), 0x9e3779b1);
  return (h >>> 26) & (SHARDS - 1);
}

/** The subset of Map<string, V> the stores use, over SHARDS Maps; iteration order is per shard. */
export class ShardedMap<V> {
  private readonly shards: Map<string, V>[] = Array.from({ length: SHARDS }, () => new Map<string, V>());
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(key: string): V | undefined {
    return this.shards[shardOf(key)]!.get(key);
  }

  has(key: string): boolean {
    return this.shards[shardOf(key)]!.has(key);
  }

  set(key: string, value: V): this {
    const shard = this.shards[shardOf(key)]!;
    const before = shard.size;
    shard.set(key, value);
    this.count += shard.size - before;
    return this;
  }

  delete(key: string): boolean {
    const deleted = this.shards[shardOf(key)]!.delete(key);
    if (deleted) this.count--;
    return deleted;
  }

  /** Every value, shard after shard (an iterator object, not a generator: ~5x faster per value). */
  values(): IterableIterator<V> {
    const shards = this.shards;
    let at = 0;
    let inner: Iterator<V> = shards[0]!.values();
    const it: IterableIterator<V> = {
      next(): IteratorResult<V> {
        for (;;) {
          const r = inner.next();
          if (!r.done) return r;
          if (++at >= shards.length) return r;
          inner = shards[at]!.values();
        }
      },
      [Symbol.iterator]: () => it,
    };
    return it;
  }
}
