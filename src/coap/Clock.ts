// Time as an input (STYLE.md 5): timer-heavy logic takes a Clock so tests advance time by hand.

/** A cancellable timer handle. */
export interface TimerHandle {
  cancel(): void;
}

/** Current time and one-shot timers. */
export interface Clock {
  /** Milliseconds since an arbitrary epoch (monotonic for the system clock). */
  now(): number;
  /** Runs `fn` once after `ms` milliseconds unless cancelled. */
  setTimer(ms: number, fn: () => void): TimerHandle;
}

/** The real clock: performance.now() and unref'd Node timers (they never hold the process open). */
export const systemClock: Clock = {
  now: () => performance.now(),
  setTimer(ms, fn) {
    const t = setTimeout(fn, ms);
    t.unref();
    return { cancel: () => clearTimeout(t) };
  },
};

/** Randomness as an input: returns a float in [0, 1). */
export type RandomSource = () => number;
