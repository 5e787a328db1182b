import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SqliteCompositeSetStore } from '../../../src/store/sqlite/SqliteCompositeSetStore.js';
import { compositeSetStoreContract } from '../compositeSetStoreContract.js';
import { openTempDatabase, tempDataFile } from './tempDataFiles.js';

compositeSetStoreContract('sqlite', () => new SqliteCompositeSetStore(openTempDatabase()));

test('composite sets are there after close and reopen, replaced and deleted ones as last written', async () => {
  const file = tempDataFile();
  const db = openTempDatabase(file);
  const store = new SqliteCompositeSetStore(db);
  await store.put({ name: 'device', paths: ['/3/0/0', '/3/0/9'], description: 'd', format: 'senml-json' });
  await store.put({ name: 'gone', paths: ['/1/0/1'] });
  await store.put({ name: 'twice', paths: ['/1/0/1'] });
  await store.put({ name: 'twice', paths: ['/1/0/2', '/1/0/3'] });
  await store.delete('gone');
  await db.close();
  const again = new SqliteCompositeSetStore(openTempDatabase(file));
  assert.deepEqual(await again.list(), [
    { name: 'device', paths: ['/3/0/0', '/3/0/9'], description: 'd', format: 'senml-json' },
    { name: 'twice', paths: ['/1/0/2', '/1/0/3'] },
  ]);
});
