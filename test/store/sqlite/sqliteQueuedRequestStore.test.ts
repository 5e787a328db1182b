import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeComposite } from '../../../src/lwm2m/requests.js';
import { Lwm2mPath } from '../../../src/lwm2m/Lwm2mPath.js';
import { SqliteQueuedRequestStore } from '../../../src/store/sqlite/SqliteQueuedRequestStore.js';
import { queuedEntry, queuedRequestStoreContract } from '../queuedRequestStoreContract.js';
import { openTempDatabase, tempDataFile } from './tempDataFiles.js';

queuedRequestStoreContract('sqlite', (limits) => new SqliteQueuedRequestStore(openTempDatabase(), limits));

test('entries, statuses, results and the history bounds are there after close and reopen', async () => {
  const file = tempDataFile();
  const db = openTempDatabase(file);
  const store = new SqliteQueuedRequestStore(db, { maxHistoryPerClient: 2 });
  const composite = writeComposite([
    {
      path: Lwm2mPath.parse('/1/0/1'),
      node: { kind: 'resource', id: 1, value: { type: 'opaque', value: Uint8Array.of(0, 255) } },
    },
  ]);
  await store.add(queuedEntry('w', 'ep1', 1_000, composite));
  for (let i = 0; i < 3; i++) await store.add(queuedEntry(`d${i}`, 'ep1', 2_000 + i));
  const content = [
    {
      path: Lwm2mPath.parse('/3/0/9'),
      node: { kind: 'resource', id: 9, value: { type: 'float', value: -0 } } as const,
    },
  ];
  const result = { code: 0x45, ok: true, format: 112, content };
  for (let i = 0; i < 3; i++)
    await store.update(`d${i}`, { status: 'answered', updatedAt: 5_000 + i, result });
  await store.update('w', { status: 'sent', updatedAt: 6_000 });
  const before = await store.byEndpoint('ep1');
  await db.close();
  const again = new SqliteQueuedRequestStore(openTempDatabase(file), { maxHistoryPerClient: 2 });
  assert.deepEqual(await again.byEndpoint('ep1'), before);
  assert.deepEqual(
    before.map((r) => `${r.id}:${r.status}`),
    ['d2:answered', 'd1:answered', 'w:sent'],
  );
  assert.ok(Object.is((before[0]!.result!.content as typeof content)[0]!.node.value.value, -0));
  assert.deepEqual(
    (await again.pending()).map((r) => r.id),
    ['w'],
  );
  assert.deepEqual(again.stats(), { pending: 1, history: 2, droppedFromHistory: 0 });
});
