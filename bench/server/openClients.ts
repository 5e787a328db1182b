// Opens simulated clients, each on its own source (address, port), within Linux's file descriptor
// limit. Every registered client needs its own (address, port): the server keys its peer index
// by it and sends its requests there, so endpoints must not share a socket. 100k sockets do not
// fit `ulimit -n` (20 000 here, hard), so the design is:
//  - client i binds 127.1.x.y, the (i % 4096)-th address of 127.1.0.0/20 (Linux routes all of
//    127.0.0.0/8 to the loopback), port 20000 + floor(i / 4096): a fixed pair that no other
//    client of the run uses (a million clients use ports 20000…20244, ten million up to 22441,
//    all below Linux's ephemeral range, 32768+, so other processes' port-0 sockets never take
//    them; a taken pair falls back to a kernel-chosen port);
//  - with the batched UDP addon (bench/support/SimHub.ts; BENCH_SIM_SOCKETS=dgram turns it off),
//    the pairs are the same but the clients of one port share one socket bound to 0.0.0.0:port,
//    each client one address on it: a million clients take 245 sockets, not a million;
//  - the first `--clients` clients (10k) stay open for reads and notifications;
//  - the registration sweep beyond them opens its clients in batches (a few thousand sockets),
//    registers the batch, then closes it: the server keeps those registrations with their
//    distinct addresses, so its indexes hold realistic, all-different peers. Opening sockets is
//    not timed; only the registration exchanges are.
import { readFileSync } from 'node:fs';
import { SimHub } from '../support/SimHub.js';
import { SimulatedClient, type SimTargets } from './SimulatedClient.js';

/** Source addresses: 127.1.0.0 … 127.1.15.255. */
export const ADDRESSES = 4096;
const FIRST_PORT = 20_000;
const BIND_IN_FLIGHT = 256;

/** The soft limit on open files of this process (from /proc), or 1024 if unknown. */
export function openFileLimit(): number {
  try {
    const m = /Max open files\s+(\d+)/.exec(readFileSync('/proc/self/limits', 'utf8'));
    return m ? Number(m[1]) : 1024;
  } catch {
    return 1024;
  }
}

/** The endpoint name of client `i`. */
export const endpointName = (i: number): string => `bench-${i}`;

/** Source address and port of client `i`. */
export function sourceOf(i: number): { address: string; port: number } {
  const a = i % ADDRESSES;
  return { address: `127.1.${a >> 8}.${a & 0xff}`, port: FIRST_PORT + Math.floor(i / ADDRESSES) };
}

/** The hub of each port group (FIRST_PORT + floor(i / ADDRESSES)), opened on first use. */
const hubs = new Map<number, SimHub>();

/** How the simulated clients send and receive, for the bench's header. */
export function simulatorSockets(): string {
  const why = SimHub.unavailable();
  return why
    ? `one node:dgram socket per client (${why})`
    : `${ADDRESSES} clients per batched socket on 0.0.0.0:port (IP_PKTINFO), each its own (127.1.x.y, port)`;
}

/** The hub for client `i`'s port; a port taken by another process falls back to a kernel-chosen one. */
function hubOf(i: number): SimHub {
  const port = sourceOf(i).port;
  let hub = hubs.get(port);
  if (!hub) {
    try {
      hub = SimHub.open(port);
    } catch {
      hub = SimHub.open(0);
    }
    hubs.set(port, hub);
  }
  return hub;
}

/** Closes every hub (the end of a run). */
export function closeHubs(): void {
  for (const hub of hubs.values()) hub.close();
  hubs.clear();
}

/** Opens clients `from` (inclusive) to `to` (exclusive) with a bounded number of binds in flight. */
export async function openClients(
  targets: SimTargets,
  from: number,
  to: number,
  name: (i: number) => string = endpointName,
): Promise<SimulatedClient[]> {
  const clients: SimulatedClient[] = new Array<SimulatedClient>(to - from);
  if (SimHub.unavailable() === undefined) {
    for (let i = from; i < to; i++) {
      try {
        const on = { hub: hubOf(i), address: 0x7f010000 + (i % ADDRESSES) };
        clients[i - from] = new SimulatedClient(name(i), targets, i, on);
      } catch {
        // the pair is held by another open client: its own socket on a kernel-chosen port
        const client = new SimulatedClient(name(i), targets, i);
        await client.bind(sourceOf(i).address, 0);
        clients[i - from] = client;
      }
    }
    return clients;
  }
  let next = from;
  const worker = async (): Promise<void> => {
    while (next < to) {
      const i = next++;
      const { address, port } = sourceOf(i);
      let client = new SimulatedClient(name(i), targets, i);
      try {
        await client.bind(address, port);
      } catch {
        client.close();
        client = new SimulatedClient(name(i), targets, i);
        await client.bind(address, 0);
      }
      clients[i - from] = client;
    }
  };
  await Promise.all(Array.from({ length: Math.min(BIND_IN_FLIGHT, to - from) }, worker));
  return clients;
}
