// Core TS 1.1.1 6.2.1.1 with Server resources 13 (Registration Priority Order), 14 (Initial
// Registration Delay Timer) and 15 (Registration Failure Block): the planner as a table, then the
// RegistrationEngine on a manual clock against a scripted port.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  RegistrationEngine,
  type RegistrationPort,
  type RegistrationReply,
} from '../../src/client/RegistrationEngine.js';
import { nextInSequence, planRegistrationOrder } from '../../src/client/planRegistrationOrder.js';
import type { ServerAccount } from '../../src/client/serverAccounts.js';
import { registeredResponse } from '../../src/binding/toUplinkResponse.js';
import { Lwm2mClient } from '../../src/client/Lwm2mClient.js';
import { CoapEndpoint } from '../../src/coap/CoapEndpoint.js';
import { ManualClock } from '../support/ManualClock.js';
import { flush, MemoryNetwork } from '../support/MemoryTransport.js';

const account = (ssid: number, over: Partial<ServerAccount> = {}): ServerAccount => ({
  ssid,
  uri: `coap://10.0.0.${ssid}:5683`,
  securityInstance: ssid,
  serverInstance: ssid,
  lifetime: 300,
  binding: 'U',
  bindingQueue: false,
  storeNotifications: true,
  disableTimeoutS: 60,
  retry: { retryCount: 1, retryTimerS: 10, sequenceDelayS: 100, sequenceRetryCount: 1 },
  ...over,
});

describe('planRegistrationOrder', () => {
  test('accounts without resource 13 are independent; the others sorted by it, then by ssid', () => {
    const order = planRegistrationOrder([
      account(1, { priorityOrder: 5 }),
      account(2),
      account(3, { priorityOrder: 1 }),
      account(4, { priorityOrder: 5 }),
    ]);
    assert.deepEqual(
      order.independent.map((a) => a.ssid),
      [2],
    );
    assert.deepEqual(
      order.sequence.map((a) => a.ssid),
      [3, 1, 4],
    );
  });

  const seq = [
    account(1, { priorityOrder: 1, failureBlock: true }),
    account(2, { priorityOrder: 2, initialDelayS: 30 }),
    account(3, { priorityOrder: 3 }),
  ];
  const cases: [string, number, 'registered' | 'failed', unknown][] = [
    [
      'registered: the next after its delay',
      0,
      'registered',
      { kind: 'next', account: seq[1], delayMs: 30_000 },
    ],
    [
      'failed with the block set: the rest blocked',
      0,
      'failed',
      { kind: 'block', blocked: [seq[1], seq[2]] },
    ],
    ['failed without the block: the next', 1, 'failed', { kind: 'next', account: seq[2], delayMs: 0 }],
    ['the last one: done', 2, 'registered', { kind: 'done' }],
  ];
  for (const [name, index, outcome, want] of cases)
    test(name, () => assert.deepEqual(nextInSequence(seq, index, outcome), want));
});

function setup(refusing: readonly number[] = []) {
  const clock = new ManualClock();
  const calls: string[] = [];
  const events: string[] = [];
  const port: RegistrationPort = {
    register: async (a): Promise<RegistrationReply> => {
      calls.push(`register ${a.ssid}`);
      return refusing.includes(a.ssid) ? { code: 0x83 } : { code: 0x41, location: ['rd', String(a.ssid)] };
    },
    update: async () => ({ code: 0x44 }),
    deregister: async () => ({ code: 0x42 }),
  };
  const engine = new RegistrationEngine({
    clock,
    port,
    paramsOf: (a) => ({
      endpoint: 'dev',
      lifetime: a.lifetime,
      binding: 'U',
      lwm2mVersion: '1.1',
      queueMode: false,
      objects: { rootPath: '/', objects: new Map(), contentFormats: [] },
    }),
    listener: {
      registered: (a) => events.push(`registered ${a.ssid}`),
      registrationFailed: (a, why) =>
        events.push(`failed ${a.ssid}${why.startsWith('not attempted') ? ' (blocked)' : ''}`),
      bootstrapRequired: () => events.push('bootstrap'),
    },
  });
  return { clock, calls, events, engine };
}

const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('RegistrationEngine: registration order', () => {
  test('registers in priority order, each after the previous one and its initial delay', async () => {
    const { clock, calls, events, engine } = setup();
    engine.start([
      account(1, { priorityOrder: 2, initialDelayS: 30 }),
      account(2, { priorityOrder: 1 }),
      account(3),
    ]);
    await settle();
    assert.deepEqual(calls, ['register 3', 'register 2'], 'the independent one and the first in order');
    await clock.advanceAsync(29_999);
    assert.deepEqual(calls, ['register 3', 'register 2']);
    await clock.advanceAsync(1);
    assert.deepEqual(calls, ['register 3', 'register 2', 'register 1']);
    assert.deepEqual(events, ['registered 3', 'registered 2', 'registered 1']);
    await engine.stop();
  });

  test('an account whose registration failed with Registration Failure Block stops the rest', async () => {
    const { clock, calls, events, engine } = setup([1]);
    engine.start([account(1, { priorityOrder: 1, failureBlock: true }), account(2, { priorityOrder: 2 })]);
    await clock.advanceAsync(1_000_000, 10_000);
    assert.deepEqual(calls, ['register 1']);
    assert.deepEqual(events, ['failed 1', 'failed 2 (blocked)', 'bootstrap']);
    assert.equal(engine.stateOf(2), 'failed');
  });

  test('without the block, the next account registers after one failed', async () => {
    const { clock, calls, events, engine } = setup([1]);
    engine.start([account(1, { priorityOrder: 1 }), account(2, { priorityOrder: 2, initialDelayS: 5 })]);
    await settle();
    assert.deepEqual(calls, ['register 1']);
    await clock.advanceAsync(4_999);
    assert.deepEqual(calls, ['register 1'], 'account 2 waits for its initial delay');
    await clock.advanceAsync(1);
    assert.deepEqual(calls, ['register 1', 'register 2']);
    assert.deepEqual(events, ['failed 1', 'registered 2']);
    await engine.stop();
  });
});

describe('Lwm2mClient: Server resources 13 and 14 take effect', () => {
  test('the server with the lower Registration Priority Order is registered first, the other after its delay', async () => {
    const clock = new ManualClock(0);
    const net = new MemoryNetwork();
    const arrivals: string[] = [];
    const servers = ['10.0.0.2', '10.0.0.3'].map((address) => {
      const e = new CoapEndpoint(net.bind(address), { clock });
      e.router.use('rd', (req) => {
        arrivals.push(`${req.method} ${address}`);
        return req.method === 0x02 ? registeredResponse('r') : { code: 0x42 };
      });
      return e;
    });
    const client = new Lwm2mClient({
      clock,
      endpoint: 'ordered',
      transport: net.bind('10.0.0.1'),
      servers: [
        { uri: 'coap://10.0.0.2:5683', ssid: 1, registrationPriorityOrder: 2, initialRegistrationDelayS: 20 },
        { uri: 'coap://10.0.0.3:5683', ssid: 2, registrationPriorityOrder: 1 },
      ],
    });
    try {
      await client.start();
      await flush(5);
      assert.deepEqual(arrivals, ['2 10.0.0.3']);
      await clock.advanceAsync(19_000, 1_000);
      assert.deepEqual(arrivals, ['2 10.0.0.3']);
      await clock.advanceAsync(1_000);
      await flush(5);
      assert.deepEqual(arrivals, ['2 10.0.0.3', '2 10.0.0.2']);
    } finally {
      await client.stop();
      for (const e of servers) await e.close();
    }
  });
});
