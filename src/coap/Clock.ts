// Time as an input (STYLE.md 5): timer-heavy logic takes a Clock so tests advance time by hand.
import { randomFillSync } from 'node:crypto';

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

/**
 * Wall-clock time for what is stored (DESIGN.md, Persistence): ms since 1970, comparable across
 * restarts, unlike Clock.now(), which only times timers. Tests pass a ManualClock as both.
 */
export interface WallClock {
  /** Milliseconds since 1970-01-01T00:00:00Z. */
  now(): number;
}

/** The real wall clock: Date.now(). */
export const systemWallClock: WallClock = { now: () => Date.now() };

/** Node's longest timer, ms (2^31 - 1, about 24.8 days): a longer setTimeout fires after 1 ms. */
const MAX_TIMEOUT_MS = 0x7fff_ffff;

/** The real clock: performance.now() and unref'd Node timers (they never hold the process open). */
export const systemClock: Clock = {
  now: () => performance.now(),
  setTimer(ms, fn) {
    if (ms > MAX_TIMEOUT_MS) return longTimer(ms, fn);
    const t = setTimeout(fn, ms);
    t.unref();
    return { cancel: () => clearTimeout(t) };
  },
};

/** A delay past MAX_TIMEOUT_MS (e.g. the Update of a 30-day registration lifetime) as a chain of timers. */
function longTimer(ms: number, fn: () => void): TimerHandle {
  let t: ReturnType<typeof setTimeout>;
  const arm = (left: number): void => {
    t = setTimeout(
      left > MAX_TIMEOUT_MS ? () => arm(left - MAX_TIMEOUT_MS) : fn,
      Math.min(left, MAX_TIMEOUT_MS),
    );
    t.unref();
  };
  arm(ms);
  return { cancel: () => clearTimeout(t) };
}

/** Randomness as an input: returns a float in [0, 1). */
export type RandomSource = () => number;

const pool = new Uint32Array(1024);
let poolNext = pool.length;

/**
 * The default RandomSource: floats in [0, 1) drawn from a crypto.randomFillSync pool (refilled
 * 4 KiB at a time). Tokens and message IDs must be hard to guess for an off-path attacker on an
 * unsecured transport (RFC 7252 sections 5.3.1 and 11.4); Math.random's output is predictable.
 */
export const cryptoRandom: RandomSource = () => {
  if (poolNext === pool.length) {
    randomFillSync(pool);
    poolNext = 0;
  }
  return pool[poolNext++]! / 0x1_0000_0000;
};
