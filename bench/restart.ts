// `npm run bench -- restart [--registrations N] [--no-observations] [--json]`: restart-to-ready of
// the server on its SQLite data file (issue 14: target ≤ 5 s with 100k registrations). A file is
// filled with N registrations (and one observation each unless --no-observations), closed, then
// timed: open the file (load every row into memory) and start an Lwm2mServer on it, until start()
// resolves (listening, known peers and stored observations indexed). Also: bytes on disk per
// registration, and the heap the loaded stores hold.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Lwm2mPath } from '../src/lwm2m/Lwm2mPath.js';
import { newRegistration, parseRegisterRequest } from '../src/lwm2m/registrationRequest.js';
import { RegistrationPayloadCache } from '../src/lwm2m/RegistrationPayloadCache.js';
import { Lwm2mServer } from '../src/server/Lwm2mServer.js';
import { openSqliteStores } from '../src/store/sqlite/openSqliteStores.js';
import { makePeer } from '../src/transport/Peer.js';

const PAYLOAD = '</>;rt="oma.lwm2m";ct=11543,</1>;ver=1.1,</1/0>,</3/0>,</4/0>,</5/0>,</3303/0>,</3303/1>';

function option(args: readonly string[], name: string, fallback: number): number {
  const at = args.indexOf(name);
  const value = at >= 0 ? Number(args[at + 1]) : fallback;
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
}

/** Writes `count` registrations (and observations) into `file`, `inFlight` writes at a time. */
async function fill(file: string, count: number, observations: boolean): Promise<void> {
  const stores = await openSqliteStores(file);
  const cache = new RegistrationPayloadCache();
  const path = Lwm2mPath.parse('/3303/0/5700');
  const now = Date.now();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      const peer = makePeer(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, 5683 + (i % 1000));
      const query = [`ep=restart-device-${i}`, 'lt=86400', 'lwm2m=1.1', 'b=U'];
      const req = parseRegisterRequest(query, PAYLOAD, peer, { payloadCache: cache });
      const reg = newRegistration(req, `reg${i.toString(36).padStart(8, '0')}`, now);
      await stores.registrations.add(reg);
      if (observations)
        await stores.registrations.observations.add({
          registrationId: reg.id,
          token: Uint8Array.of(i >>> 24, (i >>> 16) & 255, (i >>> 8) & 255, i & 255, 1, 2, 3, 4),
          kind: 'single',
          paths: [path],
          createdAt: now,
        });
    }
  };
  await Promise.all(Array.from({ length: 256 }, worker));
  stores.database.checkpoint();
  await stores.close();
}

/** Restart-to-ready of a data file holding `count` registrations (and one observation each). */
export interface RestartResult {
  readonly registrations: number;
  readonly observations: number;
  readonly fillMs: number;
  readonly loadMs: number;
  readonly restartToReadyMs: number;
  readonly bytesOnDiskPerRegistration: number;
  readonly heapBytesPerRegistration: number;
}

/** Runs the benchmark and prints its figures. */
export async function run(args: readonly string[]): Promise<void> {
  const count = option(args, '--registrations', 100_000);
  const result = await measureRestart(count, !args.includes('--no-observations'));
  if (args.includes('--json')) console.log(JSON.stringify(result));
  else
    console.log(
      `restart with ${result.registrations} registrations and ${result.observations} observations: ` +
        `ready in ${result.restartToReadyMs} ms (file loaded in ${result.loadMs} ms), ` +
        `${result.bytesOnDiskPerRegistration} bytes on disk and ~${result.heapBytesPerRegistration} ` +
        `bytes of heap per registration (filled in ${result.fillMs} ms)`,
    );
}

/** Fills a temporary data file, then times opening it and starting a server on it. */
export async function measureRestart(count: number, observations: boolean): Promise<RestartResult> {
  const dir = mkdtempSync(join(tmpdir(), 'lwm2m-bench-restart-'));
  try {
    const file = join(dir, 'server.db');
    const fillStarted = performance.now();
    await fill(file, count, observations);
    const fillMs = performance.now() - fillStarted;
    const bytes = statSync(file).size;
    (globalThis as { gc?: () => void }).gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const started = performance.now();
    const stores = await openSqliteStores(file);
    const loadedMs = performance.now() - started;
    const server = await Lwm2mServer.start({ address: '127.0.0.1', port: 0, store: stores.registrations });
    const readyMs = performance.now() - started;
    (globalThis as { gc?: () => void }).gc?.();
    const heapAfter = process.memoryUsage().heapUsed;
    const result: RestartResult = {
      registrations: await stores.registrations.size(),
      observations: await stores.registrations.observations.size(),
      fillMs: Math.round(fillMs),
      loadMs: Math.round(loadedMs),
      restartToReadyMs: Math.round(readyMs),
      bytesOnDiskPerRegistration: Math.round(bytes / count),
      heapBytesPerRegistration: Math.round((heapAfter - heapBefore) / count),
    };
    await server.stop();
    await stores.close();
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
