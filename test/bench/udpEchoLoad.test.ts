// The ceiling's generator (bench/support/udpEchoLoad.ts): both kinds of sockets keep the load
// going against an echo and count round trips, so the ceiling never rests on a broken generator.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import dgram from 'node:dgram';
import { runUdpEchoLoad } from '../../bench/support/udpEchoLoad.js';
import { SimHub } from '../../bench/support/SimHub.js';
import { skipOrFail } from '../support/peers.js';

for (const generator of ['dgram', 'batched'] as const) {
  test(`the ${generator} generator runs round trips against an echo`, async (t) => {
    if (generator === 'batched' && SimHub.unavailable())
      return skipOrFail(t, `SimHub: ${SimHub.unavailable()}`);
    const echo = dgram.createSocket('udp4');
    echo.on('message', (msg, rinfo) => echo.send(msg, rinfo.port, rinfo.address));
    await new Promise<void>((resolve) => echo.bind(0, '127.0.0.1', resolve));
    try {
      const r = await runUdpEchoLoad(echo.address().port, {
        inFlight: 16,
        warmupMs: 50,
        durationMs: 300,
        generator,
      });
      assert.ok(r.operations > 300, `${r.operations} round trips`);
      assert.ok(Math.abs(r.perSec - r.operations / r.seconds) < 1e-6);
      assert.ok(r.resent < r.operations / 10, `${r.resent} re-sent`);
    } finally {
      echo.close();
    }
  });
}
