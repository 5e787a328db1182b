// `npm run bench -- server --store paired [--rounds N] [--round-registrations R] [--in-flight K]`:
// the registration rate of SQLite beside memory (issue 14 target: ≥ 0.8) measured so that a
// shared, loaded machine disturbs both alike: one server child per store, alive together, and
// alternating rounds of R Registers of new clients (the order flips each round). Prints each
// round's rates and server CPU per Register, and the medians of the per-round ratios.
import { openClients } from './openClients.js';
import { runEach } from './runEach.js';
import type { ServerChild } from './startServerChild.js';
import { startServerChild } from './startServerChild.js';

const WARMUP = 4_000;
/** A round may take at most this long (every loop is bounded in time). */
const ROUND_MAX_MS = 60_000;
/** Client indexes start past those of the other server benchmarks' clients. */
const FIRST_CLIENT = 200_000;

function flag(args: readonly string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  const v = i < 0 ? NaN : Number(args[i + 1]);
  return Number.isInteger(v) && v > 0 ? v : fallback;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function startStore(store: 'memory' | 'sqlite'): Promise<ServerChild> {
  process.env.BENCH_SERVER_STORE = store;
  return startServerChild();
}

/** One round: `count` new clients register once; the rate and the server's CPU per Register. */
async function round(
  server: ServerChild,
  from: number,
  count: number,
  inFlight: number,
): Promise<{ perSec: number; cpuUs: number; errors: number }> {
  // No echo rounds here: the echo port is never used.
  const clients = await openClients({ serverPort: server.port }, from, from + count);
  try {
    const cpu0 = await server.ask({ kind: 'cpu' });
    const r = await runEach(clients, inFlight, (c) => c.register(), ROUND_MAX_MS);
    const cpu1 = await server.ask({ kind: 'cpu' });
    return { perSec: r.done / r.seconds, cpuUs: (cpu1 - cpu0) / Math.max(1, r.done), errors: r.errors };
  } finally {
    for (const c of clients) c.close();
  }
}

/** Runs the paired rounds and prints the comparison (a JSON line last with --json). */
export async function pairedStores(args: readonly string[]): Promise<void> {
  const rounds = flag(args, '--rounds', 12);
  const perRound = flag(args, '--round-registrations', 5_000);
  const inFlight = flag(args, '--in-flight', 64);
  const log = (s: string): void =>
    void (args.includes('--json') ? process.stderr : process.stdout).write(`${s}\n`);
  const stores = ['memory', 'sqlite'] as const;
  const servers: ServerChild[] = [];
  try {
    for (const store of stores) servers.push(await startStore(store));
    let next = FIRST_CLIENT;
    for (const server of servers) {
      // JIT warm-up of the registration path, de-registered again.
      const warm = await openClients({ serverPort: server.port }, next, next + WARMUP);
      next += WARMUP;
      await runEach(warm, inFlight, (c) => c.register(), ROUND_MAX_MS);
      await runEach(warm, inFlight, (c) => c.deregister(), ROUND_MAX_MS);
      for (const c of warm) c.close();
    }
    const results = stores.map(() => ({ perSec: [] as number[], cpuUs: [] as number[], errors: 0 }));
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 === 0 ? [0, 1] : [1, 0];
      for (const k of order) {
        const one = await round(servers[k]!, next, perRound, inFlight);
        next += perRound;
        results[k]!.perSec.push(one.perSec);
        results[k]!.cpuUs.push(one.cpuUs);
        results[k]!.errors += one.errors;
      }
      log(
        `  round ${r + 1}: memory ${Math.round(results[0]!.perSec[r]!)}/s ${results[0]!.cpuUs[r]!.toFixed(1)} µs, ` +
          `sqlite ${Math.round(results[1]!.perSec[r]!)}/s ${results[1]!.cpuUs[r]!.toFixed(1)} µs`,
      );
    }
    const [memory, sqlite] = results as [(typeof results)[0], (typeof results)[0]];
    const rateRatio = median(sqlite.perSec.map((s, i) => s / memory.perSec[i]!));
    const cpuRatio = median(sqlite.cpuUs.map((s, i) => memory.cpuUs[i]! / s));
    log(`\nSQLite beside memory: ${rounds} paired rounds of ${perRound} Registers, ${inFlight} in flight`);
    log(
      `registrations/s: memory ${Math.round(median(memory.perSec))}, sqlite ${Math.round(median(sqlite.perSec))} ` +
        `(medians); per-round ratio median ${rateRatio.toFixed(3)} (target ≥ 0.8)`,
    );
    log(
      `server CPU µs per Register: memory ${median(memory.cpuUs).toFixed(1)}, sqlite ${median(sqlite.cpuUs).toFixed(1)}; ` +
        `per-round ratio (memory / sqlite) median ${cpuRatio.toFixed(3)}; errors ${memory.errors} / ${sqlite.errors}`,
    );
    if (args.includes('--json'))
      console.log(
        JSON.stringify({
          benchmark: 'server-paired',
          rounds,
          perRound,
          inFlight,
          memory: { perSec: memory.perSec.map(Math.round), cpuUs: memory.cpuUs, errors: memory.errors },
          sqlite: { perSec: sqlite.perSec.map(Math.round), cpuUs: sqlite.cpuUs, errors: sqlite.errors },
          ratios: { registrations: Number(rateRatio.toFixed(3)), serverCpu: Number(cpuRatio.toFixed(3)) },
        }),
      );
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}
