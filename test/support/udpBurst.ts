// A burst of datagrams sent faster than a receiver reads them: what overflows a small kernel
// receive buffer (test/transport/receiveBuffer.test.ts, test/cli/limitLog.test.ts).
import dgram from 'node:dgram';
import { waitUntil } from './waitUntil.js';

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `then` with a send function to 127.0.0.1:`port`, after `count` datagrams of `size` bytes
 * went to it in one go (node:dgram sends them before the event loop polls again, so a small
 * receive buffer overflows).
 */
async function withBurst(
  port: number,
  count: number,
  size: number,
  then: (send: (bytes: Uint8Array) => Promise<void>) => Promise<void>,
): Promise<void> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve));
  try {
    const send = (bytes: Uint8Array): Promise<void> =>
      new Promise<void>((resolve) => s.send(bytes, port, '127.0.0.1', () => resolve()));
    const bytes = new Uint8Array(size).fill(0x5a);
    await Promise.all(Array.from({ length: count }, () => send(bytes)));
    await then(send);
  } finally {
    s.close();
  }
}

/**
 * Sends the burst, then, once the receiver has read what fitted (nothing more for 50 ms), one
 * more datagram: the drop count rides on the datagrams that follow a drop.
 */
export function burst(port: number, count: number, size: number, received: () => number): Promise<void> {
  return withBurst(port, count, size, async (send) => {
    let seen = -1;
    while (seen !== received()) {
      seen = received();
      await pause(50);
    }
    await send(Uint8Array.of(1));
    await waitUntil(() => received() > seen, 'the datagram after the burst');
  });
}

/**
 * As `burst`, for a receiver whose reads cannot be counted from outside: after the burst, sends
 * one datagram every 50 ms until `counted()` (e.g. a drop count) is above 0 and unchanged since
 * the previous one; at most 100 of them.
 */
export function burstUntilCounted(
  port: number,
  count: number,
  size: number,
  counted: () => number,
): Promise<void> {
  return withBurst(port, count, size, async (send) => {
    let last = -1;
    for (let i = 0; i < 100; i++) {
      await pause(50);
      const now = counted();
      if (now > 0 && now === last) return;
      last = now;
      await send(Uint8Array.of(1));
    }
    throw new Error(`the count did not settle above 0 (last ${last})`);
  });
}
