// GroupCommit with a sync step (issue 14): a write is acknowledged only once the sync after its
// transaction is done; meanwhile the event loop runs and new writes wait, then go as one batch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GroupCommit, type WriteOp } from '../../../src/store/sqlite/GroupCommit.js';
import { SqliteWriteError } from '../../../src/store/sqlite/sqliteErrors.js';

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A sync whose every call waits until the test settles it. */
function manualSync() {
  const calls: { resolve: () => void; reject: (e: Error) => void }[] = [];
  const sync = (): Promise<void> => new Promise((resolve, reject) => calls.push({ resolve, reject }));
  return { sync, calls };
}

test('writes resolve only once the sync after their transaction is done; with maxSyncs under way, writes of later turns wait and share one batch', async () => {
  const batches: number[] = [];
  const { sync, calls } = manualSync();
  const gc = new GroupCommit(
    (ops: readonly WriteOp[]) => void batches.push(ops.length),
    { maxSyncs: 1 },
    sync,
  );
  const settled: string[] = [];
  const write = (name: string): Promise<void> =>
    gc.enqueue(() => undefined).then(() => void settled.push(name));
  const first = ['a', 'b', 'c'].map(write);
  await turn();
  assert.deepEqual(batches, [3], 'committed on the next turn');
  assert.equal(calls.length, 1, 'then synced');
  const second: Promise<void>[] = [];
  for (const name of ['d', 'e', 'f', 'g', 'h']) {
    second.push(write(name));
    await turn(); // the event loop keeps running while the sync is under way
  }
  assert.deepEqual(settled, [], 'nothing acknowledged before its sync');
  assert.deepEqual(batches, [3], 'writes queued during the sync are not committed yet');
  calls[0]!.resolve();
  await Promise.all(first);
  assert.deepEqual(settled, ['a', 'b', 'c']);
  await turn();
  assert.deepEqual(batches, [3, 5], 'what queued during the sync went as one batch');
  assert.equal(calls.length, 2);
  assert.equal(gc.stats().writes, 3);
  calls[1]!.resolve();
  await Promise.all(second);
  assert.deepEqual(gc.stats(), { batches: 2, writes: 8, failedBatches: 0, queued: 0 });
});

test('during a sync the queue still never holds more than maxBatch writes: a full batch commits at once and waits for the next sync', async () => {
  const batches: number[] = [];
  const { sync, calls } = manualSync();
  const gc = new GroupCommit(
    (ops: readonly WriteOp[]) => void batches.push(ops.length),
    { maxBatch: 4, maxSyncs: 1 },
    sync,
  );
  const writes = [gc.enqueue(() => undefined)];
  await turn();
  assert.equal(calls.length, 1);
  for (let i = 0; i < 9; i++) {
    writes.push(gc.enqueue(() => undefined));
    assert.ok(gc.stats().queued < 4);
  }
  assert.deepEqual(batches, [1, 4, 4]);
  calls[0]!.resolve();
  await turn();
  await turn();
  assert.deepEqual(batches, [1, 4, 4, 1]);
  assert.equal(calls.length, 2, 'one sync covers the three batches committed meanwhile');
  calls[1]!.resolve();
  await Promise.all(writes);
  assert.equal(gc.stats().writes, 10);
});

test("by default two syncs overlap: the next turn's writes commit and sync at once, each batch resolving with its own sync", async () => {
  const batches: number[] = [];
  const { sync, calls } = manualSync();
  const gc = new GroupCommit((ops: readonly WriteOp[]) => void batches.push(ops.length), {}, sync);
  const settled: string[] = [];
  const write = (name: string): Promise<void> =>
    gc.enqueue(() => undefined).then(() => void settled.push(name));
  const first = write('a');
  await turn();
  const second = write('b');
  await turn();
  assert.deepEqual(batches, [1, 1]);
  assert.equal(calls.length, 2, 'the second sync did not wait for the first');
  const third = write('c');
  await turn();
  assert.deepEqual(batches, [1, 1], 'two syncs under way: the third write waits');
  calls[1]!.resolve();
  await second;
  assert.deepEqual(
    settled,
    ['b'],
    'a batch is acknowledged by its own sync (it covers what was written before it)',
  );
  await turn();
  assert.deepEqual(batches, [1, 1, 1]);
  assert.equal(calls.length, 3);
  calls[0]!.resolve();
  calls[2]!.resolve();
  await Promise.all([first, third]);
  assert.deepEqual(settled.sort(), ['a', 'b', 'c']);
});

test('a failed sync rejects its writes and every later one with a typed 5.03 error (the file on disk is then unknown)', async () => {
  const { sync, calls } = manualSync();
  const gc = new GroupCommit(() => undefined, {}, sync);
  const failed: string[] = [];
  const first = gc.enqueue(
    () => undefined,
    () => failed.push('first'),
  );
  await turn();
  const queued = gc.enqueue(() => undefined);
  calls[0]!.reject(Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' }));
  for (const p of [first, queued])
    await assert.rejects(
      p,
      (e: unknown) => e instanceof SqliteWriteError && e.coapCode === 0xa3 && e.sqliteCode === 'EIO',
    );
  assert.deepEqual(failed, ['first']);
  await assert.rejects(
    gc.enqueue(() => undefined),
    SqliteWriteError,
  );
  assert.equal(gc.stats().failedBatches, 1);
});

test('close commits what is queued and resolves once it is synced', async () => {
  const { sync, calls } = manualSync();
  const batches: number[] = [];
  const gc = new GroupCommit((ops: readonly WriteOp[]) => void batches.push(ops.length), {}, sync);
  let acked = false;
  const write = gc.enqueue(() => undefined).then(() => void (acked = true));
  const closing = gc.close();
  await turn();
  assert.deepEqual(batches, [1]);
  assert.equal(acked, false);
  calls[0]!.resolve();
  await closing;
  await write;
  assert.equal(acked, true);
});
