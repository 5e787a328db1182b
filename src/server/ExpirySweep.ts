// LwM2M Core TS 1.1.1 section 6.2.2 (a registration lives `lifetime` seconds after its last
// Register or Update; the server then removes it): one periodic sweep over the store's expiry
// index, never a timer per registration, so 100k clients cost one timer. A registration expires
// once `expiresAt + graceMs` has passed (see Lwm2mServerConfig.expiryGraceMs). The sweep's timer
// runs on the monotonic clock; `expiresAt` is wall-clock time (stored records, DESIGN.md), so a
// registration whose lifetime passed while the server was down goes at the first sweep.
import type { Clock, TimerHandle, WallClock } from '../coap/Clock.js';
import type { RegistrationStore } from '../store/RegistrationStore.js';
import type { RegistrationEndedEvent } from './Lwm2mServerEvents.js';

/** Settings of an ExpirySweep. */
export interface ExpirySweepOptions {
  readonly store: RegistrationStore;
  /** Times the sweep. */
  readonly clock: Clock;
  /** The clock `expiresAt` is on. */
  readonly wallClock: WallClock;
  readonly graceMs: number;
  readonly intervalMs: number;
  /** Registrations removed per store call (keeps one sweep's pause short). Default 1 000. */
  readonly batch?: number;
  readonly onExpired: (e: RegistrationEndedEvent) => void;
  readonly onError: (e: Error) => void;
}

/** Removes expired registrations every `intervalMs`. */
export class ExpirySweep {
  private timer: TimerHandle | undefined;
  private running = false;
  private stopped = true;

  constructor(private readonly options: ExpirySweepOptions) {}

  /** Starts sweeping (idempotent). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.arm();
  }

  /** Stops sweeping; a sweep under way finishes its current batch. */
  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
  }

  /** Runs one sweep now; resolves with the number of registrations removed. */
  async sweep(): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    const { store, wallClock, graceMs } = this.options;
    const batch = this.options.batch ?? 1_000;
    let removed = 0;
    try {
      for (;;) {
        const next = await store.nextExpiry();
        if (next === undefined || wallClock.now() <= next + graceMs) break;
        const results = await store.removeExpired(wallClock.now(), graceMs, batch);
        for (const r of results) {
          if (!r.removed) continue;
          removed++;
          this.options.onExpired({ registration: r.removed, droppedObservations: r.droppedObservations });
        }
        if (results.length < batch) break;
      }
    } catch (e) {
      this.options.onError(e instanceof Error ? e : new Error(String(e)));
    } finally {
      this.running = false;
    }
    return removed;
  }

  private arm(): void {
    if (this.stopped) return;
    this.timer = this.options.clock.setTimer(this.options.intervalMs, () => {
      this.timer = undefined;
      this.arm();
      void this.sweep();
    });
  }
}
