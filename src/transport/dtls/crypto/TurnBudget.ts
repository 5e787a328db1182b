// Bounds the synchronous public-key work of one event-loop turn (issue 15 benchmark: "does not
// stall the event loop"). libuv hands a busy server up to a few dozen datagrams per poll, and
// inline each may carry an ECDH or ECDSA operation (~25-90 µs, far more when the machine is
// oversubscribed); run together they would delay every timer by all of them. Operations run at
// once while the turn (up to its check phase, where setImmediate callbacks run) has spent less
// than `budgetMs` on them; later ones wait, in order, for the next turns, each of which runs
// another budget's worth, so timers and I/O get their turn in between. The queue is bounded
// (`maxWaiting`): past it a call rejects with CryptoBusyError and the handshake that asked is
// dropped like one the worker pool refuses (the client retransmits later).

import { CryptoBusyError } from './WorkerHandshakeCrypto.js';

export interface TurnBudgetOptions {
  /** Synchronous work per event-loop turn before the next operation waits for a later turn, ms (default 2). */
  readonly budgetMs?: number;
  /** Operations waiting for a later turn at most (default 1 024). */
  readonly maxWaiting?: number;
  /** A monotonic clock, ms (default performance.now; tests). */
  readonly now?: () => number;
}

/** About ten ECDH computations or thirty ECDSA signatures on a quiet core. */
export const DEFAULT_TURN_BUDGET_MS = 2;

export class TurnBudget {
  private readonly budgetMs: number;
  private readonly maxWaiting: number;
  private readonly now: () => number;
  private readonly waiting: (() => void)[] = [];
  private spentMs = 0;
  private turnOpen = false;
  /** Operations that waited for a later turn. */
  deferred = 0;
  /** Calls refused because maxWaiting operations were waiting. */
  busyRejections = 0;

  constructor(options: TurnBudgetOptions = {}) {
    this.budgetMs = options.budgetMs ?? DEFAULT_TURN_BUDGET_MS;
    this.maxWaiting = options.maxWaiting ?? 1024;
    if (!(this.budgetMs >= 0)) throw new RangeError(`budgetMs must be >= 0, got ${this.budgetMs}`);
    this.now = options.now ?? (() => performance.now());
  }

  /** Operations waiting now. */
  get waitingCount(): number {
    return this.waiting.length;
  }

  /** `fn`'s result: computed now while the turn has budget left, else in a later turn. */
  run<T>(fn: () => T): Promise<T> {
    if (this.waiting.length === 0 && this.spentMs < this.budgetMs) {
      try {
        return Promise.resolve(this.timed(fn));
      } catch (e) {
        return Promise.reject(e instanceof Error ? e : new Error(String(e)));
      }
    }
    if (this.waiting.length >= this.maxWaiting) {
      this.busyRejections++;
      return Promise.reject(new CryptoBusyError(this.maxWaiting));
    }
    this.deferred++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.push(() => {
        try {
          resolve(this.timed(fn));
        } catch (e) {
          reject(e instanceof Error ? e : new Error(String(e)));
        }
      });
      this.openTurn();
    });
  }

  private timed<T>(fn: () => T): T {
    this.openTurn();
    const start = this.now();
    try {
      return fn();
    } finally {
      this.spentMs += this.now() - start;
    }
  }

  /** Ends the turn at its check phase: a fresh budget, spent first on what waits. */
  private openTurn(): void {
    if (this.turnOpen) return;
    this.turnOpen = true;
    setImmediate(() => {
      this.turnOpen = false;
      this.spentMs = 0;
      // at least one per turn, so a zero budget (or one operation longer than it) still progresses
      if (this.waiting.length > 0) this.waiting.shift()!();
      while (this.waiting.length > 0 && this.spentMs < this.budgetMs) this.waiting.shift()!();
      if (this.waiting.length > 0) this.openTurn(); // the rest: next turn, after timers and I/O
    });
  }
}
