// `npm run bench -- server --store both`: the server benchmark on the memory store, then on SQLite
// (issue 14 benchmark), each in its own server child, back to back in one run; then the SQLite
// restart-to-ready with --restart-registrations N (default 100 000, with one observation each;
// --no-restart skips it). Prints registrations/s of each and their ratio (target ≥ 0.8), the
// server CPU per registration of each (steadier than rates on a loaded machine), reads/s of each
// (target: unchanged), bytes on disk per registration, and restart-to-ready (target ≤ 5 s).
import { measureRestart, type RestartResult } from '../restart.js';

/** The JSON object of one store's run of the server benchmark (bench/server.ts). */
export interface ServerBenchResult {
  readonly store: 'memory' | 'sqlite';
  /** The 1-minute load average when the run started and when it ended (a busy machine shows). */
  readonly loadAverage: { readonly atStart: number; readonly atEnd: number };
  readonly registrationsPerSec: number;
  readonly registrationErrors: number;
  readonly registrationServerCpuUs: number;
  readonly readsPerSec: number;
  readonly readServerCpuUs: number;
  readonly udpCeilingPerSec: number;
  /** Which echo server the ceiling rounds ran against: batched (native/udp.c) or dgram. */
  readonly ceilingEcho: string;
  /** Median rate of each echo server over the ceiling rounds. */
  readonly ceilingPerEcho: Readonly<Record<string, number>>;
  readonly ratios: { readonly registrations: number; readonly reads: number; readonly notifications: number };
  readonly bytesOnDiskPerRegistration?: number;
  readonly writesPerBatch?: number;
  readonly [key: string]: unknown;
}

function option(args: readonly string[], name: string, fallback: number): number {
  const at = args.indexOf(name);
  const value = at >= 0 ? Number(args[at + 1]) : fallback;
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
}

const ratio = (a: number, b: number): number => Number((a / b).toFixed(3));

/** Runs both stores through `runOne`, then the restart, and prints the comparison (a JSON line last with --json). */
export async function compareStores(
  args: readonly string[],
  runOne: (store: 'memory' | 'sqlite') => Promise<ServerBenchResult>,
): Promise<void> {
  const log = (s: string): void =>
    void (args.includes('--json') ? process.stderr : process.stdout).write(`${s}\n`);
  const memory = await runOne('memory');
  const sqlite = await runOne('sqlite');
  let restart: RestartResult | undefined;
  if (!args.includes('--no-restart')) {
    const count = option(args, '--restart-registrations', 100_000);
    log(`\nrestart-to-ready: filling a data file with ${count} registrations and observations…`);
    restart = await measureRestart(count, true);
  }
  const comparison = {
    registrations: ratio(sqlite.registrationsPerSec, memory.registrationsPerSec),
    registrationsToCeiling: ratio(sqlite.ratios.registrations, memory.ratios.registrations),
    registrationServerCpu: ratio(memory.registrationServerCpuUs, sqlite.registrationServerCpuUs),
    reads: ratio(sqlite.readsPerSec, memory.readsPerSec),
    readsToCeiling: ratio(sqlite.ratios.reads, memory.ratios.reads),
  };
  const row = (name: string, m: number | string, s: number | string, r: string): void =>
    log(`${name.padEnd(40)} ${String(m).padStart(9)} ${String(s).padStart(9)} ${r}`);
  log(`\nmemory beside SQLite (synchronous=FULL), one run, one after the other`);
  row('measurement', 'memory', 'sqlite', 'sqlite / memory');
  row(
    'registrations/s',
    memory.registrationsPerSec,
    sqlite.registrationsPerSec,
    `${comparison.registrations} (target ≥ 0.8; ${comparison.registrationsToCeiling} each to its UDP ceiling)`,
  );
  row(
    'server CPU µs per registration',
    memory.registrationServerCpuUs,
    sqlite.registrationServerCpuUs,
    `${comparison.registrationServerCpu} (memory's CPU / SQLite's)`,
  );
  row(
    'reads/s',
    memory.readsPerSec,
    sqlite.readsPerSec,
    `${comparison.reads} (target ≈ 1; ${comparison.readsToCeiling} each to its UDP ceiling)`,
  );
  row('server CPU µs per read', memory.readServerCpuUs, sqlite.readServerCpuUs, '');
  row('registration errors', memory.registrationErrors, sqlite.registrationErrors, '');
  log(
    `SQLite: ${sqlite.bytesOnDiskPerRegistration} bytes on disk per registration (file and log, after a checkpoint), ` +
      `${sqlite.writesPerBatch} writes per batch`,
  );
  if (restart)
    log(
      `restart-to-ready with ${restart.registrations} registrations and ${restart.observations} observations: ` +
        `${restart.restartToReadyMs} ms (target ≤ 5000; file loaded in ${restart.loadMs} ms), ` +
        `${restart.bytesOnDiskPerRegistration} bytes on disk per registration with its observation`,
    );
  if (args.includes('--json'))
    console.log(JSON.stringify({ benchmark: 'server', stores: { memory, sqlite }, comparison, restart }));
}
