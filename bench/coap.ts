// `npm run bench -- coap [--json]`: CON GET round trips per second through two of our CoAP
// endpoints over loopback (server in a child process), beside a raw node:dgram echo measured in
// the same run with the same closed-loop harness, concurrency and child-process setup.
//
// The machine is shared, so a load spike must hit both sides alike: both peers stay up for the
// whole run and the two measurements alternate in rounds (ceiling/CoAP, then CoAP/ceiling, ...),
// each round re-filling its pipeline briefly before its measured window. The figures reported
// are the medians over the rounds, and the ratio is the ratio of those medians. CPU time per
// round trip (client process plus server child, from /proc on Linux) is reported beside them:
// unlike throughput it hardly moves with the machine's load.
import { CoapEndpoint } from '../src/coap/CoapEndpoint.js';
import { Code } from '../src/coap/CoapMessage.js';
import { makePeer } from '../src/transport/Peer.js';
import { UdpTransport } from '../src/transport/udp/UdpTransport.js';
import { startChild, type ChildPeer } from './support/childProcess.js';
import { runLoad, type LoadResult } from './support/loadLoop.js';
import { UdpEchoClient } from './support/udpEchoClient.js';

const IN_FLIGHT = 64;
/** Odd, so the median is one round. About 25 s in all with the warm-ups and child start-up. */
const ROUNDS = 5;
const ROUND_MS = 1_500;
/** Before each measured window: refills the pipeline after the other side's turn. */
const ROUND_WARMUP_MS = 250;
/** Once per side before the first round: JIT warm-up. */
const INITIAL_WARMUP_MS = 1_000;

/** One side of the comparison: a load operation against its child peer. */
interface Side {
  readonly name: string;
  readonly child: ChildPeer;
  readonly op: () => Promise<void>;
  close(): Promise<void>;
}

async function udpCeiling(child: ChildPeer): Promise<Side> {
  const client = new UdpEchoClient(child.port);
  await client.open();
  return {
    name: 'raw node:dgram echo',
    child,
    op: () => client.roundTrip(),
    close: async () => client.close(),
  };
}

async function coapSide(child: ChildPeer): Promise<Side> {
  // NSTART is raised to the concurrency (RFC 7252 4.7 lets it be configured) so one client
  // endpoint keeps IN_FLIGHT confirmable requests outstanding towards the one server.
  const transport = await UdpTransport.bind({ address: '127.0.0.1', port: 0 });
  const endpoint = new CoapEndpoint(transport, { params: { nstart: IN_FLIGHT } });
  const server = makePeer('127.0.0.1', child.port);
  return {
    name: 'CoAP endpoint ↔ endpoint',
    child,
    op: async () => {
      const res = await endpoint.request(server, { method: 'GET', path: '/bench', timeoutMs: 5_000 });
      if (res.code !== Code.CONTENT) throw new Error(`unexpected response ${res.code}`);
    },
    close: () => endpoint.close(),
  };
}

/** CPU seconds used so far by this process and the side's child (NaN where /proc is missing). */
function cpuProbe(side: Side): () => number {
  return () => {
    const own = process.cpuUsage();
    return (own.user + own.system) / 1e6 + (side.child.cpuSeconds() ?? NaN);
  };
}

const measure = (side: Side, warmupMs: number, durationMs: number): Promise<LoadResult> =>
  runLoad(side.op, { inFlight: IN_FLIGHT, durationMs, warmupMs, cpuProbe: cpuProbe(side) });

/** CPU microseconds per operation, both processes together. */
const cpuUs = (r: LoadResult): number => (r.cpuSeconds * 1e6) / r.operations;

/** The median of `values` (an odd count). */
const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1]!;

/** The round whose throughput is the median. */
const medianRound = (rs: readonly LoadResult[]): LoadResult =>
  rs.find((r) => r.perSec === median(rs.map((x) => x.perSec)))!;

const row = (name: string, r: LoadResult, cpu: number): string =>
  `${name.padEnd(28)} ${Math.round(r.perSec).toString().padStart(9)} ${r.p50Ms.toFixed(3).padStart(9)} ${r.p99Ms
    .toFixed(3)
    .padStart(9)} ${String(r.errors).padStart(7)} ${cpu.toFixed(1).padStart(9)}`;

/** Runs the benchmark and prints a table (and a JSON line with --json). */
export async function run(args: readonly string[]): Promise<void> {
  // Both children are started the same way (same Node flags, same loader), see startChild.
  // the node:dgram echo: these endpoints run on node:dgram too (UdpTransport)
  const echoChild = await startChild(new URL('./support/udpEchoServer.ts', import.meta.url), [], 20_000, {
    BENCH_ECHO: 'dgram',
  });
  const coapChild = await startChild(new URL('./support/coapBenchServer.ts', import.meta.url));
  const udp = await udpCeiling(echoChild);
  const coap = await coapSide(coapChild);
  const udpRounds: LoadResult[] = [];
  const coapRounds: LoadResult[] = [];
  try {
    await measure(udp, 0, INITIAL_WARMUP_MS);
    await measure(coap, 0, INITIAL_WARMUP_MS);
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate which side goes first, so a drift in machine load favours neither.
      const order = round % 2 === 0 ? [udp, coap] : [coap, udp];
      for (const side of order) {
        const r = await measure(side, ROUND_WARMUP_MS, ROUND_MS);
        (side === udp ? udpRounds : coapRounds).push(r);
      }
    }
  } finally {
    await coap.close();
    await udp.close();
    await Promise.all([coapChild.stop(), echoChild.stop()]);
  }
  const u = medianRound(udpRounds);
  const c = medianRound(coapRounds);
  const ratio = c.perSec / u.perSec;
  const udpCpu = median(udpRounds.map(cpuUs));
  const coapCpu = median(coapRounds.map(cpuUs));
  const perRound = (rs: LoadResult[]): string => rs.map((r) => Math.round(r.perSec)).join(', ');
  console.log(
    `CoAP CON GET round trips over loopback, ${IN_FLIGHT} in flight, ` +
      `${ROUNDS} alternating rounds of ${ROUND_MS / 1000} s each (medians)`,
  );
  console.log(
    `${'measurement'.padEnd(28)} ${'per sec'.padStart(9)} ${'p50 ms'.padStart(9)} ${'p99 ms'.padStart(9)} ` +
      `${'errors'.padStart(7)} ${'cpu µs/op'.padStart(9)}`,
  );
  console.log(row(udp.name, u, udpCpu));
  console.log(row(coap.name, c, coapCpu));
  console.log(`rounds per sec: raw UDP [${perRound(udpRounds)}], CoAP [${perRound(coapRounds)}]`);
  console.log(`ratio CoAP / raw UDP (of medians): ${ratio.toFixed(2)} (target ≥ 0.5)`);
  console.log(`CPU per round trip, raw UDP / CoAP (both processes): ${(udpCpu / coapCpu).toFixed(2)}`);
  if (args.includes('--json')) {
    const num = (v: number, digits: number): number | null =>
      Number.isFinite(v) ? Number(v.toFixed(digits)) : null;
    console.log(
      JSON.stringify({
        benchmark: 'coap',
        inFlight: IN_FLIGHT,
        rounds: ROUNDS,
        requestsPerSec: Math.round(c.perSec),
        p50Ms: c.p50Ms,
        p99Ms: c.p99Ms,
        errors: coapRounds.reduce((n, r) => n + r.errors, 0),
        udpCeilingPerSec: Math.round(u.perSec),
        ratio: Number(ratio.toFixed(3)),
        cpuUsPerRequest: num(coapCpu, 2),
        udpCpuUsPerRoundTrip: num(udpCpu, 2),
        cpuRatio: num(udpCpu / coapCpu, 3),
        roundsRequestsPerSec: coapRounds.map((r) => Math.round(r.perSec)),
        roundsUdpCeilingPerSec: udpRounds.map((r) => Math.round(r.perSec)),
      }),
    );
  }
}
