// A binary min-heap of (expiresAt, id) for the lifetime expiry of LwM2M registrations (Core TS
// 1.1.1 section 6.2.2). Entries are never removed in place: an entry whose time no longer matches
// its registration is stale and skipped when it reaches the top (lazy deletion). Push and pop are
// O(log n); the owner calls rebuild() when stale entries outnumber live ones, which keeps memory
// within 2x and makes every operation O(log n) amortized.

/** A min-heap of expiry times and ids, kept in two parallel arrays (no object per entry). */
export class ExpiryHeap {
  private times: number[] = [];
  private ids: string[] = [];

  /** Number of entries, stale ones included. */
  get length(): number {
    return this.times.length;
  }

  /** Adds an entry. */
  push(at: number, id: string): void {
    this.times.push(at);
    this.ids.push(id);
    this.up(this.times.length - 1);
  }

  /** The earliest time, or undefined when empty. */
  peekTime(): number | undefined {
    return this.times[0];
  }

  /** The id of the earliest entry, or undefined when empty. */
  peekId(): string | undefined {
    return this.ids[0];
  }

  /** Removes the earliest entry. */
  pop(): void {
    const last = this.times.length - 1;
    if (last < 0) return;
    this.times[0] = this.times[last]!;
    this.ids[0] = this.ids[last]!;
    this.times.pop();
    this.ids.pop();
    if (last > 0) this.down(0);
  }

  /** Replaces the content by `entries` (the live ones) in O(n). */
  rebuild(entries: Iterable<readonly [number, string]>): void {
    this.times = [];
    this.ids = [];
    for (const [at, id] of entries) {
      this.times.push(at);
      this.ids.push(id);
    }
    for (let i = (this.times.length >> 1) - 1; i >= 0; i--) this.down(i);
  }

  private swap(a: number, b: number): void {
    const t = this.times[a]!;
    this.times[a] = this.times[b]!;
    this.times[b] = t;
    const id = this.ids[a]!;
    this.ids[a] = this.ids[b]!;
    this.ids[b] = id;
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.times[parent]! <= this.times[i]!) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    const n = this.times.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let min = i;
      if (l < n && this.times[l]! < this.times[min]!) min = l;
      if (r < n && this.times[r]! < this.times[min]!) min = r;
      if (min === i) return;
      this.swap(i, min);
      i = min;
    }
  }
}
