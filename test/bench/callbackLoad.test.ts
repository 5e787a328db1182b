// The notification load's driver (bench/support/callbackLoad.ts): keeps `inFlight` operations
// out, counts only what ends inside the measured window, counts refusals and failures as errors
// without spinning, and returns only once every slot has stopped.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCallbackLoad, type Done } from '../../bench/support/callbackLoad.js';
import { SimulatedClient } from '../../bench/server/SimulatedClient.js';

test('keeps inFlight operations out and counts the ones that end in the window', async () => {
  let out = 0;
  let most = 0;
  let started = 0;
  const r = await runCallbackLoad(
    (done: Done) => {
      started++;
      out++;
      most = Math.max(most, out);
      setImmediate(() => {
        out--;
        done(undefined);
      });
      return true;
    },
    { inFlight: 8, warmupMs: 20, durationMs: 100 },
  );
  assert.equal(most, 8);
  assert.equal(out, 0, 'returns once every slot has stopped');
  assert.ok(r.operations > 0 && r.operations < started, `${r.operations} of ${started}`);
  assert.equal(r.errors, 0);
  assert.ok(Math.abs(r.perSec - r.operations / r.seconds) < 1e-6);
});

test('failures and refused starts are errors, and a refused start is retried a turn later', async () => {
  let calls = 0;
  const r = await runCallbackLoad(
    (done: Done) => {
      calls++;
      if (calls % 2 === 0) return false;
      setImmediate(() => done(new Error('RST')));
      return true;
    },
    { inFlight: 2, warmupMs: 0, durationMs: 50 },
  );
  assert.equal(r.operations, 0);
  assert.ok(r.errors > 10, `${r.errors} errors`);
  // No synchronous retry loop: a turn of the event loop per refusal bounds the calls.
  assert.ok(calls < 200_000, `${calls} calls`);
});

test('a simulated client not observed refuses to notify, and its promise form rejects', async () => {
  const client = new SimulatedClient('not-observed', { serverPort: 9 }, 0);
  try {
    assert.equal(
      client.startNotify(() => assert.fail('never called')),
      false,
    );
    await assert.rejects(client.notify(), /not-observed is not observed/);
  } finally {
    client.close();
  }
});
