// Temporary data files for the SQLite store tests: one directory per test file, removed (after
// every database opened through it is closed) when the file's tests end.
import { after } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteDatabase, type SqliteDatabaseOptions } from '../../../src/store/sqlite/SqliteDatabase.js';

const dir = mkdtempSync(join(tmpdir(), 'lwm2m-sqlite-'));
const open = new Set<SqliteDatabase>();
let counter = 0;

after(async () => {
  for (const db of open) await db.close().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

/** A fresh path in the test directory (no file yet). */
export function tempDataFile(name = 'store'): string {
  return join(dir, `${name}-${++counter}.db`);
}

/** Opens `file` (default: a fresh one); closed when the test file ends if the test did not close it. */
export function openTempDatabase(file = tempDataFile(), options: SqliteDatabaseOptions = {}): SqliteDatabase {
  const db = SqliteDatabase.open(file, options);
  open.add(db);
  return db;
}
