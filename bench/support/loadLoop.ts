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
}

/** Options of one run; every run is bounded by `durationMs` plus the last operations' timeout. */
export interface LoadOptions {
  readonly inFlight: number;
  readonly durationMs: number;
  readonly warmupMs: number;
}

const quantile = (sorted: Float64Array, q: number): number =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

/** Runs `op` with `inFlight` concurrent loops: a warm-up, then a measured window. */
export async function runLoad(op: () => Promise<void>, options: LoadOptions): Promise<LoadResult> {
  let measuring = false;
  let stop = false;
  let operations = 0;
  let errors = 0;
  const latencies: number[] = [];
  const worker = async (): Promise<void> => {
    while (!stop) {
      const t0 = performance.now();
      try {
        await op();
        if (measuring) {
          operations++;
          latencies.push(performance.now() - t0);
        }
      } catch {
        if (measuring) errors++;
      }
    }
  };
  const workers = Array.from({ length: options.inFlight }, worker);
  await new Promise((r) => setTimeout(r, options.warmupMs));
  measuring = true;
  const start = performance.now();
  await new Promise((r) => setTimeout(r, options.durationMs));
  measuring = false;
  const seconds = (performance.now() - start) / 1000;
  stop = true;
  await Promise.all(workers);
  const sorted = Float64Array.from(latencies).sort();
  return {
    operations,
    errors,
    seconds,
    perSec: operations / seconds,
    p50Ms: quantile(sorted, 0.5),
    p99Ms: quantile(sorted, 0.99),
  };
}
