// The send queue of the batched socket (src/transport/udp/NativeSendQueue.ts): what one task
// queues is flushed once, in a microtask, and reaches the addon whole: each datagram's bytes,
// copied into one buffer at the offset and length its meta words give, and the caller's meta
// words, even past the queue's first array and buffer sizes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NativeSendQueue } from '../../src/transport/udp/NativeSendQueue.js';
import {
  NATIVE_SEND_META,
  type NativeSocketHandle,
  type NativeUdp,
} from '../../src/transport/udp/nativeUdp.js';

interface Call {
  /** Each datagram as the addon would read it: data[offset, offset + length). */
  readonly datagrams: Uint8Array[];
  readonly meta: number[];
  readonly count: number;
  /** The length of the buffer handed over. */
  readonly dataLength: number;
}

/** An addon that records what send() is handed, as native/udp.c reads it; the kernel takes all but `refused`. */
function fakeAddon(calls: Call[], refused = 1): NativeUdp {
  return {
    send: (_h: NativeSocketHandle, data: Uint8Array, meta: Int32Array, count: number) => {
      assert.ok(data instanceof Uint8Array);
      const datagrams: Uint8Array[] = [];
      for (let i = 0; i < count; i++) {
        const offset = meta[i * NATIVE_SEND_META + 7]!;
        const length = meta[i * NATIVE_SEND_META + 8]!;
        assert.ok(offset >= 0 && length >= 0 && offset + length <= data.length, `datagram ${i} inside data`);
        datagrams.push(data.slice(offset, offset + length));
      }
      calls.push({
        datagrams,
        meta: [...meta.subarray(0, count * NATIVE_SEND_META)],
        count,
        dataLength: data.length,
      });
      return count - refused;
    },
  } as unknown as NativeUdp;
}

test('one flush per task, every datagram and its meta words handed to the addon in order', async () => {
  const calls: Call[] = [];
  const addon = fakeAddon(calls);
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
    call!.datagrams.map((d) => [...d]),
    Array.from({ length: 150 }, (_, i) => [i]),
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

test('bytes are copied at add(): short and long, empty, views into larger buffers, past the first buffer size', async () => {
  const calls: Call[] = [];
  const addon = fakeAddon(calls, 0);
  const handle = {} as NativeSocketHandle;
  const q = new NativeSendQueue(() => q.send(addon, handle));
  const made: Uint8Array[] = [];
  const pattern = (n: number, seed: number): Uint8Array =>
    Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 255);
  // 0 and 4 bytes (an empty ACK), 32 and 33 (either side of the byte-loop copy), a view at an
  // offset, and datagrams of 60 000 bytes that take the buffer past 64 KiB and then 1 MiB.
  const sizes = [0, 4, 32, 33, 1152, ...Array<number>(20).fill(60_000), 5];
  sizes.forEach((n, k) => {
    const bytes = k === 4 ? pattern(n + 10, k).subarray(10) : pattern(n, k);
    made.push(bytes.slice());
    q.add(bytes);
    bytes.fill(0xee); // the caller reuses its bytes at once: what was queued stays as it was
  });
  await Promise.resolve();
  assert.equal(calls.length, 1);
  assert.equal(calls[0]!.count, sizes.length);
  calls[0]!.datagrams.forEach((d, k) => assert.deepEqual(d, made[k], `datagram ${k}`));
  assert.ok(calls[0]!.dataLength >= 20 * 60_000, 'the buffer grew to hold them all');
  // Once sent, a buffer grown past 1 MiB is let go: the next flush starts from 64 KiB again.
  q.add(Uint8Array.of(7, 8));
  await Promise.resolve();
  assert.deepEqual([...calls[1]!.datagrams[0]!], [7, 8]);
  assert.equal(calls[1]!.dataLength, 64 * 1024);
});

test('an addon that throws leaves the queue empty, and the next datagrams go on their own', async () => {
  const calls: Call[] = [];
  const good = fakeAddon(calls, 0);
  const bad = {
    send: () => {
      throw new TypeError('refused');
    },
  } as unknown as NativeUdp;
  const handle = {} as NativeSocketHandle;
  const q = new NativeSendQueue(() => undefined);
  q.add(Uint8Array.of(1, 2, 3));
  assert.throws(() => q.send(bad, handle), TypeError);
  assert.equal(q.size, 0);
  q.add(Uint8Array.of(4));
  assert.deepEqual(q.send(good, handle), { queued: 1, sent: 1 });
  assert.deepEqual([...calls[0]!.datagrams[0]!], [4]);
  assert.equal(calls[0]!.meta[7], 0, 'from the start of the buffer again');
});
