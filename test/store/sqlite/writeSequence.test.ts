// WriteSequence: the steps of the stores of one file change memory and queue their SQL in order;
// a step that finds none under way starts at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WriteSequence } from '../../../src/store/sqlite/WriteSequence.js';
import { openTempDatabase } from './tempDataFiles.js';

test('an idle sequence starts a step at once; a step arriving while one is under way waits for it, and their SQL runs in order', async () => {
  const db = openTempDatabase();
  const seq = new WriteSequence(db);
  const log: string[] = [];
  let started = false;
  const first = seq.run(() => {
    started = true;
    return { value: 1 };
  });
  assert.equal(started, true, 'started within run(), not a turn later');
  assert.equal(await first, 1);

  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const a = seq.run(async () => {
    log.push('a memory');
    await gate;
    return { value: 'a', op: () => void log.push('a sql') };
  });
  const b = seq.run(() => {
    log.push('b memory');
    return { value: 'b', op: () => void log.push('b sql') };
  });
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(log, ['a memory'], 'b waits while a is under way');
  release();
  assert.deepEqual(await Promise.all([a, b]), ['a', 'b']);
  assert.deepEqual(log, ['a memory', 'b memory', 'a sql', 'b sql']);

  // A failed step ends too: the next one starts at once again.
  await assert.rejects(
    seq.run(() => Promise.reject(new Error('refused'))),
    /refused/,
  );
  await new Promise((resolve) => setImmediate(resolve));
  started = false;
  const again = seq.run(() => {
    started = true;
    return { value: 2 };
  });
  assert.equal(started, true);
  assert.equal(await again, 2);
});
