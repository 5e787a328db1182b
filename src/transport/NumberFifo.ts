// A bounded map from whole-number keys (below 2^53) to values, evicting in insertion order: the
// batched UDP transport's IPv4 peer cache, keyed by address * 65536 + port (issue 17). Such a key
// is above V8's small-integer range, so in a Map every lookup hashed a heap number and followed
// pointers to it: `perf` put V8's Map lookup inside the transport's receive loop at 4.5% of the
// server's CPU during reads across 10 000 clients. Here the keys sit in a Float64Array ring (in
// insertion order, which is also the eviction order) and an open-addressing index of ring
// positions finds them; nothing is allocated per entry.

/** Hash of a whole number below 2^53 (its low and high 32 bits mixed). */
function hashOf(key: number): number {
  const h = Math.imul((key >>> 0) ^ Math.imul(Math.floor(key / 0x100000000), 0x9e3779b1), 0x85ebca6b);
  return h ^ (h >>> 15);
}

const FIRST_RING = 64;

/** Index slots for a ring of `size`: a power of two at least twice it (at most half full). */
function indexSlots(size: number): number {
  let slots = 2;
  while (slots < size * 2) slots *= 2;
  return slots;
}

/** At most `capacity` values by whole-number key; the oldest inserted goes first. */
export class NumberFifo<V> {
  /** Ring of keys and values in insertion order, from `head`; grows by doubling up to `capacity`. */
  private keys: Float64Array;
  private values: (V | undefined)[];
  private head = 0;
  private count = 0;
  /** Open addressing (linear probing, backward-shift deletion): ring position + 1, 0 when empty. */
  private index: Int32Array;
  private mask: number;

  constructor(readonly capacity: number) {
    if (!(Number.isInteger(capacity) && capacity >= 1))
      throw new RangeError('capacity must be a whole number >= 1');
    const ring = Math.min(FIRST_RING, capacity);
    this.keys = new Float64Array(ring);
    this.values = new Array<V | undefined>(ring).fill(undefined);
    this.index = new Int32Array(indexSlots(ring));
    this.mask = this.index.length - 1;
  }

  /** Number of entries. */
  get size(): number {
    return this.count;
  }

  /** The value of `key`, if present. */
  get(key: number): V | undefined {
    const index = this.index;
    for (let i = hashOf(key) & this.mask; ; i = (i + 1) & this.mask) {
      const r = index[i]!;
      if (r === 0) return undefined;
      if (this.keys[r - 1] === key) return this.values[r - 1];
    }
  }

  /** Adds `key` (which must not be present) with `value`, evicting the oldest entry when full. */
  add(key: number, value: V): void {
    if (this.count === this.keys.length) {
      if (this.keys.length < this.capacity) this.grow();
      else this.evict();
    }
    const at = (this.head + this.count) % this.keys.length;
    this.keys[at] = key;
    this.values[at] = value;
    this.count++;
    let i = hashOf(key) & this.mask;
    while (this.index[i] !== 0) i = (i + 1) & this.mask;
    this.index[i] = at + 1;
  }

  /** Removes the oldest entry and returns its value; undefined when empty. */
  evict(): V | undefined {
    if (this.count === 0) return undefined;
    const at = this.head;
    const value = this.values[at];
    this.unindex(at);
    this.values[at] = undefined;
    this.head = (at + 1) % this.keys.length;
    this.count--;
    return value;
  }

  /** Takes ring position `at` out of the index; the entries after it in its probe run shift back. */
  private unindex(at: number): void {
    const mask = this.mask;
    const index = this.index;
    let i = hashOf(this.keys[at]!) & mask;
    while (index[i] !== at + 1) i = (i + 1) & mask;
    for (let j = (i + 1) & mask; index[j] !== 0; j = (j + 1) & mask) {
      const home = hashOf(this.keys[index[j]! - 1]!) & mask;
      // Entry j may fill hole i unless its home lies cyclically in (i, j].
      if (i <= j ? home <= i || home > j : home <= i && home > j) {
        index[i] = index[j]!;
        i = j;
      }
    }
    index[i] = 0;
  }

  /** Doubles the ring (at most to `capacity`), laying its entries out from position 0, and re-indexes. */
  private grow(): void {
    const size = Math.min(this.capacity, this.keys.length * 2);
    const keys = new Float64Array(size);
    const values = new Array<V | undefined>(size).fill(undefined);
    for (let n = 0; n < this.count; n++) {
      const from = (this.head + n) % this.keys.length;
      keys[n] = this.keys[from]!;
      values[n] = this.values[from];
    }
    this.keys = keys;
    this.values = values;
    this.head = 0;
    this.index = new Int32Array(indexSlots(size));
    this.mask = this.index.length - 1;
    for (let n = 0; n < this.count; n++) {
      let i = hashOf(keys[n]!) & this.mask;
      while (this.index[i] !== 0) i = (i + 1) & this.mask;
      this.index[i] = n + 1;
    }
  }
}
