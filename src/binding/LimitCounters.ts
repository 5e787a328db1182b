// Issue 12 (operator-grade server): every bound on what a remote peer can make a server keep is
// counted here, reported through `limits()` (Lwm2mServer, BootstrapServer: shared by both roles,
// so it sits below them) and announced as a `limit` event each time
// it bites, at most once per limit per `intervalMs` (a flood cannot flood the logs: the event
// carries how many hits happened since the previous one). No timer: a burst that ends inside the
// interval is reported by the next hit, and its hits are always in the totals of `snapshot()`.
import type { Clock } from '../coap/Clock.js';

/** The state of one limit: its maximum, what is in use now, and how often it refused something. */
export interface LimitStatus {
  /** The configured bound (a count, bytes, or a rate per second, see the limit's name). */
  readonly max: number;
  /** What is in use now (for rates: the tokens spent in the current window, or 0). */
  readonly usage: number;
  /** How many times the bound refused or dropped something since the server started. */
  readonly hits: number;
}

/** A bound bit: emitted at most once per limit per interval. */
export interface LimitEvent<N extends string = string> {
  readonly limit: N;
  /** Hits since the previous event for this limit (this one included). */
  readonly hits: number;
  /** Hits since the server started. */
  readonly total: number;
  readonly max: number;
  /** The source address of the hit that triggered this event, when the limit is per source. */
  readonly source?: string;
}

interface Counter {
  readonly max: number;
  readonly usage: () => number;
  hits: number;
  unreported: number;
  lastEventAt: number;
}

/** Hit counters of named limits with rate-limited reporting. */
export class LimitCounters<N extends string> {
  private readonly counters = new Map<N, Counter>();

  constructor(
    private readonly clock: Clock,
    private readonly emit: (e: LimitEvent<N>) => void,
    /** Least time between two events of one limit. Default 1 000 ms. */
    private readonly intervalMs = 1_000,
  ) {}

  /** Declares limit `name` with its bound and a reader of its current usage. */
  define(name: N, max: number, usage: () => number = () => 0): void {
    this.counters.set(name, { max, usage, hits: 0, unreported: 0, lastEventAt: -Infinity });
  }

  /** Counts `count` (default 1) refusals by `name`; emits an event unless one went out less than intervalMs ago. */
  hit(name: N, source?: string, count = 1): void {
    const c = this.counters.get(name);
    if (!c || !(count > 0)) return;
    c.hits += count;
    c.unreported += count;
    const now = this.clock.now();
    if (now - c.lastEventAt < this.intervalMs) return;
    const event: LimitEvent<N> = {
      limit: name,
      hits: c.unreported,
      total: c.hits,
      max: c.max,
      ...(source === undefined ? {} : { source }),
    };
    c.lastEventAt = now;
    c.unreported = 0;
    this.emit(event);
  }

  /** Every limit's status, by name. */
  snapshot(): Record<N, LimitStatus> {
    const out = {} as Record<N, LimitStatus>;
    for (const [name, c] of this.counters) out[name] = { max: c.max, usage: c.usage(), hits: c.hits };
    return out;
  }
}
