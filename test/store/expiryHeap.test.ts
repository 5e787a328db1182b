import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExpiryHeap } from '../../src/store/memory/ExpiryHeap.js';
import { prng } from '../content/randomNodes.js';

function drain(heap: ExpiryHeap): [number, string][] {
  const out: [number, string][] = [];
  while (heap.length > 0) {
    out.push([heap.peekTime()!, heap.peekId()!]);
    heap.pop();
  }
  return out;
}

test('pops entries in time order for random pushes, equal times included', () => {
  const rnd = prng(7);
  const heap = new ExpiryHeap();
  const times: number[] = [];
  for (let i = 0; i < 2_000; i++) {
    const t = Math.floor(rnd() * 500);
    times.push(t);
    heap.push(t, `id${i}`);
  }
  const popped = drain(heap).map(([t]) => t);
  assert.deepEqual(
    popped,
    times.sort((a, b) => a - b),
  );
  assert.equal(heap.peekTime(), undefined);
  heap.pop(); // popping an empty heap is a no-op
  assert.equal(heap.length, 0);
});

test('rebuild keeps exactly the given entries, in heap order', () => {
  const heap = new ExpiryHeap();
  for (let i = 0; i < 10; i++) heap.push(i, `stale${i}`);
  heap.rebuild([
    [30, 'c'],
    [10, 'a'],
    [20, 'b'],
  ]);
  assert.deepEqual(drain(heap), [
    [10, 'a'],
    [20, 'b'],
    [30, 'c'],
  ]);
});
