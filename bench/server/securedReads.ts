// The secured phase of the server benchmark (issue 17 item 4): `count` SecuredClients register
// over DTLS PSK (handshakes not timed), then the server child reads them round-robin (Core TS
// 5.4.1, CON GET /3/0/0 through its DTLS port) in rounds alternating with plain reads across as
// many plain clients: the same operation, the same run, the same machine load. Reported: the
// median of secured / plain per round, in throughput and in server CPU per read.
import { SecuredClient } from './SecuredClient.js';
import { runEach } from './runEach.js';
import type { ServerChild } from './startServerChild.js';

const ROUNDS = 5;
const ROUND_MS = 1_500;
const WARMUP_MS = 300;
/** Handshakes and Registers under way at once, and how long they may all take. */
const OPEN_IN_FLIGHT = 32;
const REGISTER_MAX_MS = 120_000;

/** One side of a round: reads/s and server CPU µs per read. */
interface Side {
  readonly perSec: number;
  readonly cpuUs: number;
  readonly errors: number;
}

/** What the secured phase measured. */
export interface SecuredReadsResult {
  readonly clients: number;
  readonly registered: number;
  readonly registerErrors: number;
  readonly plainPerSec: readonly number[];
  readonly securedPerSec: readonly number[];
  readonly plainCpuUs: readonly number[];
  readonly securedCpuUs: readonly number[];
  readonly readErrors: number;
  /** Median over rounds of secured / plain reads per second (target ≥ 0.6). */
  readonly ratio: number;
  /** Median over rounds of plain / secured server CPU per read. */
  readonly cpuRatio: number;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function readRound(
  server: ServerChild,
  clients: number,
  inFlight: number,
  secured: boolean,
): Promise<Side> {
  const c0 = await server.ask({ kind: 'cpu' });
  const r = await server.ask({
    kind: 'reads',
    clients,
    inFlight,
    warmupMs: WARMUP_MS,
    durationMs: ROUND_MS,
    secured,
  });
  const c1 = await server.ask({ kind: 'cpu' });
  // The CPU of the warm-up and of the round's last reads is in too: the same share on both sides.
  return {
    perSec: r.perSec,
    cpuUs: (c1 - c0) / (r.operations * (1 + WARMUP_MS / ROUND_MS)),
    errors: r.errors,
  };
}

/** Opens and registers `count` secured clients, measures, closes them. */
export async function securedReads(
  server: ServerChild,
  count: number,
  inFlight: number,
): Promise<SecuredReadsResult> {
  const securePort = server.securePort;
  if (securePort === undefined) throw new Error('the server child has no DTLS port');
  const clients: SecuredClient[] = [];
  try {
    for (let i = 0; i < count; i++) clients.push(await SecuredClient.open(i, securePort));
    const reg = await runEach(clients, OPEN_IN_FLIGHT, (c) => c.register(), REGISTER_MAX_MS);
    // One unmeasured round of each first: the DTLS read path JIT-compiles (the first rounds ran at half speed).
    await readRound(server, count, inFlight, true);
    await readRound(server, count, inFlight, false);
    const plain: Side[] = [];
    const secured: Side[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Alternating order, so a drift in machine load favours neither side.
      if (round % 2 === 0) plain.push(await readRound(server, count, inFlight, false));
      secured.push(await readRound(server, count, inFlight, true));
      if (round % 2 === 1) plain.push(await readRound(server, count, inFlight, false));
    }
    const ratios = secured.map((s, i) => s.perSec / plain[i]!.perSec);
    const cpuRatios = secured.map((s, i) => plain[i]!.cpuUs / s.cpuUs);
    return {
      clients: count,
      registered: reg.done,
      registerErrors: reg.errors,
      plainPerSec: plain.map((s) => Math.round(s.perSec)),
      securedPerSec: secured.map((s) => Math.round(s.perSec)),
      plainCpuUs: plain.map((s) => Number(s.cpuUs.toFixed(1))),
      securedCpuUs: secured.map((s) => Number(s.cpuUs.toFixed(1))),
      readErrors: [...plain, ...secured].reduce((n, s) => n + s.errors, 0),
      ratio: Number(median(ratios).toFixed(3)),
      cpuRatio: Number(median(cpuRatios).toFixed(3)),
    };
  } finally {
    await Promise.all(clients.map((c) => c.close()));
  }
}
