// RFC 7252 section 4.5 support: the key -> ring-slot index of DedupCache. A hash table with open
// addressing (linear probing, backward-shift deletion) on flat arrays. It replaces a Map whose
// hundreds of thousands of entries (EXCHANGE_LIFETIME is 247 s) made V8 re-allocate and rehash
// megabyte-sized tables as the cache grew and churned: measured, about a third of a request's
// cost on a busy server. Here deletes leave no tombstones and the arrays only ever double.

/** A key: a number (the message layer's (peer, MID) key) or a string. */
export type SlotKey = string | number;

const MIN_CAPACITY = 16;

/** Hash of a number up to 2^53, or of a string (FNV-1a over UTF-16 code units). */
function hash(key: SlotKey): number {
  let h: number;
  if (typeof key === 'number') {
    h = (key >>> 0) ^ Math.imul(Math.floor(key / 0x100000000), 0x9e3779b1);
  } else {
    h = 0x811c9dc5;
    for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  }
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  return h ^ (h >>> 13);
}

/** A map from keys to non-negative integers (slots), at most half full. */
export class SlotTable {
  private keys: (SlotKey | undefined)[] = new Array<SlotKey | undefined>(MIN_CAPACITY).fill(undefined);
  private values = new Int32Array(MIN_CAPACITY);
  private mask = MIN_CAPACITY - 1;
  private count = 0;

  /** Number of keys. */
  get size(): number {
    return this.count;
  }

  /** The value of `key`, or -1. */
  get(key: SlotKey): number {
    for (let i = hash(key) & this.mask; ; i = (i + 1) & this.mask) {
      const k = this.keys[i];
      if (k === undefined) return -1;
      if (k === key) return this.values[i]!;
    }
  }

  /** Sets `key` to `value` (>= 0). */
  set(key: SlotKey, value: number): void {
    let i = hash(key) & this.mask;
    for (; ; i = (i + 1) & this.mask) {
      const k = this.keys[i];
      if (k === undefined) break;
      if (k === key) {
        this.values[i] = value;
        return;
      }
    }
    this.keys[i] = key;
    this.values[i] = value;
    if (++this.count * 2 > this.keys.length) this.resize(this.keys.length * 2);
  }

  /** Removes `key`; the entries after it in its probe run shift back, so no tombstone is left. */
  delete(key: SlotKey): void {
    const mask = this.mask;
    let i = hash(key) & mask;
    for (; ; i = (i + 1) & mask) {
      const k = this.keys[i];
      if (k === undefined) return;
      if (k === key) break;
    }
    this.count--;
    for (let j = (i + 1) & mask; ; j = (j + 1) & mask) {
      const k = this.keys[j];
      if (k === undefined) break;
      const home = hash(k) & mask;
      // Entry j may fill hole i unless its home lies cyclically in (i, j].
      if (i <= j ? home <= i || home > j : home <= i && home > j) {
        this.keys[i] = k;
        this.values[i] = this.values[j]!;
        i = j;
      }
    }
    this.keys[i] = undefined;
  }

  /** Removes every key. */
  clear(): void {
    this.keys.fill(undefined);
    this.count = 0;
  }

  private resize(capacity: number): void {
    const keys = this.keys;
    const values = this.values;
    this.keys = new Array<SlotKey | undefined>(capacity).fill(undefined);
    this.values = new Int32Array(capacity);
    this.mask = capacity - 1;
    this.count = 0;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== undefined) this.set(keys[i]!, values[i]!);
  }
}
