import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { openConnection } from '../../../src/store/sqlite/betterSqlite3.js';
import { DurableLog } from '../../../src/store/sqlite/DurableLog.js';
import { openTempDatabase, tempDataFile } from './tempDataFiles.js';

const BOUND = 64 * 1024;

/** Bytes 16-23 of the log's header: the salts SQLite changes each time it restarts the log. */
function salts(logFile: string): string {
  const fd = openSync(logFile, 'r');
  try {
    const buf = Buffer.alloc(8);
    readSync(fd, buf, 0, 8, 16);
    return buf.toString('hex');
  } finally {
    closeSync(fd);
  }
}

test('an automatic checkpoint restarts the log in place: later commits overwrite its blocks (no file growth to sync), nothing is lost', async () => {
  const file = tempDataFile();
  const log = `${file}-wal`;
  const db = openTempDatabase(file, { checkpointBytes: BOUND });
  const put = db.connection.prepare('INSERT INTO bootstrap_configs VALUES (?, ?)');
  let checkpoints = 0;
  let reusedWrites = 0;
  for (let i = 0; i < 200; i++) {
    await db.write(() => put.run(`ep${i}`, 'x'.repeat(1000)));
    const size = statSync(log).size;
    const now = db.logStats()!.checkpoints;
    if (now > checkpoints) {
      // Truncated, the log would hold one commit now (a few kB); restarted, it keeps the bound.
      assert.equal(size, BOUND, `log after checkpoint ${now}`);
      checkpoints = now;
    } else if (checkpoints > 0 && size === BOUND) reusedWrites++;
    // Bounded from the first checkpoint on (the schema's creation left a longer log).
    if (checkpoints > 0) assert.ok(size < 2 * BOUND, `log grew to ${size} bytes`);
    assert.equal(db.connection.pragma('synchronous', { simple: true }), 0, 'the store syncs the log again');
  }
  assert.ok(checkpoints >= 2, `${checkpoints} checkpoints`);
  assert.ok(reusedWrites >= 10, `${reusedWrites} writes overwrote the reused log without growing it`);
  await db.close();
  const again = openTempDatabase(file);
  const { n } = again.connection.prepare('SELECT COUNT(*) AS n FROM bootstrap_configs').get() as {
    n: number;
  };
  assert.equal(n, 200);
});

test('after a restart, synchronous stays FULL until the next commit has written (and SQLite synced) the new log header', async () => {
  const file = tempDataFile();
  const logFile = `${file}-wal`;
  const c = openConnection(file);
  c.pragma('locking_mode = EXCLUSIVE');
  c.pragma('journal_mode = WAL');
  c.exec('CREATE TABLE t (x TEXT)');
  const log = DurableLog.take(c, file, BOUND);
  const put = c.prepare('INSERT INTO t VALUES (?)');
  const insertRow = c.transaction(() => put.run('x'.repeat(3000)));
  const write = async (): Promise<void> => {
    insertRow();
    log.committed();
    await log.sync();
  };
  const synchronous = (): unknown => c.pragma('synchronous', { simple: true });
  try {
    for (let i = 0; i < 100 && statSync(logFile).size <= BOUND; i++) await write();
    const grown = statSync(logFile).size;
    assert.ok(grown > BOUND);
    const before = salts(logFile);
    log.checkpointIfDue();
    assert.equal(log.stats().checkpoints, 1);
    assert.equal(statSync(logFile).size, grown, 'restarted, not truncated');
    // SQLite skips its header sync when synchronous is OFF (sqlite.org ticket ff5be73dee).
    assert.equal(synchronous(), 2, 'FULL while the old header is on disk');
    log.checkpointIfDue();
    assert.equal(log.stats().checkpoints, 1, 'a restarted log not written since needs no checkpoint');
    assert.equal(salts(logFile), before);
    await write();
    assert.notEqual(salts(logFile), before, 'the first commit wrote a new header');
    assert.equal(synchronous(), 0, 'OFF again: the store syncs the log');
    assert.equal(statSync(logFile).size, BOUND, 'trimmed back to the bound (journal_size_limit)');
    await write();
    assert.equal(statSync(logFile).size, BOUND, 'the next commit overwrites, the file does not grow');
  } finally {
    log.release();
    c.close();
  }
  const again = openConnection(file);
  try {
    assert.ok((again.prepare('SELECT COUNT(*) AS n FROM t').get() as { n: number }).n > 5);
  } finally {
    again.close();
  }
});
