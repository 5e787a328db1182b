// Tests of BoundedMemo (the memo behind the request-building caches): one computation per key,
// a bound on what it keeps whatever the keys, and nothing kept for a key whose computation throws.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BoundedMemo } from '../../src/coap/BoundedMemo.js';

test('computes each key once while it is kept', () => {
  const made: string[] = [];
  const memo = new BoundedMemo<string, { k: string }>(4, (k) => (made.push(k), { k }));
  const a = memo.get('a');
  assert.equal(memo.get('a'), a);
  memo.get('b');
  assert.deepEqual(made, ['a', 'b']);
});

test('keeps at most max keys: a stream of new keys starts it over', () => {
  let calls = 0;
  const memo = new BoundedMemo<number, number>(3, (k) => (calls++, k * 2));
  for (let i = 0; i < 100; i++) assert.equal(memo.get(i), i * 2);
  assert.equal(calls, 100);
  assert.ok((memo as unknown as { values: Map<number, number> }).values.size <= 3);
  memo.get(99);
  assert.equal(calls, 100, 'the last key is still kept');
});

test('a key whose computation throws is not kept', () => {
  let calls = 0;
  const memo = new BoundedMemo<string, string>(4, (k) => {
    calls++;
    throw new RangeError(k);
  });
  assert.throws(() => memo.get('x'), RangeError);
  assert.throws(() => memo.get('x'), RangeError);
  assert.equal(calls, 2);
});
