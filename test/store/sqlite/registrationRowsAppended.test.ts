// Schema version 4 (issue 14 benchmark): registrations are appended to a table without indexes,
// memory knowing each one's row, so a Register writes about one row's bytes to the log instead of
// random pages of two B-trees; a rolled-back batch leaves that knowledge as the file has it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { SqliteRegistrationStore } from '../../../src/store/sqlite/SqliteRegistrationStore.js';
import { SqliteWriteError } from '../../../src/store/sqlite/sqliteErrors.js';
import { makeRegistration as reg } from '../storeFixtures.js';
import { openTempDatabase, tempDataFile } from './tempDataFiles.js';

test('Registers with random ids write about one row each to the log, not random pages of indexes', async () => {
  const file = tempDataFile();
  const db = openTempDatabase(file, { checkpointBytes: 1 << 30 });
  const store = await SqliteRegistrationStore.open(db);
  const count = 3_000;
  const concurrency = 32;
  const regs = Array.from({ length: count }, (_, i) =>
    reg({
      id: randomBytes(10).toString('base64url'),
      endpoint: `dev-${randomBytes(4).toString('hex')}-${i}`,
    }),
  );
  // Half first, so the table has many pages where random keys would land.
  const addAll = async (from: number, to: number): Promise<void> => {
    let next = from;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < to) await store.add(regs[next++]!);
      }),
    );
  };
  await addAll(0, count / 2);
  const before = statSync(`${file}-wal`).size;
  await addAll(count / 2, count);
  const perRegister = (statSync(`${file}-wal`).size - before) / (count / 2);
  // Measured here: about 0.7 kB per Register appended, 13 kB with the version 2 table (random id
  // as the key of a table without rowid, plus a unique endpoint index).
  assert.ok(perRegister < 2_048, `${Math.round(perRegister)} bytes of log per Register`);
  await db.close();
  const again = await SqliteRegistrationStore.open(openTempDatabase(file));
  assert.equal(await again.size(), count);
});

test('a batch rolled back (disk full) leaves the rows memory knows as the file has them: the old registration is still removed from the file later', async () => {
  const file = tempDataFile();
  const db = openTempDatabase(file);
  const store = await SqliteRegistrationStore.open(db);
  await store.add(reg({ id: 'old', endpoint: 'ep' }));
  db.connection.pragma(`max_page_count = ${db.connection.pragma('page_count', { simple: true }) as number}`);
  const big = reg({ id: 'new', endpoint: 'ep', query: [`x=${'y'.repeat(30_000)}`] });
  await assert.rejects(store.add(big), SqliteWriteError);
  db.connection.pragma('max_page_count = 1073741823');
  assert.equal((await store.getByEndpoint('ep'))?.id, 'old');
  await store.update('old', (cur) => ({ ...cur, lifetime: 42 }));
  await store.remove('old');
  await store.add(reg({ id: 'other', endpoint: 'ep2' }));
  await db.close();
  const again = await SqliteRegistrationStore.open(openTempDatabase(file));
  assert.equal(await again.getById('old'), undefined, 'the de-registration reached the file');
  assert.deepEqual(
    (await again.page({ limit: 10 })).items.map((r) => r.id),
    ['other'],
  );
});

test('at open, a row that a later row replaces (same id or same endpoint) is dropped from memory and from the file', async () => {
  const file = tempDataFile();
  const db = openTempDatabase(file);
  const store = await SqliteRegistrationStore.open(db);
  await store.add(reg({ id: 'a', endpoint: 'ep-a' }));
  await store.add(reg({ id: 'b', endpoint: 'ep-b' }));
  await db.close();
  // Rows no version writes: a second row of endpoint ep-a, and a second row of id b.
  const raw = openTempDatabase(file);
  const first = raw.connection.prepare('SELECT record FROM registrations WHERE id = ?');
  const put = raw.connection.prepare('INSERT INTO registrations (id, endpoint, record) VALUES (?, ?, ?)');
  put.run('a2', 'ep-a', (first.get('a') as { record: string }).record);
  put.run('b', 'ep-b2', (first.get('b') as { record: string }).record);
  await raw.close();
  const reopened = openTempDatabase(file);
  const again = await SqliteRegistrationStore.open(reopened);
  assert.deepEqual((await again.page({ limit: 10 })).items.map((r) => `${r.id} ${r.endpoint}`).sort(), [
    'a2 ep-a',
    'b ep-b2',
  ]);
  const rows = reopened.connection.prepare('SELECT id, endpoint FROM registrations ORDER BY row').all();
  assert.deepEqual(rows, [
    { id: 'a2', endpoint: 'ep-a' },
    { id: 'b', endpoint: 'ep-b2' },
  ]);
});
