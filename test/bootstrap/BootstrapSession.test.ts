// BootstrapSession alone, with a fake sender: it only runs the plan, stops at the first failure
// and reports the step and the reason (planning errors and sender crashes included).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BootstrapSession, type BootstrapSender } from '../../src/bootstrap/BootstrapSession.js';
import type { BootstrapConfig } from '../../src/lwm2m/BootstrapConfig.js';
import { createCoreRegistry } from '../../src/model/core/coreModels.js';
import { parseDiscoverResponse } from '../../src/lwm2m/linkFormat.js';
import { MAX_RECORDED_OBJECT_IDS } from '../../src/store/BootstrapSessionStore.js';
import { ManualClock } from '../support/ManualClock.js';

const config: BootstrapConfig = {
  security: { 1: { uri: 'coap://dm:5683', bootstrapServer: false, securityMode: 'nosec', shortServerId: 1 } },
  servers: { 0: { shortServerId: 1, lifetime: 300, binding: 'U' } },
};

/** A wall clock far from the monotonic one, so the test tells which clock stamped what. */
const WALL_START = 1_767_225_600_000;

function session(send: BootstrapSender, c: BootstrapConfig = config, clock = new ManualClock()) {
  const wallClock = new ManualClock(WALL_START);
  const steps: string[] = [];
  const s = new BootstrapSession({
    id: 's1',
    endpoint: 'ep',
    address: '10.0.0.2',
    port: 5683,
    config: c,
    plan: { models: createCoreRegistry() },
    send,
    clock,
    wallClock,
    stepTimeoutMs: 1_000,
    onStep: (r) => void steps.push(`${r.name} ${r.code}`),
  });
  return { s, steps, clock };
}

describe('BootstrapSession', () => {
  test('runs every planned step in order and finishes', async () => {
    const sent: string[] = [];
    const { s, steps } = session(async (req) => {
      sent.push(req.kind);
      return { code: req.kind === 'bootstrapDelete' ? 0x42 : 0x44, ok: true };
    });
    const record = await s.run();
    assert.equal(record.state, 'finished');
    assert.deepEqual(sent, [
      'bootstrapDelete',
      'bootstrapDelete',
      'bootstrapWrite',
      'bootstrapWrite',
      'bootstrapFinish',
    ]);
    assert.deepEqual(steps, ['delete /0 66', 'delete /1 66', 'write /0/1 68', 'write /1/0 68', 'finish 68']);
  });

  test('keeps at most MAX_RECORDED_OBJECT_IDS discovered object ids (the lowest) and counts the others', async () => {
    const links = Array.from({ length: 300 }, (_, i) => `</${299 - i}>`).join(',');
    const { s } = session(
      async (req) =>
        req.kind === 'bootstrapDiscover'
          ? { code: 0x45, ok: true, links: parseDiscoverResponse(`</>;lwm2m=1.1,${links}`) }
          : { code: req.kind === 'bootstrapDelete' ? 0x42 : 0x44, ok: true },
      { ...config, discover: true },
    );
    const record = await s.run();
    assert.equal(record.state, 'finished');
    assert.equal(MAX_RECORDED_OBJECT_IDS, 256);
    assert.deepEqual(record.discovered, {
      lwm2mVersion: '1.1',
      objectIds: Array.from({ length: 256 }, (_, i) => i),
      objectIdsOmitted: 44,
    });
  });

  test('fails at "plan" when the config cannot be planned, sending nothing', async () => {
    let sent = 0;
    const { s } = session(
      async () => {
        sent++;
        return { code: 0x44, ok: true };
      },
      { ...config, objects: { '/3/0/4242': 1 } },
    );
    const record = await s.run();
    assert.equal(record.state, 'failed');
    assert.equal(record.failure?.step, 'plan');
    assert.match(record.failure!.reason, /\/3\/0\/4242/);
    assert.equal(sent, 0);
  });

  test('a sender that throws fails the step with the error message', async () => {
    const { s } = session(async () => {
      throw new Error('socket gone');
    });
    const record = await s.run();
    assert.deepEqual(record.failure, { step: 'delete /0', reason: 'request failed: socket gone' });
  });

  test('times each step out on its clock and aborts the request', async () => {
    let signal: AbortSignal | undefined;
    const { s, clock } = session((_req, sig) => {
      signal = sig;
      return new Promise(() => undefined);
    });
    const run = s.run();
    await Promise.resolve();
    clock.advance(1_000);
    const record = await run;
    assert.equal(signal?.aborted, true);
    assert.deepEqual(record.failure, {
      step: 'delete /0',
      reason: 'timeout: no response within 1000 ms',
      failure: 'timeout',
    });
    assert.equal(record.steps[0]?.durationMs, 1_000);
  });

  test('stamps the record and its steps with wall-clock times, durations on the monotonic clock', async () => {
    const { s, clock } = session(() => new Promise(() => undefined));
    clock.advance(5_000);
    const run = s.run();
    await Promise.resolve();
    clock.advance(1_000);
    const record = await run;
    assert.equal(record.startedAt, WALL_START);
    assert.equal(record.steps[0]?.startedAt, WALL_START);
    assert.equal(record.steps[0]?.durationMs, 1_000);
    assert.equal(record.endedAt, WALL_START);
  });
});
