// A batch's new registration rows reach the file together (RowAppender): one multi-row INSERT
// per 32 rows; a row updated or deleted in the batch that appended it, and a batch rolled back
// after appending, leave the file as memory says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyUpdate } from '../../../src/lwm2m/registrationRequest.js';
import type { SqliteStatement } from '../../../src/store/sqlite/betterSqlite3.js';
import { SqliteRegistrationStore } from '../../../src/store/sqlite/SqliteRegistrationStore.js';
import { SqliteWriteError } from '../../../src/store/sqlite/sqliteErrors.js';
import { makeRegistration as reg } from '../storeFixtures.js';
import { openTempDatabase, tempDataFile } from './tempDataFiles.js';

const ids = async (store: SqliteRegistrationStore): Promise<string[]> => {
  const out: string[] = [];
  for await (const r of store.all()) out.push(r.id);
  return out.sort();
};

test('40 Registers in one batch append their rows with two INSERTs (32 rows, then 8)', async () => {
  const db = openTempDatabase();
  const inserts: number[] = [];
  const prepare = db.connection.prepare.bind(db.connection);
  db.connection.prepare = (sql: string): SqliteStatement => {
    const statement = prepare(sql);
    if (!sql.startsWith('INSERT INTO registrations')) return statement;
    const run = statement.run.bind(statement);
    statement.run = (...params: readonly unknown[]) => {
      inserts.push((params[0] as unknown[]).length / 4);
      return run(...params);
    };
    return statement;
  };
  const store = await SqliteRegistrationStore.open(db);
  await Promise.all(
    Array.from({ length: 40 }, (_, i) => store.add(reg({ id: `r${i}`, endpoint: `ep${i}` }))),
  );
  assert.equal(db.stats().batches, 1);
  assert.deepEqual(inserts, [32, 8]);
  const { n } = db.connection.prepare('SELECT COUNT(*) AS n FROM registrations').get() as { n: number };
  assert.equal(n, 40);
});

test('a row updated, replaced or removed in the batch that appended it ends as memory says, after reopen too', async () => {
  const file = tempDataFile();
  const db = openTempDatabase(file);
  const store = await SqliteRegistrationStore.open(db);
  await store.add(reg({ id: 'old', endpoint: 'kept' }));
  await Promise.all([
    store.add(reg({ id: 'a', endpoint: 'a' })),
    store.update('a', (r) => applyUpdate(r, { lifetime: 999 }, r.peer, 5)),
    store.add(reg({ id: 'b', endpoint: 'b' })),
    store.remove('b'),
    store.add(reg({ id: 'c', endpoint: 'c' })),
    store.add(reg({ id: 'c2', endpoint: 'c' })), // replaces c
    store.add(reg({ id: 'new', endpoint: 'kept' })), // replaces a row of an earlier batch
  ]);
  assert.equal(db.stats().batches, 2);
  assert.deepEqual(await ids(store), ['a', 'c2', 'new']);
  await db.close();
  const reopened = openTempDatabase(file);
  const again = await SqliteRegistrationStore.open(reopened);
  assert.deepEqual(await ids(again), ['a', 'c2', 'new']);
  assert.equal((await again.getById('a'))?.lifetime, 999);
  const { n } = reopened.connection.prepare('SELECT COUNT(*) AS n FROM registrations').get() as { n: number };
  assert.equal(n, 3, 'no stale rows');
});

test('a batch rolled back after appending leaves neither its rows nor its registrations; later rows go on', async () => {
  const file = tempDataFile();
  const db = openTempDatabase(file);
  const store = await SqliteRegistrationStore.open(db);
  await store.add(reg({ id: 'before', endpoint: 'before' }));
  const results = await Promise.allSettled([
    store.add(reg({ id: 'x', endpoint: 'x' })),
    store.add(reg({ id: 'y', endpoint: 'y' })),
    db.write(() => {
      throw Object.assign(new Error('disk full'), { code: 'SQLITE_FULL' });
    }),
  ]);
  assert.ok(results.every((r) => r.status === 'rejected' && r.reason instanceof SqliteWriteError));
  assert.deepEqual(await ids(store), ['before']);
  await store.add(reg({ id: 'after', endpoint: 'after' }));
  await db.close();
  const again = await SqliteRegistrationStore.open(openTempDatabase(file));
  assert.deepEqual(await ids(again), ['after', 'before']);
});
