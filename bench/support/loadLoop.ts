// A closed-loop load generator: keeps `inFlight` operations outstanding for a fixed time and
// records each one's latency. The raw-UDP ceiling and the CoAP figure both run through it, so the
// ratio between them compares protocol stacks, not harnesses.

/** Throughput and latency of one measured run. */
export interface LoadResult {
  readonly operations: number;
  readonly errors: number;
  readonly seconds: number;
  readonly perSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** CPU seconds `cpuProbe` counted during the measured window (NaN without a probe). */
  readonly cpuSeconds: number;
}

/** Options of one run; every run is bounded by `durationMs` plus the last operations' timeout. */
export interface LoadOptions {
  readonly inFlight: number;
  readonly durationMs: number;
  readonly warmupMs: number;
  /** Cumulative CPU seconds of the processes involved, read at the window's start and end. */
  readonly cpuProbe?: () => number;
}

/** The measured part of a run: its length and the CPU the probe counted meanwhile. */
export interface MeasuredWindow {
  readonly seconds: number;
  readonly cpuSeconds: number;
}

/**
 * Waits out the warm-up, then times a window of `durationMs`: `begin` runs right after the CPU
 * probe's first reading and `end` right as the window closes, before its second, so what they
 * count and the CPU beside it cover the same time.
 */
export async function measureWindow(
  options: Pick<LoadOptions, 'warmupMs' | 'durationMs' | 'cpuProbe'>,
  begin: () => void,
  end: () => void,
): Promise<MeasuredWindow> {
  await new Promise((r) => setTimeout(r, options.warmupMs));
  const cpuStart = options.cpuProbe?.() ?? NaN;
  begin();
  const start = performance.now();
  await new Promise((r) => setTimeout(r, options.durationMs));
  end();
  const seconds = (performance.now() - start) / 1000;
  return { seconds, cpuSeconds: (options.cpuProbe?.() ?? NaN) - cpuStart };
}

const quantile = (sorted: Float64Array, q: number): number =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

/** Runs `op` with `inFlight` concurrent loops: a warm-up, then a measured window. */
export async function runLoad(op: () => Promise<void>, options: LoadOptions): Promise<LoadResult> {
  let measuring = false;
  let stop = false;
  let operations = 0;
  let errors = 0;
  // Latencies go into a typed array grown by doubling: its storage is off the JS heap, so the
  // harness itself adds no long-lived objects for the garbage collector to copy around.
  let latencies = new Float64Array(1 << 16);
  const worker = async (): Promise<void> => {
    while (!stop) {
      const t0 = performance.now();
      try {
        await op();
        if (measuring) {
          if (operations === latencies.length) {
            const grown = new Float64Array(latencies.length * 2);
            grown.set(latencies);
            latencies = grown;
          }
          latencies[operations++] = performance.now() - t0;
        }
      } catch {
        if (measuring) errors++;
      }
    }
  };
  const workers = Array.from({ length: options.inFlight }, worker);
  const { seconds, cpuSeconds } = await measureWindow(
    options,
    () => (measuring = true),
    () => (measuring = false),
  );
  stop = true;
  await Promise.all(workers);
  const sorted = latencies.slice(0, operations).sort();
  return {
    operations,
    errors,
    seconds,
    perSec: operations / seconds,
    p50Ms: quantile(sorted, 0.5),
    p99Ms: quantile(sorted, 0.99),
    cpuSeconds,
  };
}
