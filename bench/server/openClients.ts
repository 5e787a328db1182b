// Opens simulated clients, each on its own source (address, port), within Linux's file descriptor
// limit. Every registered client needs its own (address, port): the server keys its peer index
// by it and sends its requests there, so endpoints must not share a socket. 100k sockets do not
// fit `ulimit -n` (20 000 here, hard), so the design is:
//  - client i binds 127.1.x.y, the (i % 4096)-th address of 127.1.0.0/20 (Linux routes all of
//    127.0.0.0/8 to the loopback), port 20000 + floor(i / 4096): a fixed pair that no other
//    client of the run uses (a million clients use ports 20000…20244, ten million up to 22441,
//    all below Linux's ephemeral range, 32768+, so other processes' port-0 sockets never take
//    them; a taken pair falls back to a kernel-chosen port);
//  - the first `--clients` clients (10k) stay open for reads and notifications;
//  - the registration sweep beyond them opens its clients in batches (a few thousand sockets),
//    registers the batch, then closes it: the server keeps those registrations with their
//    distinct addresses, so its indexes hold realistic, all-different peers. Opening sockets is
//    not timed; only the registration exchanges are.
import { readFileSync } from 'node:fs';
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

/** Opens clients `from` (inclusive) to `to` (exclusive) with a bounded number of binds in flight. */
export async function openClients(
  targets: SimTargets,
  from: number,
  to: number,
  name: (i: number) => string = endpointName,
): Promise<SimulatedClient[]> {
  const clients: SimulatedClient[] = new Array<SimulatedClient>(to - from);
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
