// RFC 7641 sections 3.2-3.6 (client side): the notifications of one observe relation as an
// async iterable. Stale notifications are dropped by the freshness rule of section 3.4; a slow
// consumer loses the oldest buffered notifications first (bounded buffer).
import type { Peer } from '../../transport/Peer.js';
import type { Clock } from '../Clock.js';
import type { CoapResponse } from '../CoapResponse.js';
import type { ObservationControl, ObservationSink } from '../ExchangeLayer.js';

/** RFC 7641 3.4: after this long, a notification is fresh whatever its sequence number. */
export const FRESHNESS_WINDOW_MS = 128_000;
const HALF = 1 << 23;

/**
 * RFC 7641 3.4: whether notification `v2`, received at `t2`, is newer than `v1` received at `t1`.
 */
export function isFresher(v1: number, t1: number, v2: number, t2: number): boolean {
  return (v1 < v2 && v2 - v1 < HALF) || (v1 > v2 && v1 - v2 > HALF) || t2 > t1 + FRESHNESS_WINDOW_MS;
}

/** Settings of a CoapObservation. */
export interface CoapObservationOptions {
  /** Notifications kept for a slow consumer; older ones are dropped first. Default 32. */
  readonly maxBuffered?: number;
}

/** Receives a relation's responses as they arrive (CoapObservation.subscribe). */
export interface ObservationSubscriber {
  /** A response of the relation (the first is the answer to the registration), in order. */
  onValue(response: CoapResponse): void;
  /** The relation ended; `error` when it failed. Called once, after the last onValue. */
  onEnd(error: Error | undefined): void;
}

/**
 * An observe relation this endpoint holds: iterate it for notifications (or subscribe() for
 * callbacks); cancel() to end it.
 */
export class CoapObservation implements AsyncIterable<CoapResponse>, ObservationSink {
  /** Resolves with the first response (the registration's answer); rejects if none came. */
  readonly response: Promise<CoapResponse>;
  /** Notifications dropped as stale (3.4) or because the buffer was full. */
  dropped = 0;
  private resolveFirst!: (r: CoapResponse) => void;
  private rejectFirst!: (e: Error) => void;
  private gotFirst = false;
  private lastSeq = -1;
  private lastAt = 0;
  private readonly buffer: CoapResponse[] = [];
  private waiter:
    { resolve: (r: IteratorResult<CoapResponse>) => void; reject: (e: Error) => void } | undefined;
  private ended = false;
  private error: Error | undefined;
  private endError: Error | undefined;
  private control: ObservationControl | undefined;
  private subscriber: ObservationSubscriber | undefined;
  private subscriberEnded = false;
  private readonly maxBuffered: number;

  constructor(
    private readonly clock: Clock,
    options: CoapObservationOptions = {},
  ) {
    this.maxBuffered = options.maxBuffered ?? 32;
    this.response = new Promise((resolve, reject) => {
      this.resolveFirst = resolve;
      this.rejectFirst = reject;
    });
    this.response.catch(() => undefined); // also surfaced through the iterator
  }

  /** Connects the exchange layer's handle (done by the endpoint). */
  attach(control: ObservationControl): void {
    this.control = control;
  }

  /** True once the relation ended (final response, cancel, error). */
  get isEnded(): boolean {
    return this.ended;
  }

  /** Active cancel (RFC 7641 3.6): deregisters with the server; resolves when done. */
  async cancel(): Promise<void> {
    if (this.ended) return;
    await this.control?.cancel();
    this.onEnd();
  }

  /** Passive cancel (RFC 7641 3.6): forgets the relation; the server's next notification gets RST. */
  forget(): void {
    if (this.ended) return;
    this.control?.forget();
    this.onEnd();
  }

  /** The error the relation ended with (e.g. a timeout of its active cancel); undefined while live or after a clean end. */
  get endedWith(): Error | undefined {
    return this.endError;
  }

  /**
   * Moves the relation to `peer` (the remote's address changed, e.g. NAT rebinding): its
   * notifications are matched from `peer` only, and an active cancel goes there. False when ended.
   */
  rebind(peer: Peer): boolean {
    if (this.ended) return false;
    return this.control?.rebind?.(peer) ?? false;
  }

  /** Sink side: a response of the relation (called by the exchange layer). */
  onNotification(response: CoapResponse, observe: number | undefined): void {
    if (this.ended) return;
    const now = this.clock.now();
    if (observe !== undefined) {
      if (this.lastSeq >= 0 && !isFresher(this.lastSeq, this.lastAt, observe, now)) {
        this.dropped++;
        return;
      }
      this.lastSeq = observe;
      this.lastAt = now;
    }
    if (!this.gotFirst) {
      this.gotFirst = true;
      this.resolveFirst(response);
    }
    if (this.subscriber) {
      this.subscriber.onValue(response);
      return;
    }
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w.resolve({ value: response, done: false });
      return;
    }
    if (this.buffer.length >= this.maxBuffered) {
      this.buffer.shift();
      this.dropped++;
    }
    this.buffer.push(response);
  }

  /** Sink side: the relation ended (an error if it failed). */
  onEnd(error?: Error): void {
    if (this.ended) return;
    this.ended = true;
    this.error = error;
    this.endError = error;
    if (!this.gotFirst) this.rejectFirst(error ?? new Error('observation ended before any response'));
    if (this.subscriber) {
      this.error = undefined;
      this.endSubscriber(error);
      return;
    }
    const w = this.waiter;
    this.waiter = undefined;
    if (w && error && this.buffer.length === 0) w.reject(error);
    else if (w) w.resolve({ value: undefined, done: true });
  }

  /**
   * Push mode, instead of iterating: what is buffered is delivered now, then each response as it
   * arrives, without a promise per notification. A server holding thousands of relations uses
   * it: a suspended for-await loop per relation kept every last notification and its waiting
   * promise alive between notifications, long enough to be promoted (measured for issue 4).
   */
  subscribe(subscriber: ObservationSubscriber): void {
    if (this.subscriber || this.waiter) throw new Error('this observation already has a consumer');
    this.subscriber = subscriber;
    for (let r = this.buffer.shift(); r !== undefined; r = this.buffer.shift()) subscriber.onValue(r);
    if (this.ended) {
      const e = this.error;
      this.error = undefined;
      this.endSubscriber(e);
    }
  }

  private endSubscriber(error: Error | undefined): void {
    if (this.subscriberEnded) return;
    this.subscriberEnded = true;
    this.subscriber!.onEnd(error);
  }

  [Symbol.asyncIterator](): AsyncIterator<CoapResponse> {
    return {
      next: () => {
        const value = this.buffer.shift();
        if (value) return Promise.resolve({ value, done: false });
        if (this.ended) {
          const e = this.error;
          this.error = undefined;
          return e ? Promise.reject(e) : Promise.resolve({ value: undefined, done: true });
        }
        return new Promise((resolve, reject) => (this.waiter = { resolve, reject }));
      },
      // Leaving a for-await loop early forgets the relation (passive cancel).
      return: () => {
        this.forget();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
