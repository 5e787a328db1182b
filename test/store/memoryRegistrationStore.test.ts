import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import type { Registration } from '../../src/lwm2m/Registration.js';
import { RegistrationPayloadCache } from '../../src/lwm2m/RegistrationPayloadCache.js';
import { newRegistration, parseRegisterRequest } from '../../src/lwm2m/registrationRequest.js';
import { randomRegistrationIds } from '../../src/lwm2m/registrationId.js';
import { MemoryRegistrationStore } from '../../src/store/memory/MemoryRegistrationStore.js';
import { MemoryObservationStore } from '../../src/store/memory/MemoryObservationStore.js';
import { ExpiryHeap } from '../../src/store/memory/ExpiryHeap.js';
import { makePeer } from '../../src/transport/Peer.js';
import { registrationStoreContract } from './registrationStoreContract.js';
import { countOperations, type OperationCount } from './operationCounter.js';
import { makeRegistration } from './storeFixtures.js';

registrationStoreContract('memory', () => new MemoryRegistrationStore());

test('uses the observation store it is given', async () => {
  const observations = new MemoryObservationStore();
  const store = new MemoryRegistrationStore({ observations });
  assert.equal(store.observations, observations);
});

test('keeps its expiry index bounded under many Updates (stale entries are compacted)', async () => {
  const store = new MemoryRegistrationStore();
  await store.add(makeRegistration({ id: 'a', endpoint: 'a', lifetime: 10 }));
  for (let t = 1; t <= 5_000; t++)
    await store.update('a', (cur) => ({ ...cur, expiresAt: cur.expiresAt + 1 }));
  // 1 live registration: the heap may hold at most 2 * 1 + 64 entries plus the one just pushed.
  const heap = (store as unknown as { expiry: { length: number } }).expiry;
  assert.ok(heap.length <= 67, `heap holds ${heap.length} entries`);
  assert.equal(await store.nextExpiry(), 15_000);
});

const N = 100_000;
const PAYLOAD = '</>;rt="oma.lwm2m";ct=11543,</1>;ver=1.1,</1/0>,</3/0>,</4/0>,</5/0>,</3303/0>,</3303/1>';

/** Builds N registrations the way the server does: one parse per client, a shared payload cache, random ids. */
function buildRegistrations(n: number): Registration[] {
  const cache = new RegistrationPayloadCache();
  const nextId = randomRegistrationIds();
  const regs: Registration[] = [];
  for (let i = 0; i < n; i++) {
    const peer = makePeer(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, 5683 + (i % 1000));
    const query = [`ep=urn:imei:35${String(i).padStart(13, '0')}`, 'lt=300', 'lwm2m=1.1', 'b=U'];
    regs.push(
      newRegistration(parseRegisterRequest(query, PAYLOAD, peer, { payloadCache: cache }), nextId(), i),
    );
  }
  return regs;
}

/** Adds regs[from..to) to the store; returns the operations counted meanwhile. */
async function countAdds(
  store: MemoryRegistrationStore,
  count: OperationCount,
  regs: Registration[],
  from: number,
  to: number,
): Promise<number> {
  const before = count.ops;
  for (let i = from; i < to; i++) await store.add(regs[i]!);
  return count.ops - before;
}

/** Looks up every 7th of regs[from..to) by id, endpoint and peer; returns the found count and the operations. */
async function countLookups(
  store: MemoryRegistrationStore,
  count: OperationCount,
  regs: Registration[],
  from: number,
  to: number,
): Promise<{ found: number; ops: number }> {
  const before = count.ops;
  let found = 0;
  for (let i = from; i < to; i += 7) {
    const r = regs[i]!;
    if ((await store.getById(r.id)) === r && (await store.getByEndpoint(r.endpoint)) === r) found++;
    if ((await store.getByPeer(r.peer.key))?.id === r.id) found++;
  }
  return { found, ops: count.ops - before };
}

// The complexity claim is checked by counting the work done on the store's Maps and heap arrays
// (see operationCounter.ts), not by timing it: a count does not depend on the machine's load.
test('adds and lookups stay flat from 0 to 100k registrations; reports heap bytes per registration', async (t) => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const regs = buildRegistrations(N);
  const store = new MemoryRegistrationStore();
  const count = countOperations(store, (v) => v instanceof ExpiryHeap);

  const first = await countAdds(store, count, regs, 0, 10_000);
  const earlyLookups = await countLookups(store, count, regs, 0, 10_000);
  await countAdds(store, count, regs, 10_000, N - 10_000);
  const last = await countAdds(store, count, regs, N - 10_000, N);
  assert.equal(await store.size(), N);
  // The last 10k added, looked up among 100k: a scan in insertion order would find them late.
  const lateLookups = await countLookups(store, count, regs, N - 10_000, N);
  assert.equal(lateLookups.found, earlyLookups.found);
  const { found } = await countLookups(store, count, regs, 0, N);
  assert.equal(found, 2 * Math.ceil(N / 7));
  assert.equal(await store.nextExpiry(), 300_000);

  gc();
  const perRegistration = (process.memoryUsage().heapUsed - heapBefore) / N;
  t.diagnostic(
    `first 10k adds ${first} operations, last 10k adds ${last}; ${Math.ceil(10_000 / 7)} x 3 lookups ` +
      `${earlyLookups.ops} operations at 10k, ${lateLookups.ops} at 100k; heap ${Math.round(perRegistration)} bytes/registration`,
  );
  assert.ok(first > 0, "the counter sees the store's work");
  // O(1) Maps and an O(log n) heap push: at most log2(100k)/log2(10k) (1.25x) more work per add,
  // whereas any scan over the registrations would multiply it by 10 or more.
  assert.ok(last <= 1.25 * first, `last 10k adds took ${last} operations vs ${first} for the first 10k`);
  assert.equal(lateLookups.ops, earlyLookups.ops, 'a lookup costs the same among 100k as among 10k');
  assert.ok(perRegistration < 2048, `${Math.round(perRegistration)} bytes per registration`);
});
