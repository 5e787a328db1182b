// The real clock's timers: a delay past Node's 2^31 - 1 ms limit (about 24.8 days, e.g. the Update
// of a registration lifetime of 30 days) must not fire at once, as a bare setTimeout would.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { systemClock } from '../../src/coap/Clock.js';

test('a timer longer than 2^31 - 1 ms does not fire at once, and cancels', async () => {
  let fired = 0;
  const long = systemClock.setTimer(30 * 86_400_000, () => fired++);
  // A bare setTimeout of this length fires after 1 ms; give it ample time to (wrongly) do so.
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(fired, 0);
  long.cancel();
});
