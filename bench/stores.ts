// `npm run bench -- stores [--count N] [--concurrency C] [--normal] [--json]`: Register-like
// writes through the SQLite registration store (group commit, synchronous=FULL, or NORMAL with
// --normal) beside the memory store, bytes on disk per registration (then with one observation
// each), and the time to reopen the file (load every registration and observation into memory).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RegistrationPayloadCache } from '../src/lwm2m/RegistrationPayloadCache.js';
import type { Registration } from '../src/lwm2m/Registration.js';
import { newRegistration, parseRegisterRequest } from '../src/lwm2m/registrationRequest.js';
import { MemoryRegistrationStore } from '../src/store/memory/MemoryRegistrationStore.js';
import type { RegistrationStore } from '../src/store/RegistrationStore.js';
import { SqliteDatabase } from '../src/store/sqlite/SqliteDatabase.js';
import { SqliteRegistrationStore } from '../src/store/sqlite/SqliteRegistrationStore.js';
import { makePeer } from '../src/transport/Peer.js';
import { Lwm2mPath } from '../src/lwm2m/Lwm2mPath.js';

const PAYLOAD = '</>;rt="oma.lwm2m";ct=11543,</1>;ver=1.1,</1/0>,</3/0>,</4/0>,</5/0>,</3303/0>,</3303/1>';

function option(args: readonly string[], name: string, fallback: number): number {
  const at = args.indexOf(name);
  const value = at >= 0 ? Number(args[at + 1]) : fallback;
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
}

function registrations(count: number): Registration[] {
  const cache = new RegistrationPayloadCache();
  const out: Registration[] = [];
  for (let i = 0; i < count; i++) {
    const peer = makePeer(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, 5683 + (i % 1000));
    const req = parseRegisterRequest(
      [`ep=bench-device-${i}`, 'lt=86400', 'lwm2m=1.1', 'b=U'],
      PAYLOAD,
      peer,
      {
        payloadCache: cache,
      },
    );
    out.push(newRegistration(req, `reg${i.toString(36).padStart(8, '0')}`, Date.now()));
  }
  return out;
}

/** Adds every record with `concurrency` adds in flight (as many Registers a server handles at once); writes/s. */
async function addAll(
  store: RegistrationStore,
  regs: readonly Registration[],
  concurrency: number,
): Promise<number> {
  const started = performance.now();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < regs.length) await store.add(regs[next++]!);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return regs.length / ((performance.now() - started) / 1000);
}

/** Runs the benchmark and prints its figures. */
export async function run(args: readonly string[]): Promise<void> {
  const count = option(args, '--count', 20_000);
  const concurrency = option(args, '--concurrency', 256);
  const regs = registrations(count);
  const memoryRate = await addAll(new MemoryRegistrationStore(), regs, concurrency);
  const dir = mkdtempSync(join(tmpdir(), 'lwm2m-bench-stores-'));
  try {
    const file = join(dir, 'bench.db');
    const synchronous = args.includes('--normal') ? 'NORMAL' : 'FULL';
    const db = SqliteDatabase.open(file, { synchronous });
    const store = await SqliteRegistrationStore.open(db);
    const sqliteRate = await addAll(store, regs, concurrency);
    const batches = db.stats().batches;
    db.connection.pragma('wal_checkpoint(TRUNCATE)');
    const registrationBytes = statSync(file).size;
    // One observation per registration, so the reopen below loads as many observations.
    const path = Lwm2mPath.parse('/3303/0/5700');
    await Promise.all(
      regs.map((r, i) =>
        store.observations.add({
          registrationId: r.id,
          token: Uint8Array.of(i >>> 24, (i >>> 16) & 255, (i >>> 8) & 255, i & 255, 1, 2, 3, 4),
          kind: 'single',
          paths: [path],
          createdAt: r.registeredAt,
        }),
      ),
    );
    await db.close();
    const bytes = statSync(file).size;
    const reopenStarted = performance.now();
    const again = SqliteDatabase.open(file);
    const reopened = await SqliteRegistrationStore.open(again);
    const reopenMs = performance.now() - reopenStarted;
    const loaded = await reopened.size();
    const observationsLoaded = await reopened.observations.size();
    await again.close();
    const result = {
      count,
      concurrency,
      synchronous,
      memoryWritesPerS: Math.round(memoryRate),
      sqliteWritesPerS: Math.round(sqliteRate),
      sqliteToMemory: Number((sqliteRate / memoryRate).toFixed(3)),
      batches,
      writesPerBatch: Number((count / batches).toFixed(1)),
      bytesOnDiskPerRegistration: Math.round(registrationBytes / count),
      bytesOnDiskPerRegistrationWithObservation: Math.round(bytes / count),
      reopenMs: Math.round(reopenMs),
      loaded,
      observationsLoaded,
    };
    if (args.includes('--json')) console.log(JSON.stringify(result));
    else for (const [k, v] of Object.entries(result)) console.log(`${k.padEnd(44)} ${v}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
