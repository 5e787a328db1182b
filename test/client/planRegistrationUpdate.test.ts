import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  planRegistrationUpdate,
  registrationObjectsOf,
  updateDelayMs,
  type RegistrationParams,
} from '../../src/client/planRegistrationUpdate.js';
import { DEFAULT_RETRY_POLICY, planRetry } from '../../src/client/planRetry.js';
import { ObjectTree } from '../../src/client/ObjectTree.js';
import { deviceInstance } from '../../src/client/objects/deviceInstance.js';
import { securityInstance } from '../../src/client/objects/securityInstance.js';
import { serverInstance } from '../../src/client/objects/serverInstance.js';
import { formatRegistrationPayload } from '../../src/lwm2m/linkFormat.js';
import { TEMPERATURE_1_1 } from '../../src/model/core/temperature.js';

const objects = (ids: number[]) => ({
  rootPath: '/',
  contentFormats: [],
  objects: new Map(ids.map((id) => [id, { instances: [0] }])),
});
const base: RegistrationParams = {
  endpoint: 'dev',
  lifetime: 300,
  binding: 'U',
  lwm2mVersion: '1.1',
  queueMode: false,
  objects: objects([1, 3]),
};

describe('planRegistrationUpdate (Core TS 6.2.2: only changed parameters)', () => {
  const cases: { name: string; change: Partial<RegistrationParams>; want: object }[] = [
    { name: 'nothing changed: a bare update', change: {}, want: {} },
    { name: 'a new lifetime', change: { lifetime: 600 }, want: { lifetime: 600 } },
    { name: 'a new binding', change: { binding: 'UQ' }, want: { binding: 'UQ' } },
    { name: 'a new SMS number', change: { smsNumber: '+331' }, want: { sms: '+331' } },
    {
      name: 'an object added',
      change: { objects: objects([1, 3, 3303]) },
      want: { objects: objects([1, 3, 3303]) },
    },
    {
      name: 'lifetime and objects together',
      change: { lifetime: 60, objects: objects([1]) },
      want: { lifetime: 60, objects: objects([1]) },
    },
  ];
  for (const c of cases)
    test(c.name, () => assert.deepEqual(planRegistrationUpdate(base, { ...base, ...c.change }), c.want));
});

describe('updateDelayMs', () => {
  const cases: [number, number | undefined][] = [
    [86_400, (86_400 - 93) * 1000],
    [300, 207_000],
    [100, 50_000],
    [0, undefined],
  ];
  for (const [lt, want] of cases)
    test(`lifetime ${lt} s → update after ${want} ms`, () => assert.equal(updateDelayMs(lt), want));
});

describe('planRetry (Core TS 6.2.1.1, Server resources 17-20)', () => {
  const policy = { retryCount: 3, retryTimerS: 10, sequenceDelayS: 1000, sequenceRetryCount: 2 };
  const cases: [number, ReturnType<typeof planRetry>][] = [
    [1, { kind: 'retry', delayMs: 10_000 }],
    [2, { kind: 'retry', delayMs: 20_000 }],
    [3, { kind: 'retry', delayMs: 1_000_000 }],
    [4, { kind: 'retry', delayMs: 10_000 }],
    [5, { kind: 'retry', delayMs: 20_000 }],
    [6, { kind: 'giveUp' }],
  ];
  for (const [n, want] of cases)
    test(`after failure ${n}: ${want.kind}`, () => assert.deepEqual(planRetry(policy, n), want));
  test('the spec defaults give 5 attempts with 60 s doubling, then give up', () => {
    assert.deepEqual(planRetry(DEFAULT_RETRY_POLICY, 4), { kind: 'retry', delayMs: 480_000 });
    assert.deepEqual(planRetry(DEFAULT_RETRY_POLICY, 5), { kind: 'giveUp' });
  });
});

describe('registrationObjectsOf', () => {
  test('announces objects with ver when not 1.0 and never the Security object', () => {
    const tree = new ObjectTree()
      .add(securityInstance({ id: 0, uri: 'coap://x', ssid: 1 }))
      .add(serverInstance({ id: 0, ssid: 1 }))
      .add(deviceInstance())
      .addObject(TEMPERATURE_1_1);
    assert.equal(
      formatRegistrationPayload(registrationObjectsOf(tree)),
      '</1>;ver=1.1,</1/0>,</3>;ver=1.1,</3/0>,</3303>;ver=1.1',
    );
  });
});
