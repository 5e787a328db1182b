// The send queue of the batched socket (src/transport/udp/NativeSendQueue.ts): what one task
// queues is flushed once, in a microtask, and reaches the addon whole, meta words included, even
// past the queue's first array size.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NativeSendQueue } from '../../src/transport/udp/NativeSendQueue.js';
import {
  NATIVE_SEND_META,
  type NativeSocketHandle,
  type NativeUdp,
} from '../../src/transport/udp/nativeUdp.js';

test('one flush per task, every datagram and its meta words handed to the addon in order', async () => {
  const calls: { datagrams: readonly Uint8Array[]; meta: number[]; count: number }[] = [];
  const addon = {
    send: (_h: NativeSocketHandle, datagrams: readonly Uint8Array[], meta: Int32Array, count: number) => {
      calls.push({ datagrams, meta: [...meta.subarray(0, count * NATIVE_SEND_META)], count });
      return count - 1; // the kernel took all but one
    },
  } as unknown as NativeUdp;
  const handle = {} as NativeSocketHandle;
  let flushes = 0;
  const results: { queued: number; sent: number }[] = [];
  const q = new NativeSendQueue(() => {
    flushes++;
    results.push(q.send(addon, handle));
  });
  for (let i = 0; i < 150; i++) {
    const m = q.add(Uint8Array.of(i));
    q.words[m] = 1000 + i; // port
    q.words[m + 1] = 4;
    q.words[m + 2] = i;
    if (i === 7) q.words[m + 6] = 0x7f010203;
  }
  assert.equal(q.size, 150);
  assert.equal(flushes, 0, 'not before the task ends');
  await Promise.resolve();
  assert.equal(flushes, 1);
  assert.equal(q.size, 0);
  assert.deepEqual(results, [{ queued: 150, sent: 149 }]);
  const [call] = calls;
  assert.equal(call!.count, 150);
  assert.deepEqual(
    call!.datagrams.map((d) => d[0]),
    Array.from({ length: 150 }, (_, i) => i),
  );
  for (let i = 0; i < 150; i++) {
    const w = call!.meta.slice(i * NATIVE_SEND_META, (i + 1) * NATIVE_SEND_META);
    assert.deepEqual([w[0], w[1], w[2], w[6]], [1000 + i, 4, i, i === 7 ? 0x7f010203 : 0]);
  }
  // An empty queue sends nothing; the next add schedules a new flush.
  assert.deepEqual(q.send(addon, handle), { queued: 0, sent: 0 });
  q.add(Uint8Array.of(1));
  await Promise.resolve();
  assert.equal(flushes, 2);
  assert.equal(calls.length, 2);
});
