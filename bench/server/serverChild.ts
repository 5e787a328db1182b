// The server process of the server benchmark: one Lwm2mServer (memory store, or SQLite in a
// temporary directory with BENCH_SERVER_STORE=sqlite; defaults otherwise) on
// 127.0.0.1, driven over Node IPC by bench/server.ts (see serverControl.ts). It issues the
// server-initiated Reads and Observes itself, so their cost is measured where it is paid.
// Started with --expose-gc so memory samples are taken after a full collection.
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { openSqliteStores } from '../../src/store/sqlite/openSqliteStores.js';
import type { HeapProfiler } from 'node:inspector';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Lwm2mServer } from '../../src/server/Lwm2mServer.js';
import { runLoad } from '../support/loadLoop.js';
import { endpointName } from './openClients.js';
import { SweepEpilogue } from './sweepEpilogue.js';
import { MemorySecurityStore } from '../../src/store/memory/MemorySecurityStore.js';
import { securedEndpoint, securedPsk } from './securedPsk.js';
import type {
  CommandMessage,
  ReadyMessage,
  MemorySample,
  ReplyMessage,
  StoreSample,
  ServerCommand,
  ServerReplies,
} from './serverControl.js';

const REQUEST_TIMEOUT_MS = 5_000;
const dataDir =
  process.env.BENCH_SERVER_STORE === 'sqlite'
    ? mkdtempSync(join(tmpdir(), 'lwm2m-bench-server-'))
    : undefined;
// BENCH_SERVER_MAX_SYNCS=<n>: log fsyncs under way at once (GroupCommit maxSyncs; experiments).
const maxSyncs = Number(process.env.BENCH_SERVER_MAX_SYNCS) || undefined;
const stores = dataDir
  ? await openSqliteStores(join(dataDir, 'server.db'), maxSyncs ? { groupCommit: { maxSyncs } } : {})
  : undefined;
// BENCH_SERVER_SECURED=<n>: a DTLS port too, and a PSK for each of n secured clients (securedPsk.ts).
const secured = Number(process.env.BENCH_SERVER_SECURED) || 0;
const security = new MemorySecurityStore(
  Array.from({ length: secured }, (_, i) => ({
    endpoint: securedEndpoint(i),
    kind: 'psk' as const,
    ...securedPsk(i),
  })),
);
/** The server's wall clock, which the expiry epilogue moves forward (sweepEpilogue.ts). */
const wallClock = { offsetMs: 0, now: (): number => Date.now() + wallClock.offsetMs };
const server = await Lwm2mServer.start({
  ...(stores ? { store: stores.registrations } : {}),
  wallClock,
  ...(secured > 0 ? { dtls: { port: 0, address: '127.0.0.1' }, security: { store: security } } : {}),
  // A sweep every 100 ms instead of 1 s: the epilogue times how soon expired clients go.
  expirySweepIntervalMs: 100,
  // BENCH_SERVER_SEND_THREAD=0: the batched socket sends on the event loop (A/B of the send thread).
  ...(process.env.BENCH_SERVER_SEND_THREAD === '0' ? { udpSendThread: false } : {}),
  address: '127.0.0.1',
  port: 0,
  requestTimeoutMs: REQUEST_TIMEOUT_MS,
  // The simulator registers 100k+ clients from 200 loopback addresses as fast as it can: the
  // per-source rate and count bounds (README "Limits") would measure themselves, not the server.
  limits: {
    maxRegistrations: 10_000_000,
    registrationsPerSecondPerSource: 1e9,
    registrationBurstPerSource: 1e9,
    maxNotificationsPerSecond: 1e9,
  },
});
/** Event-loop delay, sampled every 10 ms; reset by each 'lag' command (one per phase). */
const lag = monitorEventLoopDelay({ resolution: 10 });
lag.enable();
let registrations = 0;
let ingested = 0;
let warnings = 0;
server.on('registered', () => void registrations++);
server.on('deregistered', () => void registrations--);
server.on('notification', () => void ingested++);
server.on('warning', () => void warnings++);
const epilogue = new SweepEpilogue(server, stores?.registrations, wallClock, lag);

const gc = (globalThis as { gc?: () => void }).gc;

function memory(): MemorySample {
  // Two passes: the first may only promote what the second then frees.
  gc?.();
  gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heapUsed, registrations };
}

/**
 * BENCH_SERVER_PHASE_PROF=<dir>: a V8 profile of each round of reads alone, written there as
 * reads-N.cpuprofile, and of the phases the parent marks with 'profile' commands (the registration
 * sweep, each round of notifications); with BENCH_SERVER_PHASE_PROF_KIND=alloc, a sampling allocation profile
 * (reads-N.heapprofile) of every object allocated in the round, the short-lived ones included.
 */
const phaseProfileDir = process.env.BENCH_SERVER_PHASE_PROF;
const allocations = process.env.BENCH_SERVER_PHASE_PROF_KIND === 'alloc';
let readRound = 0;

/** The profile under way, if any: started by 'profile' start, written by 'profile' stop. */
let phaseSession: Session | undefined;

async function startProfile(): Promise<void> {
  const session = new Session();
  session.connect();
  if (allocations) {
    await session.post('HeapProfiler.enable');
    // The two include* flags are V8's (Node 20's typings do not list them yet).
    const params: HeapProfiler.StartSamplingParameterType & Record<string, unknown> = {
      samplingInterval: 4096,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    };
    await session.post('HeapProfiler.startSampling', params);
  } else {
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }
  phaseSession = session;
}

async function stopProfile(name: string): Promise<void> {
  const session = phaseSession;
  if (!session || !phaseProfileDir) return;
  phaseSession = undefined;
  const { profile } = allocations
    ? await session.post('HeapProfiler.stopSampling')
    : await session.post('Profiler.stop');
  const file = `${name}.${allocations ? 'heapprofile' : 'cpuprofile'}`;
  writeFileSync(join(phaseProfileDir, file), JSON.stringify(profile));
  session.disconnect();
}

async function profiled<T>(name: string, fn: () => Promise<T>): Promise<T> {
  if (!phaseProfileDir) return fn();
  await startProfile();
  try {
    return await fn();
  } finally {
    await stopProfile(name);
  }
}

async function reads(c: Extract<ServerCommand, { kind: 'reads' }>): Promise<ServerReplies['reads']> {
  return profiled(`reads-${readRound++}`, () => readLoad(c));
}

/** The endpoint names of clients 0..count-1, made once: the load loop builds no string per request. */
function endpointNames(count: number, secure: boolean): readonly string[] {
  return Array.from({ length: count }, (_, i) => (secure ? securedEndpoint(i) : endpointName(i)));
}

async function readLoad(c: Extract<ServerCommand, { kind: 'reads' }>): Promise<ServerReplies['reads']> {
  const names = endpointNames(c.clients, c.secured ?? false);
  let next = 0;
  const op = async (): Promise<void> => {
    const ep = names[next++ % names.length]!;
    const res = await server.read(ep, '/3/0/0');
    if (!res.ok) throw new Error(`read ${ep} failed`);
  };
  return runLoad(op, { inFlight: c.inFlight, warmupMs: c.warmupMs, durationMs: c.durationMs });
}

async function observe(c: Extract<ServerCommand, { kind: 'observe' }>): Promise<ServerReplies['observe']> {
  let next = 0;
  let accepted = 0;
  let failed = 0;
  const worker = async (): Promise<void> => {
    while (next < c.clients) {
      // As the REST API observes (src/http/lwm2mServerPort.ts): values come from the server's
      // 'notification' event (counted as ingested above), and the handle keeps none.
      const handle = server.observe(endpointName(next++), '/3303/0/5700', { buffer: 0 });
      const res = await handle.response;
      if (!res.ok) {
        failed++;
        continue;
      }
      accepted++;
    }
  };
  await Promise.all(Array.from({ length: c.inFlight }, worker));
  return { accepted, failed };
}

/** The data file's counters and size, the log included (SQLite only). */
function storeSample(checkpoint: boolean): StoreSample | undefined {
  if (!stores) return undefined;
  if (checkpoint) stores.database.checkpoint();
  const { batches, writes } = stores.database.stats();
  const log = stores.database.logStats();
  const file = stores.database.file;
  const size = (f: string): number => (existsSync(f) ? statSync(f).size : 0);
  return {
    batches,
    writes,
    syncs: log?.syncs ?? 0,
    checkpoints: log?.checkpoints ?? 0,
    bytesOnDisk: size(file) + size(`${file}-wal`),
  };
}

async function execute(command: ServerCommand): Promise<ServerReplies[ServerCommand['kind']]> {
  switch (command.kind) {
    case 'memory':
      return memory();
    case 'reads':
      return reads(command);
    case 'observe':
      return observe(command);
    case 'notifications':
      return { ingested, warnings };
    case 'store':
      return storeSample(command.checkpoint ?? false);
    case 'lag': {
      const sample = { p99Ms: lag.percentile(99) / 1e6, maxMs: lag.max / 1e6 };
      lag.reset();
      return sample;
    }
    case 'expiry':
      return epilogue.expiry(command.expect, command.lifetimeS);
    case 'http':
      return epilogue.httpPort();
    case 'profile':
      if (!phaseProfileDir) return undefined;
      if (command.action === 'start') await startProfile();
      else await stopProfile(command.name ?? 'phase');
      return undefined;
    case 'cpu': {
      const { user, system } = process.cpuUsage();
      return user + system;
    }
  }
}

process.on('message', (m: CommandMessage) => {
  execute(m.command).then(
    (result) => process.send?.({ id: m.id, result } satisfies ReplyMessage),
    (e: unknown) => process.send?.({ id: m.id, error: String(e) } satisfies ReplyMessage),
  );
});
process.on('disconnect', () => {
  void (async () => {
    await epilogue.close();
    await server.stop();
    await stores?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  })();
});
process.send?.({
  ready: server.address().port,
  ...(secured > 0 ? { secure: server.secureAddress()!.port } : {}),
} satisfies ReadyMessage);
