import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  RegistrationEngine,
  type RegistrationPort,
  type RegistrationReply,
} from '../../src/client/RegistrationEngine.js';
import type { RegistrationParams, UpdatePlan } from '../../src/client/planRegistrationUpdate.js';
import type { ServerAccount } from '../../src/client/serverAccounts.js';
import { ManualClock } from '../support/ManualClock.js';

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
  retry: { retryCount: 2, retryTimerS: 10, sequenceDelayS: 100, sequenceRetryCount: 1 },
  ...over,
});

class FakePort implements RegistrationPort {
  calls: string[] = [];
  plans: UpdatePlan[] = [];
  registerReply: () => Promise<RegistrationReply> = async () => ({ code: 0x41, location: ['rd', 'x'] });
  updateReply: () => Promise<RegistrationReply> = async () => ({ code: 0x44 });
  register(a: ServerAccount): Promise<RegistrationReply> {
    this.calls.push(`register ${a.ssid}`);
    return this.registerReply();
  }
  update(a: ServerAccount, _l: readonly string[], plan: UpdatePlan): Promise<RegistrationReply> {
    this.calls.push(`update ${a.ssid}`);
    this.plans.push(plan);
    return this.updateReply();
  }
  deregistered: string[] = [];
  async deregister(a: ServerAccount, location: readonly string[]): Promise<RegistrationReply> {
    this.calls.push(`deregister ${a.ssid}`);
    this.deregistered.push(location.join('/'));
    return { code: 0x42 };
  }
}

function setup(params: Partial<RegistrationParams> = {}) {
  const clock = new ManualClock();
  const port = new FakePort();
  const events: string[] = [];
  let lifetime = 300;
  const engine = new RegistrationEngine({
    clock,
    port,
    awakeTimeMs: 93_000,
    paramsOf: () => ({
      endpoint: 'dev',
      lifetime,
      binding: 'U',
      lwm2mVersion: '1.1',
      queueMode: false,
      objects: { rootPath: '/', objects: new Map(), contentFormats: [] },
      ...params,
    }),
    listener: {
      registered: (a) => events.push(`registered ${a.ssid}`),
      updated: (a) => events.push(`updated ${a.ssid}`),
      deregistered: (a) => events.push(`deregistered ${a.ssid}`),
      registrationFailed: (a) => events.push(`failed ${a.ssid}`),
      bootstrapRequired: () => events.push('bootstrap'),
      sleeping: (a) => events.push(`sleeping ${a.ssid}`),
    },
  });
  return { clock, port, events, engine, setLifetime: (lt: number) => (lifetime = lt) };
}

const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('RegistrationEngine', () => {
  test('registers to every account', async () => {
    const { engine, events, port } = setup();
    engine.start([account(1), account(2)]);
    await settle();
    assert.deepEqual(port.calls, ['register 1', 'register 2']);
    assert.deepEqual(events, ['registered 1', 'registered 2']);
    assert.equal(engine.isReachable(1), true);
  });

  test('updates one MAX_TRANSMIT_WAIT before the lifetime ends, with no parameter when nothing changed', async () => {
    const { engine, clock, port } = setup();
    engine.start([account(1)]);
    await settle();
    await clock.advanceAsync(206_000);
    assert.deepEqual(port.calls, ['register 1']);
    await clock.advanceAsync(1_000);
    assert.deepEqual(port.calls, ['register 1', 'update 1']);
    assert.deepEqual(port.plans, [{}]);
  });

  test('an update after a lifetime change carries only lt', async () => {
    const { engine, port, setLifetime } = setup();
    engine.start([account(1)]);
    await settle();
    setLifetime(600);
    engine.refresh(account(1, { lifetime: 600 }));
    await settle();
    assert.deepEqual(port.plans, [{ lifetime: 600 }]);
  });

  test('re-registers when an update gets 4.04', async () => {
    const { engine, port, events } = setup();
    engine.start([account(1)]);
    await settle();
    port.updateReply = async () => ({ code: 0x84 });
    engine.triggerUpdate(1);
    await settle();
    await settle();
    assert.deepEqual(port.calls, ['register 1', 'update 1', 'register 1']);
    assert.deepEqual(events, ['registered 1', 'registered 1']);
  });

  test('retries with back-off, then fails and asks for bootstrap when every account failed', async () => {
    const { engine, port, events, clock } = setup();
    port.registerReply = async () => Promise.reject(new Error('timeout'));
    engine.start([account(1)]);
    await settle();
    assert.deepEqual(port.calls, ['register 1']);
    await clock.advanceAsync(9_999);
    assert.equal(port.calls.length, 1);
    await clock.advanceAsync(1);
    assert.equal(port.calls.length, 2); // retry after 10 s; retryCount 2 ends the only sequence
    await settle();
    assert.deepEqual(events, ['failed 1', 'bootstrap']);
  });

  test('a failing account does not trigger bootstrap while another one is registered', async () => {
    const { engine, port, events, clock } = setup();
    port.registerReply = async () => ({ code: 0x41, location: ['rd', 'x'] });
    const original = port.register.bind(port);
    port.register = (a) =>
      a.ssid === 2 ? (port.calls.push('register 2'), Promise.resolve({ code: 0x83 })) : original(a);
    engine.start([account(1), account(2)]);
    await clock.advanceAsync(20_000, 1_000);
    assert.ok(events.includes('failed 2'));
    assert.ok(!events.includes('bootstrap'));
  });

  test('de-registers on stop', async () => {
    const { engine, port, events } = setup();
    engine.start([account(1)]);
    await settle();
    await engine.stop();
    assert.deepEqual(port.calls, ['register 1', 'deregister 1']);
    assert.deepEqual(events, ['registered 1', 'deregistered 1']);
  });

  test('queue mode: sleeps after the awake time and an update wakes it', async () => {
    const { engine, events, clock } = setup({ queueMode: true });
    engine.start([account(1)]);
    await settle();
    await clock.advanceAsync(93_000);
    assert.deepEqual(events, ['registered 1', 'sleeping 1']);
    assert.equal(engine.isReachable(1), false);
    engine.wake(1);
    engine.wake(1);
    await settle();
    assert.equal(engine.isReachable(1), true);
    assert.deepEqual(events, ['registered 1', 'sleeping 1', 'updated 1']);
    engine.wake(1); // awake: nothing to do
    await settle();
    assert.deepEqual(events, ['registered 1', 'sleeping 1', 'updated 1']);
  });

  test('disable de-registers and registers again after the disable timeout', async () => {
    const { engine, port, clock } = setup();
    engine.start([account(1)]);
    await settle();
    await engine.disable(1);
    assert.equal(engine.stateOf(1), 'disabled');
    await clock.advanceAsync(60_000);
    assert.deepEqual(port.calls, ['register 1', 'deregister 1', 'register 1']);
  });

  test('stop() during a Register in flight waits for it and de-registers the location it got', async () => {
    const { engine, port, events } = setup();
    let answer: (r: RegistrationReply) => void = () => undefined;
    port.registerReply = () => new Promise((r) => (answer = r));
    engine.start([account(1)]);
    await settle();
    let stopped = false;
    const stopping = engine.stop().then(() => (stopped = true));
    await settle();
    assert.equal(stopped, false, 'stop() waits for the Register');
    answer({ code: 0x41, location: ['rd', 'late'] });
    await stopping;
    assert.deepEqual(port.calls, ['register 1', 'deregister 1']);
    assert.deepEqual(port.deregistered, ['rd/late']);
    assert.deepEqual(events, ['registered 1', 'deregistered 1']);
  });

  test('stop() sends no De-register when the Register in flight fails', async () => {
    const { engine, port, events } = setup();
    port.registerReply = async () => ({ code: 0x80 });
    engine.start([account(1)]);
    await engine.stop();
    assert.deepEqual(port.calls, ['register 1']);
    assert.deepEqual(events, []);
  });

  test('stop() gives up on an unanswered Register after stopWaitMs on the clock', async () => {
    const { engine, port, events, clock } = setup();
    port.registerReply = () => new Promise(() => undefined);
    engine.start([account(1)]);
    await settle();
    let stopped = false;
    const stopping = engine.stop().then(() => (stopped = true));
    await clock.advanceAsync(1_999);
    assert.equal(stopped, false);
    await clock.advanceAsync(1);
    await stopping;
    assert.deepEqual(port.calls, ['register 1']);
    assert.deepEqual(events, []);
    assert.equal(clock.pendingTimers, 0, 'no timer left behind');
  });

  test('queue mode: each exchange restarts the awake time; asleep only when registered', async () => {
    const { engine, events, clock } = setup({ queueMode: true });
    engine.start([account(1)]);
    await settle();
    await clock.advanceAsync(60_000);
    engine.exchanged(1);
    await clock.advanceAsync(92_000);
    assert.equal(engine.isAsleep(1), false, 'awake: 92 s since the last exchange');
    assert.deepEqual(events, ['registered 1']);
    await clock.advanceAsync(1_000);
    assert.deepEqual(events, ['registered 1', 'sleeping 1']);
    assert.equal(engine.isAsleep(1), true);
    engine.exchanged(1); // nothing is exchanged while asleep: no effect
    engine.wake(1);
    assert.equal(engine.isAsleep(1), false, 'the waking Update is in flight');
    await settle();
    assert.deepEqual(events, ['registered 1', 'sleeping 1', 'updated 1']);
    assert.equal(engine.isAsleep(1), false);
  });

  test('exchanged() starts no awake timer outside queue mode', async () => {
    const { engine, events, clock } = setup();
    engine.start([account(1)]);
    await settle();
    engine.exchanged(1);
    await clock.advanceAsync(200_000);
    assert.deepEqual(events.includes('sleeping 1'), false);
  });
});
