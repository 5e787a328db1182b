// `npm run bench -- coap [--json]`: CON GET round trips per second through two of our CoAP
// endpoints over loopback (server in a child process), beside a raw node:dgram echo measured in
// the same run with the same closed-loop harness and concurrency, and their ratio.
import { CoapEndpoint } from '../src/coap/CoapEndpoint.js';
import { Code } from '../src/coap/CoapMessage.js';
import { makePeer } from '../src/transport/Peer.js';
import { UdpTransport } from '../src/transport/udp/UdpTransport.js';
import { startChild } from './support/childProcess.js';
import { runLoad, type LoadResult } from './support/loadLoop.js';
import { UdpEchoClient } from './support/udpEchoClient.js';

const IN_FLIGHT = 64;
const DURATION_MS = 3_000;
const WARMUP_MS = 500;

async function measureUdpCeiling(): Promise<LoadResult> {
  const child = await startChild(new URL('./support/udpEchoServer.ts', import.meta.url));
  const client = new UdpEchoClient(child.port);
  try {
    await client.open();
    return await runLoad(() => client.roundTrip(), {
      inFlight: IN_FLIGHT,
      durationMs: DURATION_MS,
      warmupMs: WARMUP_MS,
    });
  } finally {
    client.close();
    await child.stop();
  }
}

async function measureCoap(): Promise<LoadResult> {
  const child = await startChild(new URL('./support/coapBenchServer.ts', import.meta.url));
  // NSTART is raised to the concurrency (RFC 7252 4.7 lets it be configured) so one client
  // endpoint keeps IN_FLIGHT confirmable requests outstanding towards the one server.
  const transport = await UdpTransport.bind({ address: '127.0.0.1', port: 0 });
  const endpoint = new CoapEndpoint(transport, { params: { nstart: IN_FLIGHT } });
  const server = makePeer('127.0.0.1', child.port);
  try {
    return await runLoad(
      async () => {
        const res = await endpoint.request(server, { method: 'GET', path: '/bench', timeoutMs: 5_000 });
        if (res.code !== Code.CONTENT) throw new Error(`unexpected response ${res.code}`);
      },
      { inFlight: IN_FLIGHT, durationMs: DURATION_MS, warmupMs: WARMUP_MS },
    );
  } finally {
    await endpoint.close();
    await child.stop();
  }
}

const row = (name: string, r: LoadResult): string =>
  `${name.padEnd(28)} ${Math.round(r.perSec).toString().padStart(9)} ${r.p50Ms.toFixed(3).padStart(9)} ${r.p99Ms
    .toFixed(3)
    .padStart(9)} ${String(r.errors).padStart(7)}`;

/** Runs the benchmark and prints a table (and a JSON line with --json). */
export async function run(args: readonly string[]): Promise<void> {
  const udp = await measureUdpCeiling();
  const coap = await measureCoap();
  const ratio = coap.perSec / udp.perSec;
  console.log(`CoAP CON GET round trips over loopback, ${IN_FLIGHT} in flight, ${DURATION_MS / 1000} s each`);
  console.log(
    `${'measurement'.padEnd(28)} ${'per sec'.padStart(9)} ${'p50 ms'.padStart(9)} ${'p99 ms'.padStart(9)} ${'errors'.padStart(7)}`,
  );
  console.log(row('raw node:dgram echo', udp));
  console.log(row('CoAP endpoint ↔ endpoint', coap));
  console.log(`ratio CoAP / raw UDP: ${ratio.toFixed(2)} (target ≥ 0.5)`);
  if (args.includes('--json')) {
    console.log(
      JSON.stringify({
        benchmark: 'coap',
        inFlight: IN_FLIGHT,
        requestsPerSec: Math.round(coap.perSec),
        p50Ms: coap.p50Ms,
        p99Ms: coap.p99Ms,
        errors: coap.errors,
        udpCeilingPerSec: Math.round(udp.perSec),
        ratio: Number(ratio.toFixed(3)),
      }),
    );
  }
}
