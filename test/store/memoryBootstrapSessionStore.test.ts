import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryBootstrapSessionStore } from '../../src/store/memory/MemoryBootstrapSessionStore.js';
import { bootstrapSessionStoreContract, endedSession } from './bootstrapSessionStoreContract.js';

bootstrapSessionStoreContract('memory', (limits) => new MemoryBootstrapSessionStore(limits));

test('starts with the sessions it is given, oldest first, trimmed to maxSessions', async () => {
  const store = new MemoryBootstrapSessionStore({ maxSessions: 2 }, [
    endedSession('s1'),
    endedSession('s2'),
    endedSession('s3'),
  ]);
  assert.deepEqual(
    (await store.list()).map((r) => r.id),
    ['s2', 's3'],
  );
  assert.deepEqual(store.stats(), { sessions: 2, dropped: 1, maxSessions: 2 });
});
