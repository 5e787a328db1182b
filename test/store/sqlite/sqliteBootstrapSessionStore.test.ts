import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SqliteBootstrapSessionStore } from '../../../src/store/sqlite/SqliteBootstrapSessionStore.js';
import { SqliteOpenError } from '../../../src/store/sqlite/sqliteErrors.js';
import {
  bootstrapSessionStoreContract,
  endedSession,
  failedSession,
} from '../bootstrapSessionStoreContract.js';
import { openTempDatabase, tempDataFile } from './tempDataFiles.js';

bootstrapSessionStoreContract(
  'sqlite',
  (limits) => new SqliteBootstrapSessionStore(openTempDatabase(), limits),
);

const ids = (store: SqliteBootstrapSessionStore) => store.list().then((l) => l.map((r) => r.id));

test('sessions, their order and the bound are there after close and reopen', async () => {
  const file = tempDataFile();
  const db = openTempDatabase(file);
  const store = new SqliteBootstrapSessionStore(db, { maxSessions: 3 });
  for (const id of ['s1', 's2', 's3', 's4']) await store.put(endedSession(id));
  await store.put(failedSession('s2', 'ep2'));
  const before = await store.list();
  assert.deepEqual(
    before.map((r) => r.id),
    ['s3', 's4', 's2'],
  );
  await db.close();
  const again = new SqliteBootstrapSessionStore(openTempDatabase(file), { maxSessions: 3 });
  assert.deepEqual(await again.list(), before);
  assert.deepEqual(again.stats(), { sessions: 3, dropped: 0, maxSessions: 3 });
  await again.put(endedSession('s5'));
  assert.deepEqual(await ids(again), ['s4', 's2', 's5']);
});

test('reopened with a lower maxSessions, the oldest sessions leave the file too', async () => {
  const file = tempDataFile();
  const db = openTempDatabase(file);
  const store = new SqliteBootstrapSessionStore(db);
  for (const id of ['s1', 's2', 's3']) await store.put(endedSession(id));
  await db.close();
  const smallDb = openTempDatabase(file);
  const small = new SqliteBootstrapSessionStore(smallDb, { maxSessions: 1 });
  assert.deepEqual(await ids(small), ['s3']);
  assert.deepEqual(small.stats(), { sessions: 1, dropped: 2, maxSessions: 1 });
  await smallDb.close();
  assert.deepEqual(await ids(new SqliteBootstrapSessionStore(openTempDatabase(file))), ['s3']);
});

test('a row that cannot be read stops the open with SqliteOpenError', async () => {
  const file = tempDataFile();
  const db = openTempDatabase(file);
  await new SqliteBootstrapSessionStore(db).put(endedSession('s1'));
  db.connection.prepare('UPDATE bootstrap_sessions SET record = \'{"steps": 3}\'').run();
  assert.throws(() => new SqliteBootstrapSessionStore(db), SqliteOpenError);
});
