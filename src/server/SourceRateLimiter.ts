// Issue 12, item 1: registrations per source address per time, as one token bucket per source.
// The table is bounded by count, not only by time (item 3): when it is full, a newcomer replaces
// one of the longest-tracked sources whose bucket has refilled (forgetting it loses nothing);
// when those it looks at are all in use, newcomers share one overflow bucket, so a flood from
// spoofed addresses can neither grow the table nor hand anyone a fresh bucket.
import type { Clock } from '../coap/Clock.js';
import { OldestFirst } from '../transport/OldestFirst.js';

/** Settings of a SourceRateLimiter. */
export interface SourceRateLimiterOptions {
  /** Tokens a source gets per second. */
  readonly ratePerSecond: number;
  /** Bucket size: how many requests a quiet source may send at once. */
  readonly burst: number;
  /** Sources tracked at once. */
  readonly maxSources: number;
}

/** Tracked sources a newcomer examines for one it may replace, when the table is full. */
const EVICTION_PROBES = 4;

interface Bucket {
  tokens: number;
  at: number;
}

/** Token buckets by source (e.g. an IP address), bounded in count. */
export class SourceRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly oldest = new OldestFirst(this.buckets);
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
    // A hit is one lookup: the table is not reordered per request (a Map delete and re-insert
    // per datagram cost more than the rest of the limiter, issue 17).
    const known = this.buckets.get(source);
    if (known) return known;
    if (this.buckets.size >= this.options.maxSources && !this.evictOne(now)) return this.overflow;
    const fresh = { tokens: this.options.burst, at: now };
    this.buckets.set(source, fresh);
    return fresh;
  }

  /**
   * Makes room for a newcomer: looks at up to EVICTION_PROBES of the longest-tracked sources and
   * forgets the first whose bucket has refilled (forgetting it loses nothing); each one that has
   * not is moved to the back, so the next newcomer looks at others. False: all were in use.
   */
  private evictOne(now: number): boolean {
    for (let probe = 0; probe < EVICTION_PROBES; probe++) {
      const oldest = this.oldest.shift();
      if (!oldest) return true;
      const [source, bucket] = oldest;
      this.refill(bucket, now);
      if (bucket.tokens >= this.options.burst) return true;
      this.buckets.set(source, bucket);
    }
    return false;
  }

  private refill(b: Bucket, now: number): void {
    const { ratePerSecond, burst } = this.options;
    b.tokens = Math.min(burst, b.tokens + ((now - b.at) * ratePerSecond) / 1000);
    b.at = now;
  }
}
