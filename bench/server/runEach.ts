// A count- and time-bounded load loop over a list (the server benchmark's registrations and
// observes): at most `inFlight` operations outstanding, each item at most once.

/** Counts of one bounded run. */
export interface BoundedRun {
  readonly done: number;
  readonly errors: number;
  readonly seconds: number;
}

/**
 * Runs `op` once per item of `items` with at most `inFlight` outstanding, stopping early after
 * `maxMs` (every load loop is bounded in count and in time).
 */
export async function runEach<T>(
  items: readonly T[],
  inFlight: number,
  op: (item: T) => Promise<void>,
  maxMs: number,
): Promise<BoundedRun> {
  let next = 0;
  let done = 0;
  let errors = 0;
  const start = performance.now();
  const deadline = start + maxMs;
  const worker = async (): Promise<void> => {
    while (next < items.length && performance.now() < deadline) {
      const item = items[next++]!;
      try {
        await op(item);
        done++;
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, items.length) }, worker));
  return { done, errors, seconds: (performance.now() - start) / 1000 };
}
