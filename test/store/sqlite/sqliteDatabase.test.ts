import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openSync, writeFileSync, writeSync, closeSync, statSync } from 'node:fs';
import { SqliteDatabase } from '../../../src/store/sqlite/SqliteDatabase.js';
import { openConnection } from '../../../src/store/sqlite/betterSqlite3.js';
import { MIGRATIONS } from '../../../src/store/sqlite/migrations.js';
import {
  SqliteOpenError,
  SqliteSchemaVersionError,
  SqliteWriteError,
} from '../../../src/store/sqlite/sqliteErrors.js';
import { openTempDatabase, tempDataFile } from './tempDataFiles.js';

const count = (db: SqliteDatabase, table: string): number =>
  (db.connection.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

test('creates a new file at the latest schema version, WAL, synchronous=FULL by the store, mode 0600; reopens it as is', async () => {
  const file = tempDataFile();
  const db = openTempDatabase(file);
  assert.deepEqual(db.schema, { from: 0, to: MIGRATIONS.length });
  assert.equal(db.connection.pragma('journal_mode', { simple: true }), 'wal');
  // FULL, with the log's fsync done by the store off the event loop (DurableLog.ts): SQLite's own
  // syncs and automatic checkpoints are off, and a write resolves only after the store's fsync.
  assert.equal(db.connection.pragma('synchronous', { simple: true }), 0);
  assert.equal(db.connection.pragma('wal_autocheckpoint', { simple: true }), 0);
  await db.write(() => db.connection.prepare("INSERT INTO bootstrap_configs VALUES ('a', '{}')").run());
  assert.equal(db.logStats()?.syncs, 1, 'the log was fsynced before the write resolved');
  assert.equal(statSync(file).mode & 0o777, 0o600);
  await db.close();
  const again = openTempDatabase(file);
  assert.deepEqual(again.schema, { from: MIGRATIONS.length, to: MIGRATIONS.length });
  await again.close();
});

test('refuses a file whose schema is newer than this version knows, with a typed error, and leaves it alone', async () => {
  const file = tempDataFile();
  const db = openTempDatabase(file);
  db.connection.prepare('INSERT INTO schema_version VALUES (?, ?, ?)').run(99, 'from the future', 0);
  await db.close();
  assert.throws(
    () => SqliteDatabase.open(file),
    (e: unknown) =>
      e instanceof SqliteSchemaVersionError &&
      e.code === 'STORE_SQLITE_SCHEMA_TOO_NEW' &&
      e.found === 99 &&
      e.supported === MIGRATIONS.length &&
      e.message.includes(`newer than ${MIGRATIONS.length}`),
  );
  // Neither changed nor left locked.
  const raw = openConnection(file, { timeout: 20 });
  raw.exec('BEGIN IMMEDIATE; COMMIT');
  assert.deepEqual(raw.prepare('SELECT version FROM schema_version ORDER BY version').all(), [
    ...MIGRATIONS.map((m) => ({ version: m.version })),
    { version: 99 },
  ]);
  raw.close();
});

test('refuses a file that is not SQLite with a typed error (never a silent empty start)', () => {
  const file = tempDataFile('text');
  writeFileSync(file, 'registrations: none, this is a text file\n'.repeat(200));
  assert.throws(
    () => SqliteDatabase.open(file),
    (e: unknown) => e instanceof SqliteOpenError && e.reason === 'not-a-database' && e.file === file,
  );
});

test('refuses a corrupt SQLite file at open with a typed error', async () => {
  const file = tempDataFile('corrupt');
  const db = openTempDatabase(file);
  const put = db.connection.prepare('INSERT INTO bootstrap_configs VALUES (?, ?)');
  for (let i = 0; i < 200; i++) await db.write(() => put.run(`ep${i}`, 'x'.repeat(200)));
  db.connection.pragma('wal_checkpoint(TRUNCATE)');
  await db.close();
  // Overwrite the last two pages (leaves of bootstrap_configs, which opening the file does not
  // read: only the integrity check finds them) with garbage; the header stays valid.
  const size = statSync(file).size;
  assert.ok(size >= 16 * 4096, `${size} bytes`);
  const fd = openSync(file, 'r+');
  writeSync(fd, Buffer.alloc(8192, 0x5a), 0, 8192, size - 8192);
  closeSync(fd);
  assert.throws(
    () => SqliteDatabase.open(file),
    (e: unknown) => e instanceof SqliteOpenError && e.reason === 'corrupt',
  );
});

test('refuses a file another connection holds (one server per data file)', async () => {
  const file = tempDataFile();
  const db = openTempDatabase(file);
  assert.throws(
    () => SqliteDatabase.open(file, { busyTimeoutMs: 20 }),
    (e: unknown) => e instanceof SqliteOpenError && e.reason === 'locked' && e.sqliteCode === 'SQLITE_BUSY',
  );
  await db.close();
  openTempDatabase(file);
});

test('group commit: writes of one turn share one transaction and resolve only once committed', async () => {
  const db = openTempDatabase();
  const put = db.connection.prepare('INSERT INTO bootstrap_configs VALUES (?, ?)');
  const settled: number[] = [];
  const writes = [0, 1, 2, 3, 4].map((i) =>
    db.write(() => put.run(`ep${i}`, '{}')).then(() => settled.push(i)),
  );
  // Queued, not written: nothing is in the file and no promise has settled yet.
  assert.equal(count(db, 'bootstrap_configs'), 0);
  await Promise.resolve();
  assert.deepEqual(settled, []);
  await Promise.all(writes);
  assert.deepEqual(settled, [0, 1, 2, 3, 4]);
  assert.equal(count(db, 'bootstrap_configs'), 5);
  assert.deepEqual(db.stats(), { batches: 1, writes: 5, failedBatches: 0, queued: 0 });
});

test('group commit: the queue never holds more than maxBatch writes (a full batch is flushed at once)', async () => {
  const db = openTempDatabase(tempDataFile(), { groupCommit: { maxBatch: 4 } });
  const put = db.connection.prepare('INSERT INTO bootstrap_configs VALUES (?, ?)');
  const writes: Promise<void>[] = [];
  for (let i = 0; i < 10; i++) {
    writes.push(db.write(() => put.run(`ep${i}`, '{}')));
    assert.ok(db.stats().queued < 4);
  }
  assert.equal(count(db, 'bootstrap_configs'), 8);
  await Promise.all(writes);
  assert.deepEqual(db.stats(), { batches: 3, writes: 10, failedBatches: 0, queued: 0 });
});

test('a batch that fails (disk full) rejects each of its writes with a typed 5.03 error, rolls back, and later writes work', async () => {
  const db = openTempDatabase();
  const put = db.connection.prepare('INSERT INTO bootstrap_configs VALUES (?, ?)');
  await db.write(() => put.run('first', '{}'));
  // The file may not grow: the next batch hits SQLITE_FULL, as on a full disk.
  const pages = db.connection.pragma('page_count', { simple: true }) as number;
  db.connection.pragma(`max_page_count = ${pages}`);
  const failedCallbacks: string[] = [];
  const big = 'x'.repeat(20_000);
  const results = await Promise.allSettled(
    ['a', 'b', 'c'].map((ep) =>
      db.write(
        () => put.run(ep, big),
        () => failedCallbacks.push(ep),
      ),
    ),
  );
  for (const r of results) {
    assert.equal(r.status, 'rejected');
    const e = (r as PromiseRejectedResult).reason as unknown;
    assert.ok(e instanceof SqliteWriteError, String(e));
    assert.equal(e.sqliteCode, 'SQLITE_FULL');
    assert.equal(e.code, 'STORE_SQLITE_WRITE_FAILED');
    assert.equal(e.coapCode, 0xa3);
    assert.equal(e.batchSize, 3);
  }
  assert.deepEqual(failedCallbacks, ['a', 'b', 'c']);
  assert.equal(count(db, 'bootstrap_configs'), 1, 'the failed batch was rolled back');
  assert.equal(db.stats().failedBatches, 1);
  db.connection.pragma('max_page_count = 1073741823');
  await db.write(() => put.run('later', big));
  assert.equal(count(db, 'bootstrap_configs'), 2);
});

test('close commits what is queued; a write after close is refused', async () => {
  const file = tempDataFile();
  const db = openTempDatabase(file);
  const put = db.connection.prepare('INSERT INTO bootstrap_configs VALUES (?, ?)');
  const pending = db.write(() => put.run('queued', '{}'));
  await db.close();
  await pending;
  await assert.rejects(
    db.write(() => undefined),
    /closed/,
  );
  const again = openTempDatabase(file);
  assert.equal(count(again, 'bootstrap_configs'), 1);
});

test('a driver build that cannot be loaded gives a typed error naming LWM2M_SQLITE_BINDING', () => {
  assert.throws(
    () => SqliteDatabase.open(tempDataFile(), { nativeBinding: '/nonexistent/better_sqlite3.node' }),
    (e: unknown) =>
      e instanceof SqliteOpenError && e.reason === 'native-binding' && /LWM2M_SQLITE_BINDING/.test(e.message),
  );
});

test('group commit with delayMs: writes of several turns wait for the timer and share one batch', async () => {
  const db = openTempDatabase(tempDataFile(), { groupCommit: { delayMs: 50 } });
  const put = db.connection.prepare('INSERT INTO bootstrap_configs VALUES (?, ?)');
  const first = db.write(() => put.run('a', '{}'));
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(count(db, 'bootstrap_configs'), 0, 'not flushed on the next turn');
  const second = db.write(() => put.run('b', '{}'));
  await Promise.all([first, second]);
  assert.deepEqual(db.stats(), { batches: 1, writes: 2, failedBatches: 0, queued: 0 });
});

test('synchronous NORMAL (opt-in) leaves syncs to SQLite: no fsync per batch, automatic checkpoints on', async () => {
  const db = openTempDatabase(tempDataFile(), { synchronous: 'NORMAL' });
  assert.equal(db.connection.pragma('synchronous', { simple: true }), 1);
  assert.equal(db.connection.pragma('wal_autocheckpoint', { simple: true }), 1000);
  assert.equal(db.logStats(), undefined);
  await db.write(() => db.connection.prepare("INSERT INTO bootstrap_configs VALUES ('a', '{}')").run());
  assert.equal(count(db, 'bootstrap_configs'), 1);
});

test('the log is checkpointed (with synchronous=FULL) once past checkpointBytes, so it stays bounded; nothing is lost', async () => {
  const file = tempDataFile();
  const db = openTempDatabase(file, { checkpointBytes: 64 * 1024 });
  const put = db.connection.prepare('INSERT INTO bootstrap_configs VALUES (?, ?)');
  let largest = 0;
  for (let i = 0; i < 200; i++) {
    await db.write(() => put.run(`ep${i}`, 'x'.repeat(1000)));
    largest = Math.max(largest, statSync(`${file}-wal`).size);
  }
  const stats = db.logStats()!;
  assert.ok(stats.checkpoints >= 2, JSON.stringify(stats));
  assert.equal(stats.failedCheckpoints, 0);
  // Bounded by the threshold plus one batch (the check runs before each transaction); without
  // checkpoints, 200 such writes make a log of megabytes.
  assert.ok(largest < 2 * 64 * 1024, `log grew to ${largest} bytes`);
  assert.equal(db.connection.pragma('synchronous', { simple: true }), 0, 'back to the store syncing the log');
  await db.close();
  const again = openTempDatabase(file);
  assert.equal(count(again, 'bootstrap_configs'), 200);
});
