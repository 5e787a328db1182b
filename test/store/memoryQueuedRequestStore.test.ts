import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryQueuedRequestStore } from '../../src/store/memory/MemoryQueuedRequestStore.js';
import { queuedEntry, queuedRequestStoreContract } from './queuedRequestStoreContract.js';

queuedRequestStoreContract('memory', (limits) => new MemoryQueuedRequestStore(limits));

test('starts with the entries it is given, finished ones in the order they finished', async () => {
  const store = new MemoryQueuedRequestStore({ maxHistoryPerClient: 2 }, [
    { ...queuedEntry('late'), status: 'expired', updatedAt: 9_000 },
    { ...queuedEntry('early', 'ep1', 500), status: 'expired', updatedAt: 2_000 },
    queuedEntry('q', 'ep1', 3_000),
  ]);
  assert.deepEqual(
    (await store.byEndpoint('ep1')).map((r) => r.id),
    ['q', 'late', 'early'],
  );
  await store.update('q', { status: 'cancelled', updatedAt: 10_000 });
  // 'early' finished first, so it is the one dropped.
  assert.deepEqual(
    (await store.byEndpoint('ep1')).map((r) => r.id),
    ['q', 'late'],
  );
});
