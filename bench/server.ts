// `npm run bench -- server [--clients N] [--sweep M] [--window W] [--in-flight K]
// [--payload-clients P] [--secured S] [--store sqlite|memory|both|paired] [--json]`:
// the LwM2M server at scale (issue 4). One Lwm2mServer runs in a child process
// (bench/server/serverChild.ts); this process simulates the clients in raw CoAP, each on its own
// loopback (address, port) (bench/server/openClients.ts explains the socket design). Measured:
//  - Registrations/s (Core TS 6.2.1) in windows of W up to M registered clients (flatness);
//  - server-initiated Reads/s (5.4.1) round-robin across the N open clients;
//  - confirmable notifications (5.5 / RFC 7641 4.2) ACKed/s and ingested/s across N observations;
//  - server RSS and heap per registered client at N and M (after GC, diffed from a baseline);
//  - the same per registration for P clients registering a realistic 1 kB and a large 60 kB
//    payload (issue 12: bytes kept per registration), and the event-loop delay p99 of the server
//    during each phase (registrations, reads, notifications, each payload size);
//  - reads over DTLS PSK across S clients (default 1 000; 0: none) as a ratio of plain reads
//    across as many, in alternating rounds (issue 17 item 4, server/securedReads.ts);
//  - with every registration of the sweep held: the expiry sweep idle and removing 10k expired
//    clients at once, and GET /api/clients pages (server/sweepFigures.ts);
//  - the raw UDP ceiling (issue 17): echo round trips at the same concurrency from a generator as
//    lean as a dgram client can be (support/udpEchoLoad.ts), against a node:dgram echo and the
//    batched echo servers now use (the faster of the two each round), checked against a tiny
//    standalone echo run before and after (support/minimalDgramEcho.ts). The store defaults to
//    SQLite, as `lwm2m server` does. The machine is shared and its load drifts, so each figure is compared with
//    ceiling rounds measured beside it: one after each registration window, and one beside each
//    of the 3 rounds of reads and of notifications (alternating order); medians are reported.
import { loadavg } from 'node:os';
import { startChild } from './support/childProcess.js';
import { runCallbackLoad, type StartOperation } from './support/callbackLoad.js';
import { SimHub } from './support/SimHub.js';
import { measureMinimalEcho } from './support/minimalDgramEcho.js';
import { startUdpEchoLoadChild } from './support/udpEchoLoadChild.js';
import {
  ADDRESSES,
  closeHubs,
  openClients,
  openFileLimit,
  simulatorSockets,
  sourceOf,
} from './server/openClients.js';
import { runEach } from './server/runEach.js';
import type { SimulatedClient, SimTargets } from './server/SimulatedClient.js';
import type { MemorySample } from './server/serverControl.js';
import { startServerChild, type ServerChild } from './server/startServerChild.js';
import { registerPayload } from './server/registerPayload.js';
import { compareStores, type ServerBenchResult } from './server/compareStores.js';
import { pairedStores } from './server/pairedStores.js';
import { sweepFigures, type SweepFigures } from './server/sweepFigures.js';
import { securedReads, type SecuredReadsResult } from './server/securedReads.js';

const WARMUP_REGISTRATIONS = 10_000;
/** Ceiling rounds: one after each registration window, one beside each measured round. */
const CEILING_MS = 1_000;
/** Reads and notifications: rounds alternating with ceiling rounds, medians reported. */
const ROUNDS = 3;
const ROUND_MS = 2_000;
const LOAD_WARMUP_MS = 1_000;
/** Registrations that expire together in the --sweep epilogue (bench/server/sweepFigures.ts). */
const EXPIRING = 10_000;
/** A registration window may take at most this long (every loop is bounded in time). */
const WINDOW_MAX_MS = 60_000;

function flag(args: readonly string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  const v = i < 0 ? NaN : Number(args[i + 1]);
  return Number.isFinite(v) && v > 0 ? Math.floor(v) : fallback;
}

/** One registration window: clients registered in it and the time their exchanges took. */
interface Window {
  readonly upTo: number;
  readonly done: number;
  readonly errors: number;
  readonly perSec: number;
  /** The raw UDP ceiling measured right after this window. */
  readonly ceilingPerSec: number;
  /** Server CPU per registration: flat when the registration path is O(1), whatever the machine load. */
  readonly serverCpuUs: number;
}

/** Share of one core each process used while `fn` ran (server child, and this simulator). */
interface CpuShare {
  readonly server: number;
  readonly simulator: number;
  /** CPU time the server process used, in microseconds. */
  readonly serverUs: number;
}

async function withCpu<T>(server: ServerChild, fn: () => Promise<T>): Promise<[T, CpuShare]> {
  const s0 = await server.ask({ kind: 'cpu' });
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const wallUs = (performance.now() - t0) * 1000;
  const c1 = process.cpuUsage(c0);
  const s1 = await server.ask({ kind: 'cpu' });
  const serverUs = s1 - s0;
  return [value, { server: serverUs / wallUs, simulator: (c1.user + c1.system) / wallUs, serverUs }];
}

const pct = (c: CpuShare): string =>
  `cpu server ${Math.round(c.server * 100)}%, sim ${Math.round(c.simulator * 100)}%`;

/** Server CPU per operation at `perSec`: steadier than throughput on a shared machine. */
const cpuPerOp = (c: CpuShare, perSec: number): string =>
  `server ${Math.round((c.server * 1e6) / perSec)} µs/op`;

/** The median (the mean of the middle two for an even count). */
function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Registers clients `from`..`to`, in fd-bounded batches; only the exchanges are timed. */
async function registerRange(
  targets: SimTargets,
  open: readonly SimulatedClient[],
  from: number,
  to: number,
  batch: number,
  inFlight: number,
): Promise<{ done: number; errors: number; seconds: number }> {
  let done = 0;
  let errors = 0;
  let seconds = 0;
  for (let a = from; a < to;) {
    const kept = a < open.length;
    const b = kept ? Math.min(to, open.length) : Math.min(to, a + batch);
    const clients = kept ? open.slice(a, b) : await openClients(targets, a, b);
    const r = await runEach(clients, inFlight, (c) => c.register(), WINDOW_MAX_MS);
    if (!kept) for (const c of clients) c.close();
    done += r.done;
    errors += r.errors;
    seconds += r.seconds;
    a = b;
  }
  return { done, errors, seconds };
}

/** A figure measured in rounds, each beside its own ceiling round. */
interface Paired {
  readonly perSec: number;
  readonly ceilingPerSec: number;
  readonly rounds: readonly number[];
  readonly ceilings: readonly number[];
  readonly cpu: CpuShare;
}

/**
 * ROUNDS measured rounds, each next to a ceiling round; the order alternates (ceiling first, then
 * last) so a drift in machine load favours neither. `measure` returns its rate and CPU shares.
 */
async function paired(
  ceiling: () => Promise<number>,
  measure: (round: number) => Promise<[number, CpuShare]>,
): Promise<Paired> {
  const rounds: number[] = [];
  const ceilings: number[] = [];
  const cpus: CpuShare[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    if (round % 2 === 0) ceilings.push(await ceiling());
    const [rate, cpu] = await measure(round);
    rounds.push(rate);
    cpus.push(cpu);
    if (round % 2 === 1) ceilings.push(await ceiling());
  }
  const mid = cpus[rounds.indexOf(median(rounds))] ?? cpus[0]!;
  return { perSec: median(rounds), ceilingPerSec: median(ceilings), rounds, ceilings, cpu: mid };
}

/** Memory the server keeps per registration of `bytes`-byte payloads, and its lag meanwhile. */
interface PayloadPhase {
  readonly bytes: number;
  readonly registered: number;
  readonly errors: number;
  readonly heapPerRegistration: number;
  readonly rssPerRegistration: number;
  readonly lagP99Ms: number;
}

/** Registers clients `from`..`from + count` with a `bytes`-byte payload, samples memory, then de-registers them. */
async function payloadPhase(
  server: ServerChild,
  targets: SimTargets,
  from: number,
  count: number,
  bytes: number,
  inFlight: number,
): Promise<PayloadPhase> {
  const payload = registerPayload(bytes);
  const clients = await openClients(targets, from, from + count, (i) => `payload-${bytes}-${i}`);
  try {
    const before = await server.ask({ kind: 'memory' });
    await server.ask({ kind: 'lag' });
    const r = await runEach(clients, inFlight, (c) => c.register(payload), WINDOW_MAX_MS);
    const lag = await server.ask({ kind: 'lag' });
    const after = await server.ask({ kind: 'memory' });
    const registered = after.registrations - before.registrations;
    await runEach(clients, inFlight, (c) => c.deregister(), WINDOW_MAX_MS);
    const per = (key: 'rss' | 'heapUsed'): number => (after[key] - before[key]) / Math.max(1, registered);
    return {
      bytes: payload.length,
      registered,
      errors: r.errors,
      heapPerRegistration: per('heapUsed'),
      rssPerRegistration: per('rss'),
      lagP99Ms: lag.p99Ms,
    };
  } finally {
    for (const c of clients) c.close();
  }
}

/** Prints the --sweep epilogue: the expiry sweep and REST paging with every registration held. */
function logEpilogue(log: (s: string) => void, e: SweepFigures): void {
  const x = e.expiry;
  log(
    `expiry sweep at ${x.registrations} registrations: idle pass ≤ ${x.idlePassMaxUs.toFixed(0)} µs; ` +
      `${x.expired} expired in ${x.expiredInMs.toFixed(0)} ms (from the clock move, next sweep ≤ 100 ms later), ` +
      `server CPU ${x.cpuMs.toFixed(0)} ms, event-loop lag p99 ${x.lagP99Ms.toFixed(1)} ms (max ${x.lagMaxMs.toFixed(0)})`,
  );
  for (const p of e.pages)
    log(`GET /api/clients?${p.query}: ${p.items} of ${p.total} in ≤ ${p.maxMs.toFixed(0)} ms`);
  log(
    `event-loop lag while paging: p99 ${e.pagingLagP99Ms.toFixed(1)} ms (max ${e.pagingLagMaxMs.toFixed(0)}) (target < 100 ms)`,
  );
}

/** The epilogue for --json: times rounded to 0.1 ms. */
function roundedEpilogue(e: SweepFigures): SweepFigures {
  const r = (v: number): number => Number(v.toFixed(1));
  const x = e.expiry;
  return {
    expiry: {
      ...x,
      idlePassMaxUs: r(x.idlePassMaxUs),
      expiredInMs: r(x.expiredInMs),
      cpuMs: r(x.cpuMs),
      lagP99Ms: r(x.lagP99Ms),
      lagMaxMs: r(x.lagMaxMs),
    },
    pages: e.pages.map((p) => ({ ...p, maxMs: r(p.maxMs) })),
    pagingLagP99Ms: r(e.pagingLagP99Ms),
    pagingLagMaxMs: r(e.pagingLagMaxMs),
  };
}

/** Runs the benchmark and prints a table (and a JSON line with --json); `--store both` compares the stores. */
export async function run(args: readonly string[]): Promise<void> {
  const store = args.includes('--store') ? args[args.indexOf('--store') + 1] : 'sqlite'; // what `lwm2m server` defaults to (src/cli/dataStores.ts)
  if (store === 'both') return compareStores(args, (s) => runStore(args, s, false));
  if (store === 'paired') return pairedStores(args);
  if (store !== 'memory' && store !== 'sqlite')
    throw new Error('--store must be memory, sqlite, both or paired');
  await runStore(args, store, args.includes('--json'));
}

/** The server benchmark on one store; prints its table, and its JSON line when `json`; returns that object. */
async function runStore(
  args: readonly string[],
  store: 'memory' | 'sqlite',
  json: boolean,
): Promise<ServerBenchResult> {
  const fdLimit = openFileLimit();
  const clients = Math.min(flag(args, '--clients', 10_000), fdLimit - 2_000);
  const sweep = Math.max(clients, flag(args, '--sweep', 100_000));
  const window = flag(args, '--window', 10_000);
  const inFlight = flag(args, '--in-flight', 64);
  const batch = Math.min(5_000, fdLimit - clients - 500);
  const log = (s: string): void =>
    void (args.includes('--json') ? process.stderr : process.stdout).write(`${s}\n`);
  // The issue asks for the figures of a quiet machine: the 1-minute load average before and after.
  const loadAtStart = loadavg()[0]!;

  // Two echo servers, a node:dgram one and (where it is built) the batched one servers now bind:
  // each ceiling round runs against both and counts the faster (a slow ceiling flatters us).
  const echoUrl = new URL('./support/udpEchoServer.ts', import.meta.url);
  const echo = await startChild(echoUrl);
  const dgramEcho =
    echo.label === 'batched' ? await startChild(echoUrl, [], 20_000, { BENCH_ECHO: 'dgram' }) : undefined;
  const threadEcho =
    echo.label === 'batched' ? await startChild(echoUrl, [], 20_000, { BENCH_ECHO: 'thread' }) : undefined;
  const echoLoad = await startUdpEchoLoadChild(echo.port, echo.process.pid!);
  const threadEchoLoad = threadEcho
    ? await startUdpEchoLoadChild(threadEcho.port, threadEcho.process.pid!)
    : undefined;
  const dgramEchoLoad = dgramEcho
    ? await startUdpEchoLoadChild(dgramEcho.port, dgramEcho.process.pid!)
    : undefined;
  // --store sqlite: the child keeps its registrations in an SQLite file (issue 14), else memory.
  process.env.BENCH_SERVER_STORE = store;
  // --secured N (default 1 000, 0: none): N clients read over DTLS PSK beside plain reads (securedReads.ts).
  const securedCount =
    args.includes('--secured') && Number(args[args.indexOf('--secured') + 1]) === 0
      ? 0
      : flag(args, '--secured', 1_000);
  process.env.BENCH_SERVER_SECURED = String(securedCount);
  log(`server store: ${store}`);
  const server: ServerChild = await startServerChild();
  const targets: SimTargets = { serverPort: server.port };
  let open: SimulatedClient[] = [];
  try {
    log(`simulated clients: ${simulatorSockets()}`);
    log(`opening ${clients} clients (open-file limit ${fdLimit}, sweep batches of ${batch})…`);
    open = await openClients(targets, 0, clients);
    const allCeilings: number[] = [];
    /** CPU µs the echo server spent per round trip, each ceiling round (the kernel's share of a datagram pair). */
    const echoCpuUs: number[] = [];
    /**
     * Each ceiling round's rate per (generator, echo server) pair, and the fastest counts. The
     * batched generator has the simulator's own sockets (bench/support/SimHub.ts), so the ceiling
     * is never slowed by a generator heavier than the simulator it is compared with.
     */
    const echoLabel = echo.label || 'dgram';
    const pairs = [
      ...(SimHub.unavailable() === undefined
        ? [{ label: `batched generator, ${echoLabel} echo`, load: echoLoad, generator: 'batched' as const }]
        : []),
      ...(SimHub.unavailable() === undefined && threadEchoLoad
        ? [
            {
              label: 'batched generator, batched echo sending on a thread',
              load: threadEchoLoad,
              generator: 'batched' as const,
            },
          ]
        : []),
      { label: `dgram generator, ${echoLabel} echo`, load: echoLoad, generator: 'dgram' as const },
      ...(dgramEchoLoad
        ? [{ label: 'dgram generator, dgram echo', load: dgramEchoLoad, generator: 'dgram' as const }]
        : []),
    ];
    const perEcho: Record<string, number[]> = Object.fromEntries(pairs.map((p) => [p.label, [] as number[]]));
    const ceiling = async (): Promise<number> => {
      const rounds = [];
      for (const { label, load, generator } of pairs) {
        const r = await load.run({ inFlight, warmupMs: 200, durationMs: CEILING_MS, generator });
        perEcho[label]!.push(r.perSec);
        rounds.push(r);
      }
      const r = rounds.reduce((a, b) => (b.perSec > a.perSec ? b : a));
      allCeilings.push(r.perSec);
      echoCpuUs.push((r.cpuSeconds * 1e6) / r.operations);
      return r.perSec;
    };
    const minimalEcho = [await measureMinimalEcho(CEILING_MS)]; // the yardstick of the ceiling
    for (const { load, generator } of pairs)
      // JIT warm-up
      await load.run({ inFlight, warmupMs: 0, durationMs: LOAD_WARMUP_MS, generator });

    // Warm-up, then de-registered so the sweep starts at 0: JIT-compiles the registration path
    // and lets the server's young generation grow to its working size under this load, so the
    // memory baseline is a server that has served traffic and the per-client figures are the
    // cost of holding registrations, not a one-off heap growth.
    for (let a = sweep; a < sweep + WARMUP_REGISTRATIONS; a += batch) {
      const b = Math.min(sweep + WARMUP_REGISTRATIONS, a + batch);
      const warm = await openClients(targets, a, b, (i) => `warm-${i}`);
      await runEach(warm, inFlight, (c) => c.register(), WINDOW_MAX_MS);
      await runEach(warm, inFlight, (c) => c.deregister(), WINDOW_MAX_MS);
      for (const c of warm) c.close();
    }
    const baseline = await server.ask({ kind: 'memory' });
    await server.ask({ kind: 'lag' }); // a new lag phase: the registration sweep
    await server.ask({ kind: 'profile', action: 'start' });

    const windows: Window[] = [];
    const memory = new Map<number, MemorySample>();
    let total = { done: 0, errors: 0, seconds: 0, serverUs: 0, simulatorShare: 0, serverShare: 0 };
    for (let from = 0; from < sweep; from += window) {
      const to = Math.min(sweep, from + window);
      // A window ends where the open clients end, so memory is sampled at exactly N.
      const stops = from < clients && clients < to ? [clients, to] : [to];
      let start = from;
      const w = { done: 0, errors: 0, seconds: 0, serverUs: 0 };
      let cpu: CpuShare | undefined;
      for (const stop of stops) {
        const s0 = await server.ask({ kind: 'store' });
        const [r, c] = await withCpu(server, () =>
          registerRange(targets, open, start, stop, batch, inFlight),
        );
        const s1 = await server.ask({ kind: 'store' });
        if (s0 && s1)
          log(
            `    store: ${s1.writes - s0.writes} writes in ${s1.batches - s0.batches} batches, ${s1.syncs - s0.syncs} syncs, ${s1.checkpoints - s0.checkpoints} checkpoints`,
          );
        cpu = c;
        w.serverUs += c.serverUs;
        w.done += r.done;
        w.errors += r.errors;
        w.seconds += r.seconds;
        if (stop === clients) memory.set(clients, await server.ask({ kind: 'memory' }));
        start = stop;
      }
      const ceilingPerSec = await ceiling();
      windows.push({
        upTo: to,
        done: w.done,
        errors: w.errors,
        perSec: w.done / w.seconds,
        ceilingPerSec,
        serverCpuUs: w.serverUs / w.done,
      });
      total = {
        done: total.done + w.done,
        errors: total.errors + w.errors,
        seconds: total.seconds + w.seconds,
        serverUs: total.serverUs + w.serverUs,
        serverShare: cpu!.server,
        simulatorShare: cpu!.simulator,
      };
      log(
        `  registered ${to}: ${Math.round(w.done / w.seconds)}/s, ceiling ${Math.round(ceilingPerSec)}/s, ` +
          `server ${Math.round(w.serverUs / w.done)} µs CPU each (${w.errors} errors, ${pct(cpu!)})`,
      );
    }
    await server.ask({ kind: 'profile', action: 'stop', name: 'registrations' });
    const registrationLag = await server.ask({ kind: 'lag' });
    memory.set(sweep, await server.ask({ kind: 'memory' }));
    // The data file holding the sweep, its log checkpointed into it (SQLite only).
    const disk = await server.ask({ kind: 'store', checkpoint: true });

    log(`reads across ${clients} clients…`);
    await server.ask({ kind: 'lag' });
    let readErrors = 0;
    const readP99s: number[] = [];
    const reads = await paired(ceiling, async (round) => {
      const [r, cpu] = await withCpu(server, () =>
        server.ask({
          kind: 'reads',
          clients,
          inFlight,
          warmupMs: round === 0 ? LOAD_WARMUP_MS : 200,
          durationMs: ROUND_MS,
        }),
      );
      readErrors += r.errors;
      readP99s.push(r.p99Ms);
      return [r.perSec, cpu];
    });

    const readLag = await server.ask({ kind: 'lag' });
    const readP99 = median(readP99s);

    let secured: SecuredReadsResult | undefined;
    if (securedCount > 0) {
      log(
        `${securedCount} clients over DTLS PSK: handshakes, registrations, then reads paired with plain reads…`,
      );
      secured = await securedReads(server, securedCount, inFlight);
    }

    log(`observing ${clients} clients…`);
    const observed = await server.ask({ kind: 'observe', clients, inFlight });
    const notifiers = open.filter((c) => c.observed);
    let n = 0;
    // Driven like the ceiling's generator, from each ACK's callback (no promise per notification).
    const notifyOp: StartOperation = (done) => notifiers[n++ % notifiers.length]!.startNotify(done);
    await runCallbackLoad(notifyOp, { inFlight, warmupMs: 0, durationMs: LOAD_WARMUP_MS });
    let noteErrors = 0;
    const ingested: number[] = [];
    let warnings = 0;
    const notes = await paired(ceiling, async (round) => {
      const before = await server.ask({ kind: 'notifications' });
      await server.ask({ kind: 'profile', action: 'start' });
      const [r, cpu] = await withCpu(server, () =>
        runCallbackLoad(notifyOp, { inFlight, warmupMs: 0, durationMs: ROUND_MS }),
      );
      await server.ask({ kind: 'profile', action: 'stop', name: `notifications-${round}` });
      const after = await server.ask({ kind: 'notifications' });
      // Includes the few notifications still in flight when the window closed.
      ingested.push((after.ingested - before.ingested) / r.seconds);
      warnings = after.warnings;
      noteErrors += r.errors;
      return [r.perSec, cpu];
    });
    const notificationLag = await server.ask({ kind: 'lag' });
    const ingestedPerSec = median(ingested);

    const payloadClients = Math.min(flag(args, '--payload-clients', 2_000), batch);
    const phases: PayloadPhase[] = [];
    for (const [k, bytes] of [1024, 60 * 1024].entries()) {
      log(`${payloadClients} registrations with a ${bytes >> 10} kB payload…`);
      const from = sweep + WARMUP_REGISTRATIONS + k * payloadClients;
      phases.push(await payloadPhase(server, targets, from, payloadClients, bytes, inFlight));
    }

    log(`epilogue at ${sweep} registrations: ${EXPIRING} expiring, the expiry sweep, REST paging…`);
    const epilogueFrom = sweep + WARMUP_REGISTRATIONS + 2 * payloadClients;
    const epilogue = await sweepFigures(server, targets, epilogueFrom, EXPIRING, batch, inFlight);

    minimalEcho.push(await measureMinimalEcho(CEILING_MS));
    const udp = median(allCeilings);
    const regCeiling = median(windows.map((w) => w.ceilingPerSec));
    const regPerSec = total.done / total.seconds;
    const first = windows[0]!;
    const last = windows[windows.length - 1]!;
    const flatness = last.perSec / first.perSec;
    const relativeFlatness = last.perSec / last.ceilingPerSec / (first.perSec / first.ceilingPerSec);
    const perClient = (at: number, key: 'rss' | 'heapUsed'): number =>
      (memory.get(at)![key] - baseline[key]) / memory.get(at)!.registrations;
    const row = (name: string, perSec: number, ceil: number, target: number, extra: string): void =>
      log(
        `${name.padEnd(36)} ${Math.round(perSec).toString().padStart(8)} ${Math.round(ceil).toString().padStart(8)} ` +
          `${(perSec / ceil).toFixed(2).padStart(6)} ${`≥ ${target}`.padStart(7)} ` +
          `${perSec / ceil >= target ? 'met ' : 'MISS'} ${extra}`,
      );
    const list = (xs: readonly number[]): string => xs.map(Math.round).join(', ');
    const regCpu: CpuShare = { server: total.serverShare, simulator: total.simulatorShare, serverUs: 0 };
    log(`\nLwM2M server at scale: ${inFlight} in flight, loopback, server in its own process`);
    log(
      `${'measurement'.padEnd(36)} ${'per sec'.padStart(8)} ${'ceiling'.padStart(8)} ${'ratio'.padStart(6)} ` +
        `${'target'.padStart(7)}`,
    );
    row(
      `registrations 0→${sweep}`,
      regPerSec,
      regCeiling,
      0.3,
      `(${total.errors} errors, ${pct(regCpu)} last window, server ${Math.round(total.serverUs / total.done)} µs/op)`,
    );
    row(
      `reads across ${clients} clients`,
      reads.perSec,
      reads.ceilingPerSec,
      0.35,
      `(${readErrors} errors, p99 ${readP99.toFixed(1)} ms, ${pct(reads.cpu)}, ${cpuPerOp(reads.cpu, reads.perSec)})`,
    );
    row(
      `CON notifications ACKed (${notifiers.length} obs.)`,
      notes.perSec,
      notes.ceilingPerSec,
      0.6,
      `(${noteErrors} errors, ${pct(notes.cpu)}, ${cpuPerOp(notes.cpu, notes.perSec)})`,
    );
    row(
      'notifications ingested by the server',
      ingestedPerSec,
      notes.ceilingPerSec,
      0.6,
      `(${warnings} warnings)`,
    );
    log(
      `raw UDP echo ceiling (each round the fastest of: ${Object.entries(perEcho)
        .filter(([, xs]) => xs.length > 0)
        .map(([label, xs]) => `${label}, median ${Math.round(median(xs))}/s`)
        .join('; ')}), median of ${allCeilings.length} rounds: ${Math.round(udp)}/s ` +
        `(echo server ${Math.round(median(echoCpuUs))} µs CPU per round trip); a minimal standalone dgram ` +
        `echo before and after: ${list(minimalEcho)}/s (ceiling / its median ${(udp / median(minimalEcho)).toFixed(2)}, ≥ 1 when honest)`,
    );
    const dgramOnly = perEcho['dgram generator, dgram echo'] ?? [];
    if (dgramOnly.length > 0) {
      // For comparison with figures taken before the ceiling counted batched sockets (issue 17's
      // targets were set against a dgram-only echo): the same rates over that echo's median.
      const d = median(dgramOnly);
      log(
        `the same rates over the dgram generator + dgram echo alone (median ${Math.round(d)}/s): ` +
          `registrations ${(regPerSec / d).toFixed(2)}, reads ${(reads.perSec / d).toFixed(2)}, ` +
          `notifications ${(notes.perSec / d).toFixed(2)}`,
      );
    }
    log(
      `registrations/s per window: ${windows.map((w) => `${w.upTo / 1000}k ${Math.round(w.perSec)}`).join(', ')}`,
    );
    log(
      `  ratio to its ceiling:       ${windows.map((w) => (w.perSec / w.ceilingPerSec).toFixed(2)).join(', ')}`,
    );
    log(`  server CPU µs each:         ${windows.map((w) => Math.round(w.serverCpuUs)).join(', ')}`);
    log(
      `flatness, last window / first: ${flatness.toFixed(2)} raw, ${relativeFlatness.toFixed(2)} relative to ` +
        `the ceiling, ${(last.serverCpuUs / first.serverCpuUs).toFixed(2)} in server CPU per registration (target ≈ 1)`,
    );
    for (const at of [clients, sweep])
      log(
        `server memory per registered client at ${at}: RSS ${Math.round(perClient(at, 'rss'))} B, ` +
          `heap ${Math.round(perClient(at, 'heapUsed'))} B (target ≤ ${at >= 1_000_000 ? 1024 : 2048} B)`,
      );
    for (const p of phases)
      log(
        `server memory per registration with a ${p.bytes}-byte payload (${p.registered} registered, ` +
          `${p.errors} errors): heap ${Math.round(p.heapPerRegistration)} B, RSS ${Math.round(p.rssPerRegistration)} B, ` +
          `event-loop lag p99 ${p.lagP99Ms.toFixed(1)} ms`,
      );
    const lags = { registrations: registrationLag, reads: readLag, notifications: notificationLag };
    log(
      `event-loop lag p99 (max) per phase: ${Object.entries(lags)
        .map(([name, l]) => `${name} ${l.p99Ms.toFixed(1)} ms (${l.maxMs.toFixed(0)})`)
        .join(', ')} (target < 100 ms)`,
    );
    logEpilogue(log, epilogue);
    if (secured)
      log(
        `reads over DTLS PSK across ${secured.clients} clients (${secured.registered} registered, ${secured.registerErrors} errors): ` +
          `${secured.ratio.toFixed(2)} of plain reads across as many (target ≥ 0.6), ${secured.cpuRatio.toFixed(2)} in server CPU per read; ` +
          `rounds secured [${list(secured.securedPerSec)}] plain [${list(secured.plainPerSec)}]/s, server µs per read ` +
          `secured [${secured.securedCpuUs.join(', ')}] plain [${secured.plainCpuUs.join(', ')}] (${secured.readErrors} errors)`,
      );
    log(`reads rounds [${list(reads.rounds)}] beside ceilings [${list(reads.ceilings)}]`);
    log(`notification rounds [${list(notes.rounds)}] beside ceilings [${list(notes.ceilings)}]`);
    log(
      `observations accepted ${observed.accepted}/${clients}; client sources ${sourceOf(0).address}…` +
        `${sourceOf(ADDRESSES - 1).address}, ports ${sourceOf(0).port}…${sourceOf(sweep - 1).port}`,
    );
    if (disk)
      log(
        `data file after the sweep (log checkpointed): ${disk.bytesOnDisk} bytes, ` +
          `${Math.round(disk.bytesOnDisk / memory.get(sweep)!.registrations)} per registration; ` +
          `${disk.writes} writes in ${disk.batches} batches (${(disk.writes / disk.batches).toFixed(1)} each), ${disk.syncs} log fsyncs`,
      );
    const loadAtEnd = loadavg()[0]!;
    log(`load average (1 min): ${loadAtStart.toFixed(2)} at the start, ${loadAtEnd.toFixed(2)} at the end`);
    const result: ServerBenchResult = {
      benchmark: 'server',
      store,
      loadAverage: { atStart: Number(loadAtStart.toFixed(2)), atEnd: Number(loadAtEnd.toFixed(2)) },
      clients,
      sweep,
      inFlight,
      udpCeilingPerSec: Math.round(udp),
      ceilingEcho: Object.keys(perEcho).join(' or '),
      ceilingPerEcho: Object.fromEntries(
        Object.entries(perEcho)
          .filter(([, xs]) => xs.length > 0)
          .map(([label, xs]) => [label, Math.round(median(xs))]),
      ),
      echoServerCpuUsPerOp: Math.round(median(echoCpuUs)),
      minimalEchoPerSec: minimalEcho.map(Math.round),
      ceilings: {
        registrations: Math.round(regCeiling),
        reads: Math.round(reads.ceilingPerSec),
        notifications: Math.round(notes.ceilingPerSec),
      },
      registrationsPerSec: Math.round(regPerSec),
      registrationErrors: total.errors,
      registrationWindows: windows.map((w) => ({
        upTo: w.upTo,
        perSec: Math.round(w.perSec),
        ceilingPerSec: Math.round(w.ceilingPerSec),
        serverCpuUs: Math.round(w.serverCpuUs),
        errors: w.errors,
      })),
      registrationFlatness: Number(flatness.toFixed(3)),
      registrationRelativeFlatness: Number(relativeFlatness.toFixed(3)),
      readsPerSec: Math.round(reads.perSec),
      readErrors,
      notificationsPerSec: Math.round(notes.perSec),
      notificationsIngestedPerSec: Math.round(ingestedPerSec),
      notificationErrors: noteErrors,
      observationsAccepted: observed.accepted,
      bytesPerClient: Math.round(perClient(sweep, 'rss')),
      heapBytesPerClient: Math.round(perClient(sweep, 'heapUsed')),
      bytesPerClientAtClients: Math.round(perClient(clients, 'rss')),
      heapBytesPerClientAtClients: Math.round(perClient(clients, 'heapUsed')),
      payloadPhases: phases.map((p) => ({
        payloadBytes: p.bytes,
        registered: p.registered,
        errors: p.errors,
        heapBytesPerRegistration: Math.round(p.heapPerRegistration),
        rssBytesPerRegistration: Math.round(p.rssPerRegistration),
        lagP99Ms: Number(p.lagP99Ms.toFixed(1)),
      })),
      lagP99Ms: Object.fromEntries(Object.entries(lags).map(([k, l]) => [k, Number(l.p99Ms.toFixed(1))])),
      ratios: {
        registrations: Number((regPerSec / regCeiling).toFixed(3)),
        reads: Number((reads.perSec / reads.ceilingPerSec).toFixed(3)),
        notifications: Number((Math.min(notes.perSec, ingestedPerSec) / notes.ceilingPerSec).toFixed(3)),
        ...(secured ? { securedReads: secured.ratio } : {}),
      },
      epilogue: roundedEpilogue(epilogue),
      ...(secured ? { securedReads: secured } : {}),
      registrationServerCpuUs: Math.round(total.serverUs / total.done),
      readServerCpuUs: Math.round((reads.cpu.server * 1e6) / reads.perSec),
      notificationServerCpuUs: Math.round((notes.cpu.server * 1e6) / notes.perSec),
      readP99Ms: Number(readP99.toFixed(1)),
      ...(disk
        ? {
            bytesOnDiskPerRegistration: Math.round(disk.bytesOnDisk / memory.get(sweep)!.registrations),
            writesPerBatch: Number((disk.writes / disk.batches).toFixed(1)),
          }
        : {}),
    };
    if (json) console.log(JSON.stringify(result));
    return result;
  } finally {
    for (const c of open) c.close();
    closeHubs();
    echoLoad.stop();
    dgramEchoLoad?.stop();
    threadEchoLoad?.stop();
    await Promise.all([server.stop(), echo.stop(), dgramEcho?.stop(), threadEcho?.stop()]);
  }
}
