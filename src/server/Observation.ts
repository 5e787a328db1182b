// LwM2M Core TS 1.1.1 section 5.5 (Observe, Observe-Composite, Cancel Observation) with RFC 7641
// section 3.6 (passive and active cancel): the handle a server user holds on one observation.
// It is an async iterable of decoded notifications (STYLE.md 12): the first value is the content
// of the client's answer to the Observe, then each notification. A slow consumer loses the
// oldest buffered notifications first (bounded buffer).
import type {
  CompositeContentResponse,
  ContentResponse,
  Notification,
  ResponseBase,
} from '../lwm2m/responses.js';
import type { ObservationRecord } from '../store/ObservationStore.js';
import type { SendOptions } from './DownlinkSender.js';

/**
 * How to cancel: passive (forget; the next notification is answered with RST) or active (GET
 * with Observe=1). An active cancel is a downlink request: for a sleeping Queue Mode client it
 * waits in the client's queue (Core TS 6.5), bounded by `timeoutMs`, `signal` and `queue` as any
 * request is.
 */
export interface CancelOptions extends SendOptions {
  readonly active?: boolean;
}

const ENDED: ResponseBase = { code: 0, ok: true };

/** One observation as its user sees it. */
export class Observation implements AsyncIterable<Notification> {
  /** The client's answer to the Observe request (typed; `ok: false` when refused or failed). */
  readonly response: Promise<ContentResponse | CompositeContentResponse>;
  /** The stored record, once the client accepted the observation. */
  record: ObservationRecord | undefined;
  /** Notifications dropped because the consumer was too slow. */
  dropped = 0;
  private resolveResponse!: (r: ContentResponse | CompositeContentResponse) => void;
  private readonly buffer: Notification[] = [];
  private waiter: ((r: IteratorResult<Notification>) => void) | undefined;
  private ended = false;
  private canceller: ((options: CancelOptions) => Promise<ResponseBase>) | undefined;

  /** `maxBuffered` 0: notifications reach only an iterator already waiting (and the server's event). */
  constructor(private readonly maxBuffered = 32) {
    this.response = new Promise((resolve) => (this.resolveResponse = resolve));
  }

  /** True once the observation ended (refused, cancelled, de-registered, or ended by the client). */
  get isEnded(): boolean {
    return this.ended;
  }

  /**
   * Ends the observation at once (no notification reaches this handle afterwards);
   * `{ active: true }` also tells the client (RFC 7641 3.6). Resolves with the outcome: `ok` once
   * done (for an active cancel: the client answered), or a local failure of the active cancel
   * ('timeout', 'deregistered', 'sleeping' with `queue: false`, 'cancelled').
   */
  async cancel(options: CancelOptions = {}): Promise<ResponseBase> {
    if (this.ended) return ENDED;
    const c = this.canceller;
    this.end();
    return c ? c(options) : ENDED;
  }

  /** Service side: the answer to the Observe arrived; `cancel` ends the relation. */
  accepted(
    response: ContentResponse | CompositeContentResponse,
    record: ObservationRecord,
    cancel: (options: CancelOptions) => Promise<ResponseBase>,
  ): void {
    this.record = record;
    this.canceller = cancel;
    this.resolveResponse(response);
  }

  /** Service side: the Observe was refused or failed; the iteration ends at once. */
  refused(response: ContentResponse | CompositeContentResponse): void {
    this.resolveResponse(response);
    this.end();
  }

  /** Service side: a decoded notification. */
  push(n: Notification): void {
    if (this.ended) return;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w({ value: n, done: false });
      return;
    }
    if (this.maxBuffered <= 0) return;
    if (this.buffer.length >= this.maxBuffered) {
      this.buffer.shift();
      this.dropped++;
    }
    this.buffer.push(n);
  }

  /** Service side: no more notifications. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.canceller = undefined;
    const w = this.waiter;
    this.waiter = undefined;
    w?.({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterator<Notification> {
    return {
      next: () => {
        const value = this.buffer.shift();
        if (value) return Promise.resolve({ value, done: false });
        if (this.ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => (this.waiter = resolve));
      },
      // Leaving a for-await loop early cancels passively.
      return: async () => {
        await this.cancel();
        return { value: undefined, done: true };
      },
    };
  }
}
