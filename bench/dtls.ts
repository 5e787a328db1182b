// `npm run bench -- dtls [--json] [--connections=10000,100000]`: our DTLS 1.2 PSK stack
// (research/dtls.md 6.4), four figures from one run:
// 1. full PSK handshakes per second against a DtlsTransport server in a child process; each
//    operation is a new client (socket, handshake, one record, close_notify), 32 at once; the
//    server's CPU per handshake (from /proc) gives the one-core rate, the target being >= 3k/s;
// 2. the server's event-loop lag p99 during that handshake storm;
// 3. CON GET round trips through CoAP endpoints over DTLS as a ratio of plain CoAP (and a raw
//    node:dgram echo) measured in alternating rounds of the same run (target >= 0.6): each round
//    runs the three sides back to back (in reverse order every other round) and gives one paired
//    ratio; the median of those and their spread are reported (on a shared machine a single
//    ratio of medians swung 0.48-0.69 from run to run); beside it the same ratio in CPU terms
//    (plain CPU per round trip / DTLS CPU per round trip, client and server processes together),
//    which a loaded machine disturbs far less than throughput;
// 4. bytes (heap + ArrayBuffers) per established connection at each count of --connections
//    (default 10000), in a child with a lean in-process generator (bench/dtls/connectionMemory.ts;
//    target <= 400 B), and its RSS;
// 5. ECDHE_ECDSA handshakes with raw public keys and with X.509 (bench/dtls/ecdheHandshakes.ts),
//    the server's public-key work inline (its default) and on its worker pool: per second, per
//    server CPU-second (all its threads; target >= 2k/s), its CPU per handshake split into the
//    event loop's thread and the others, the client's share of the CPU, the server's event-loop
//    lag p99 during each storm (target < 50 ms) and its crypto-busy drops.
// Medians over rounds, as in bench/coap.ts; `--json` prints one JSON object on the last line;
// `--ecdhe-only` runs part 5 alone.
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { CoapEndpoint } from '../src/coap/CoapEndpoint.js';
import { Code } from '../src/coap/CoapMessage.js';
import { DtlsTransport } from '../src/transport/dtls/DtlsTransport.js';
import { nativeCcm8, nativeCcm8Unavailable } from '../src/transport/dtls/record/nativeCcm8.js';
import { makePeer, type Peer } from '../src/transport/Peer.js';
import { UdpTransport } from '../src/transport/udp/UdpTransport.js';
import { BENCH_PSK } from './dtls/benchPsk.js';
import { ECDHE_IN_FLIGHT, ecdheHandshakes, type EcdheFigures } from './dtls/ecdheHandshakes.js';
import { startChild, type ChildPeer } from './support/childProcess.js';
import { runLoad, type LoadResult } from './support/loadLoop.js';
import { UdpEchoClient } from './support/udpEchoClient.js';

const IN_FLIGHT = 64;
/** Which AES-CCM the records use (record/nativeCcm8.ts; LWM2M_NATIVE_CRYPTO=0 forces node:crypto). */
const recordCipher = nativeCcm8
  ? 'native OpenSSL AES-CCM, one re-keyed context (build/native/ccm8.node)'
  : `node:crypto, a cipher object per record (${nativeCcm8Unavailable})`;
const HANDSHAKES_IN_FLIGHT = 32;
/** Alternating rounds of the round-trip comparison (each gives one DTLS / plain ratio). */
const RATIO_ROUNDS = 9;
const RATIO_ROUND_MS = 1_000;
/** Rounds of the handshake storm. */
const HANDSHAKE_ROUNDS = 5;
const ROUND_MS = 1_500;
const ROUND_WARMUP_MS = 250;
const INITIAL_WARMUP_MS = 1_000;

interface Side {
  readonly name: string;
  readonly child: ChildPeer;
  readonly op: () => Promise<void>;
  close(): Promise<void>;
}

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1]!;
const medianRound = (rs: readonly LoadResult[]): LoadResult =>
  rs.find((r) => r.perSec === median(rs.map((x) => x.perSec)))!;
/** Median, smallest and largest of some values. */
const spread = (values: readonly number[]): { median: number; min: number; max: number } => ({
  median: median(values),
  min: Math.min(...values),
  max: Math.max(...values),
});

/** CPU seconds of this process and of the side's child (NaN without /proc). */
const cpuProbe =
  (child: ChildPeer, own = true) =>
  (): number => {
    const u = process.cpuUsage();
    return (own ? (u.user + u.system) / 1e6 : 0) + (child.cpuSeconds() ?? NaN);
  };

async function coapSide(name: string, child: ChildPeer, secured: boolean): Promise<Side> {
  const udp = await UdpTransport.bind({ address: '127.0.0.1', port: 0 });
  const transport = secured ? new DtlsTransport(udp, { role: 'client', psk: BENCH_PSK }) : udp;
  const endpoint = new CoapEndpoint(transport, { params: { nstart: IN_FLIGHT } });
  const server = makePeer('127.0.0.1', child.port);
  return {
    name,
    child,
    op: async () => {
      const res = await endpoint.request(server, { method: 'GET', path: '/bench', timeoutMs: 5_000 });
      if (res.code !== Code.CONTENT) throw new Error(`unexpected response ${res.code}`);
    },
    close: () => endpoint.close(),
  };
}

async function udpSide(child: ChildPeer): Promise<Side> {
  const client = new UdpEchoClient(child.port);
  await client.open();
  return {
    name: 'raw node:dgram echo',
    child,
    op: () => client.roundTrip(),
    close: async () => client.close(),
  };
}

/** One full handshake from a new client socket, one application record, close_notify. */
async function handshakeOnce(server: Peer): Promise<void> {
  const client = new DtlsTransport(await UdpTransport.bind({ address: '127.0.0.1', port: 0 }), {
    role: 'client',
    psk: BENCH_PSK,
    handshakeTimeoutMs: 5_000,
  });
  try {
    // an empty CoAP ACK: the server's endpoint takes it and sends nothing back
    await client.send(server, Uint8Array.of(0x60, 0x00, 0x00, 0x01));
  } finally {
    await client.close();
  }
}

/** Asks the DTLS child for its stats line (lag p99 since the last ask, counters). */
function childStats(child: ChildPeer): Promise<{ lagP99Ms: number; connections: number; completed: number }> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.process.stdout! });
    const timer = setTimeout(() => reject(new Error('no STATS from the DTLS server')), 5_000);
    lines.on('line', (line) => {
      const m = /^STATS (\S+) (\d+) (\d+)/.exec(line);
      if (!m) return;
      clearTimeout(timer);
      lines.close();
      resolve({ lagP99Ms: Number(m[1]), connections: Number(m[2]), completed: Number(m[3]) });
    });
    child.process.kill('SIGUSR2');
  });
}

interface MemoryCheckpoint {
  readonly connections: number;
  readonly bytesPerConnection: number;
  readonly heapMb: number;
  readonly rssMb: number;
}

/** Runs bench/dtls/connectionMemory.ts in a fresh process with --expose-gc. */
function connectionMemory(
  counts: readonly number[],
): Promise<{ checkpoints: MemoryCheckpoint[]; seconds: number }> {
  const file = new URL('./dtls/connectionMemory.ts', import.meta.url).pathname;
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', file, ...counts.map(String)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) =>
    child.once('exit', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0) reject(new Error(`connectionMemory exited with ${code}`));
      else resolve(JSON.parse(last) as { checkpoints: MemoryCheckpoint[]; seconds: number });
    }),
  );
}

const row = (name: string, r: LoadResult, cpuUs: number): string =>
  `${name.padEnd(30)} ${Math.round(r.perSec).toString().padStart(9)} ${r.p50Ms.toFixed(3).padStart(9)} ` +
  `${r.p99Ms.toFixed(3).padStart(9)} ${String(r.errors).padStart(7)} ${cpuUs.toFixed(1).padStart(10)}`;

/** Runs the benchmark and prints a table (and a JSON line with --json). */
export async function run(args: readonly string[]): Promise<void> {
  if (args.includes('--ecdhe-only')) {
    const ecdhe = await ecdheHandshakes();
    printEcdhe(ecdhe);
    if (args.includes('--json')) console.log(JSON.stringify({ benchmark: 'dtls', ecdhe: ecdheJson(ecdhe) }));
    return;
  }
  const countsArg = args.find((a) => a.startsWith('--connections='));
  const counts = (countsArg?.slice('--connections='.length) ?? '10000').split(',').map(Number);
  if (counts.some((n) => !Number.isSafeInteger(n) || n < 1)) throw new Error(`bad ${countsArg}`);

  // the node:dgram echo: these endpoints run on node:dgram too (UdpTransport)
  const echoChild = await startChild(new URL('./support/udpEchoServer.ts', import.meta.url), [], 20_000, {
    BENCH_ECHO: 'dgram',
  });
  const plainChild = await startChild(new URL('./support/coapBenchServer.ts', import.meta.url));
  const dtlsChild = await startChild(new URL('./dtls/dtlsBenchServer.ts', import.meta.url));
  const sides = [
    await udpSide(echoChild),
    await coapSide('CoAP over UDP', plainChild, false),
    await coapSide('CoAP over DTLS (CCM_8)', dtlsChild, true),
  ];
  const rounds = new Map<Side, LoadResult[]>(sides.map((s) => [s, []]));
  const measure = (s: Side, warmupMs: number, durationMs: number): Promise<LoadResult> =>
    runLoad(s.op, { inFlight: IN_FLIGHT, durationMs, warmupMs, cpuProbe: cpuProbe(s.child) });
  const handshakeRounds: LoadResult[] = [];
  let lagP99Ms = NaN;
  const dtlsServer = makePeer('127.0.0.1', dtlsChild.port);
  try {
    for (const s of sides) await measure(s, 0, INITIAL_WARMUP_MS);
    for (let round = 0; round < RATIO_ROUNDS; round++) {
      const order = round % 2 === 0 ? sides : [...sides].reverse();
      for (const s of order) rounds.get(s)!.push(await measure(s, ROUND_WARMUP_MS, RATIO_ROUND_MS));
    }
    // the handshake storm: server CPU only (the client's handshakes cost it as much again)
    await runLoad(() => handshakeOnce(dtlsServer), {
      inFlight: HANDSHAKES_IN_FLIGHT,
      durationMs: 500,
      warmupMs: 0,
    });
    await childStats(dtlsChild);
    for (let round = 0; round < HANDSHAKE_ROUNDS; round++)
      handshakeRounds.push(
        await runLoad(() => handshakeOnce(dtlsServer), {
          inFlight: HANDSHAKES_IN_FLIGHT,
          durationMs: ROUND_MS,
          warmupMs: ROUND_WARMUP_MS,
          cpuProbe: cpuProbe(dtlsChild, false),
        }),
      );
    lagP99Ms = (await childStats(dtlsChild)).lagP99Ms;
  } finally {
    for (const s of sides) await s.close();
    await Promise.all([echoChild.stop(), plainChild.stop(), dtlsChild.stop()]);
  }
  const ecdhe = await ecdheHandshakes();
  const memory = await connectionMemory(counts);

  const cpuUs = (r: LoadResult): number => (r.cpuSeconds * 1e6) / r.operations;
  const [udp, plain, dtls] = sides.map((s) => ({
    s,
    r: medianRound(rounds.get(s)!),
    cpu: median(rounds.get(s)!.map(cpuUs)),
  }));
  const hs = medianRound(handshakeRounds);
  const hsCpu = spread(handshakeRounds.map(cpuUs));
  const hsCpuUs = hsCpu.median;
  // one ratio per round, DTLS and plain measured back to back under the same load
  const plainRounds = rounds.get(plain!.s)!;
  const ratios = spread(rounds.get(dtls!.s)!.map((r, i) => r.perSec / plainRounds[i]!.perSec));
  const ratio = ratios.median;
  const dtlsRounds = rounds.get(dtls!.s)!;
  const cpuRatios = spread(plainRounds.map((r, i) => cpuUs(r) / cpuUs(dtlsRounds[i]!)));
  console.log(
    `DTLS 1.2 PSK (TLS_PSK_WITH_AES_128_CCM_8) over loopback: round trips in ${RATIO_ROUNDS} alternating ` +
      `rounds of ${RATIO_ROUND_MS / 1000} s, handshakes in ${HANDSHAKE_ROUNDS} rounds of ${ROUND_MS / 1000} s (medians)`,
  );
  console.log(
    `${'measurement'.padEnd(30)} ${'per sec'.padStart(9)} ${'p50 ms'.padStart(9)} ${'p99 ms'.padStart(9)} ` +
      `${'errors'.padStart(7)} ${'cpu µs/op'.padStart(10)}`,
  );
  console.log(`record cipher (both processes): ${recordCipher}`);
  for (const x of [udp!, plain!, dtls!]) console.log(row(x.s.name, x.r, x.cpu));
  console.log(row(`full handshakes (${HANDSHAKES_IN_FLIGHT} at once)`, hs, hsCpuUs) + '  (server CPU only)');
  console.log(
    `ratio CoAP over DTLS / CoAP over UDP (median of ${RATIO_ROUNDS} paired rounds): ${ratio.toFixed(2)} ` +
      `(rounds ${ratios.min.toFixed(2)}-${ratios.max.toFixed(2)}; target ≥ 0.6)`,
  );
  console.log(
    `the same in CPU per round trip, plain / DTLS: ${cpuRatios.median.toFixed(2)} ` +
      `(rounds ${cpuRatios.min.toFixed(2)}-${cpuRatios.max.toFixed(2)})`,
  );
  console.log(
    `handshakes per server CPU-second: ${Math.round(1e6 / hsCpuUs)} ` +
      `(rounds ${Math.round(1e6 / hsCpu.max)}-${Math.round(1e6 / hsCpu.min)}; target ≥ 3000 on one core)`,
  );
  console.log(`server event-loop lag p99 during the handshake storm: ${lagP99Ms.toFixed(1)} ms`);
  printEcdhe(ecdhe);
  for (const c of memory.checkpoints)
    console.log(
      `${c.connections} established connections: ${c.bytesPerConnection} B each, heap + ArrayBuffers (target ≤ 400), ` +
        `heap ${c.heapMb} MB, RSS ${c.rssMb} MB`,
    );
  if (args.includes('--json')) {
    const num = (v: number, digits: number): number | null =>
      Number.isFinite(v) ? Number(v.toFixed(digits)) : null;
    console.log(
      JSON.stringify({
        benchmark: 'dtls',
        recordCipher: nativeCcm8 ? 'native' : 'node:crypto',
        handshakesPerSec: Math.round(hs.perSec),
        handshakeServerCpuUs: num(hsCpuUs, 1),
        handshakesPerServerCpuSec: num(1e6 / hsCpuUs, 0),
        handshakeServerCpuUsMin: num(hsCpu.min, 1),
        handshakeServerCpuUsMax: num(hsCpu.max, 1),
        handshakeErrors: handshakeRounds.reduce((n, r) => n + r.errors, 0),
        eventLoopLagP99Ms: num(lagP99Ms, 2),
        dtlsCoapPerSec: Math.round(dtls!.r.perSec),
        plainCoapPerSec: Math.round(plain!.r.perSec),
        udpCeilingPerSec: Math.round(udp!.r.perSec),
        ratio: Number(ratio.toFixed(3)),
        ratioMin: Number(ratios.min.toFixed(3)),
        ratioMax: Number(ratios.max.toFixed(3)),
        ratioRounds: RATIO_ROUNDS,
        cpuRatio: num(cpuRatios.median, 3),
        cpuRatioMin: num(cpuRatios.min, 3),
        cpuRatioMax: num(cpuRatios.max, 3),
        dtlsCoapCpuUs: num(dtls!.cpu, 2),
        plainCoapCpuUs: num(plain!.cpu, 2),
        memory: memory.checkpoints,
        ecdhe: ecdheJson(ecdhe),
      }),
    );
  }
}

/** The ECDHE table: one line per key kind and crypto placement. */
function printEcdhe(ecdhe: readonly EcdheFigures[]): void {
  console.log(
    `ECDHE_ECDSA full handshakes (TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8, P-256), ${ECDHE_IN_FLIGHT} at once, ` +
      `after a warm-up of up to 3 000; the scripted client runs in this process on the same cores ` +
      `(load average now ${loadavg()[0]!.toFixed(2)})`,
  );
  console.log(
    `${'keys, server crypto'.padEnd(24)} ${'per sec'.padStart(8)} ${'per srv CPU-s'.padStart(13)} ` +
      `${'srv µs/hs'.padStart(9)} ${'main/others'.padStart(11)} ${'client CPU'.padStart(10)} ` +
      `${'lag p99 ms'.padStart(10)} ${'busy'.padStart(5)} ${'errors'.padStart(6)}`,
  );
  for (const e of ecdhe)
    console.log(
      `${`${e.mode === 'rpk' ? 'raw public keys' : 'X.509 chain of 2'}, ${e.crypto}`.padEnd(24)} ` +
        `${Math.round(e.result.perSec).toString().padStart(8)} ${Math.round(1e6 / e.serverCpuUs)
          .toString()
          .padStart(13)} ` +
        `${e.serverCpuUs.toFixed(0).padStart(9)} ` +
        `${`${e.serverMainCpuUs.toFixed(0)}/${(e.serverCpuUs - e.serverMainCpuUs).toFixed(0)}`.padStart(11)} ` +
        `${`${Math.round(e.clientCpuShare * 100)} %`.padStart(10)} ${e.lagP99Ms.toFixed(1).padStart(10)} ` +
        `${String(e.cryptoBusy).padStart(5)} ${String(e.result.errors).padStart(6)}`,
    );
  console.log(
    'targets: ≥ 2000 handshakes per server CPU-second (all its threads), lag p99 < 50 ms; the wall rate is ' +
      'capped by client and server sharing the 2 cores (the client costs about as much as the server)',
  );
}

/** The ECDHE figures of the JSON line. */
function ecdheJson(ecdhe: readonly EcdheFigures[]): object[] {
  const num = (v: number, digits: number): number | null =>
    Number.isFinite(v) ? Number(v.toFixed(digits)) : null;
  return ecdhe.map((e) => ({
    mode: e.mode,
    crypto: e.crypto,
    handshakesPerSec: Math.round(e.result.perSec),
    handshakesPerServerCpuSec: num(1e6 / e.serverCpuUs, 0),
    serverCpuUs: num(e.serverCpuUs, 1),
    serverMainThreadCpuUs: num(e.serverMainCpuUs, 1),
    clientCpuShare: num(e.clientCpuShare, 3),
    errors: e.result.errors,
    eventLoopLagP99Ms: num(e.lagP99Ms, 2),
    cryptoBusy: e.cryptoBusy,
  }));
}
