import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SqliteBootstrapConfigStore } from '../../../src/store/sqlite/SqliteBootstrapConfigStore.js';
import { bootstrapConfigStoreContract, configWith } from '../bootstrapConfigStoreContract.js';
import { openTempDatabase, tempDataFile } from './tempDataFiles.js';

bootstrapConfigStoreContract('sqlite', () => new SqliteBootstrapConfigStore(openTempDatabase()));

test('configs, key bytes and the default included, are there after close and reopen', async () => {
  const file = tempDataFile();
  const db = openTempDatabase(file);
  const store = new SqliteBootstrapConfigStore(db);
  const rich = {
    ...configWith(300),
    acl: { 0: { objectId: 3, objectInstanceId: 0, acl: { 1: 31 }, owner: 1 } },
    objects: { '/3/0/14': '+02', '/3/0/13': { 0: 'aa' } },
    contentFormat: 11543,
    discover: true,
    readServers: false,
  };
  await store.put('ep', rich);
  await store.put('*', configWith(60));
  await store.put('gone', configWith(1));
  await store.put('ep2', configWith(2));
  await store.put('ep2', configWith(3));
  await store.delete('gone');
  await db.close();
  const again = new SqliteBootstrapConfigStore(openTempDatabase(file));
  assert.deepEqual(await again.getExact('ep'), rich);
  assert.deepEqual(await again.get('unknown'), configWith(60));
  assert.deepEqual(await again.getExact('ep2'), configWith(3));
  assert.equal(await again.getExact('gone'), undefined);
  assert.deepEqual(
    (await again.list()).map((e) => e.endpoint),
    ['*', 'ep', 'ep2'],
  );
});
