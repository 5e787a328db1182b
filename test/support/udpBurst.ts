// A burst of datagrams sent faster than a receiver reads them: what overflows a small kernel
// receive buffer (test/transport/receiveBuffer.test.ts, test/cli/limitLog.test.ts).
import dgram from 'node:dgram';
import { waitUntil } from './waitUntil.js';

async function sender(): Promise<dgram.Socket> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve));
  return s;
}

/**
 * Sends `count` datagrams of `size` bytes to `port` in one go (node:dgram sends them before the
 * event loop polls again, so a small receive buffer overflows), then, once the receiver has read
 * what fitted, one more: the drop count rides on the datagrams that follow a drop.
 */
export async function burst(
  port: number,
  count: number,
  size: number,
  received: () => number,
): Promise<void> {
  const s = await sender();
  try {
    const bytes = new Uint8Array(size).fill(0x5a);
    await new Promise<void>((resolve) => {
      let left = count;
      for (let i = 0; i < count; i++)
        s.send(bytes, port, '127.0.0.1', () => void (--left === 0 && resolve()));
    });
    let seen = -1;
    // settled: nothing more arrives for 50 ms
    while (seen !== received()) {
      seen = received();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await new Promise<void>((resolve) => s.send(Uint8Array.of(1), port, '127.0.0.1', () => resolve()));
    await waitUntil(() => received() > seen, 'the datagram after the burst');
  } finally {
    s.close();
  }
}

/**
 * As `burst`, for a receiver whose reads cannot be counted from outside: after the burst, sends
 * one datagram every 50 ms until `counted()` (e.g. a drop count, which rides on the datagrams read
 * after a drop) is above 0 and unchanged since the previous one; at most 100 of them.
 */
export async function burstUntilCounted(
  port: number,
  count: number,
  size: number,
  counted: () => number,
): Promise<void> {
  const s = await sender();
  try {
    const bytes = new Uint8Array(size).fill(0x5a);
    const send = (b: Uint8Array): Promise<void> =>
      new Promise<void>((resolve) => s.send(b, port, '127.0.0.1', () => resolve()));
    await Promise.all(Array.from({ length: count }, () => send(bytes)));
    let last = -1;
    for (let i = 0; i < 100; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const now = counted();
      if (now > 0 && now === last) return;
      last = now;
      await send(Uint8Array.of(1));
    }
    throw new Error(`the count did not settle above 0 (last ${last})`);
  } finally {
    s.close();
  }
}
