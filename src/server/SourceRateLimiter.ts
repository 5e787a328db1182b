// Issue 12, item 1: registrations per source address per time, as one token bucket per source.
// The table is bounded by count, not only by time (item 3): when it is full, the least recently
// used source is dropped only if its bucket has refilled (forgetting it loses nothing); otherwise
// newcomers share one overflow bucket, so a flood from spoofed addresses can neither grow the
// table nor hand anyone a fresh bucket.
import type { Clock } from '../coap/Clock.js';

/** Settings of a SourceRateLimiter. */
export interface SourceRateLimiterOptions {
  /** Tokens a source gets per second. */
  readonly ratePerSecond: number;
  /** Bucket size: how many requests a quiet source may send at once. */
  readonly burst: number;
  /** Sources tracked at once. */
  readonly maxSources: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Token buckets by source (e.g. an IP address), bounded in count. */
export class SourceRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly overflow: Bucket;

  constructor(
    private readonly options: SourceRateLimiterOptions,
    private readonly clock: Clock,
  ) {
    this.overflow = { tokens: options.burst, at: clock.now() };
  }

  /** Sources tracked now. */
  get size(): number {
    return this.buckets.size;
  }

  /** Takes one token for `source`: 0 when allowed, else the ms until a token will be there. */
  take(source: string): number {
    const now = this.clock.now();
    const bucket = this.bucketOf(source, now);
    this.refill(bucket, now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - bucket.tokens) * 1000) / this.options.ratePerSecond);
  }

  private bucketOf(source: string, now: number): Bucket {
    const known = this.buckets.get(source);
    if (known) {
      this.buckets.delete(source); // re-insert: the Map's order is least recently used first
      this.buckets.set(source, known);
      return known;
    }
    if (this.buckets.size >= this.options.maxSources) {
      const oldest = this.buckets.entries().next().value;
      if (!oldest) return this.overflow;
      this.refill(oldest[1], now);
      if (oldest[1].tokens < this.options.burst) return this.overflow;
      this.buckets.delete(oldest[0]);
    }
    const fresh = { tokens: this.options.burst, at: now };
    this.buckets.set(source, fresh);
    return fresh;
  }

  private refill(b: Bucket, now: number): void {
    const { ratePerSecond, burst } = this.options;
    b.tokens = Math.min(burst, b.tokens + ((now - b.at) * ratePerSecond) / 1000);
    b.at = now;
  }
}
