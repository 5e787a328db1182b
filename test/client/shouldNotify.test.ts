import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Attributes } from '../../src/lwm2m/attributes.js';
import type { Lwm2mNode } from '../../src/lwm2m/Lwm2mNode.js';
import { resource } from '../../src/lwm2m/nodes.js';
import { booleanValue, floatValue, integerValue, stringValue } from '../../src/lwm2m/values.js';
import {
  effectivePmax,
  epminDelay,
  pmaxDelay,
  shouldNotify,
  valueTriggers,
} from '../../src/client/shouldNotify.js';

const f = (v: number): Lwm2mNode => resource(5700, floatValue(v));
const i = (v: number): Lwm2mNode => resource(1, integerValue(v));
const s = (v: string): Lwm2mNode => resource(0, stringValue(v));
const b = (v: boolean): Lwm2mNode => resource(2, booleanValue(v));

describe('valueTriggers (Core TS 5.1.2 value conditions)', () => {
  const cases: {
    name: string;
    prev: Lwm2mNode | undefined;
    cur: Lwm2mNode;
    attrs: Attributes;
    want: boolean;
  }[] = [
    { name: 'the first value always counts', prev: undefined, cur: f(1), attrs: { gt: 50 }, want: true },
    { name: 'any change counts without gt/lt/st', prev: f(1), cur: f(1.5), attrs: {}, want: true },
    { name: 'an unchanged value does not count', prev: f(1), cur: f(1), attrs: {}, want: false },
    { name: 'rising across gt counts', prev: f(49), cur: f(51), attrs: { gt: 50 }, want: true },
    { name: 'falling back across gt counts', prev: f(51), cur: f(49), attrs: { gt: 50 }, want: true },
    {
      name: 'moving above gt without crossing is silent',
      prev: f(51),
      cur: f(60),
      attrs: { gt: 50 },
      want: false,
    },
    {
      name: 'moving below gt without crossing is silent',
      prev: f(10),
      cur: f(20),
      attrs: { gt: 50 },
      want: false,
    },
    { name: 'falling across lt counts', prev: f(11), cur: f(9), attrs: { lt: 10 }, want: true },
    { name: 'a step of st counts', prev: i(10), cur: i(15), attrs: { st: 5 }, want: true },
    { name: 'a step smaller than st is silent', prev: i(10), cur: i(14), attrs: { st: 5 }, want: false },
    { name: 'a negative step of st counts', prev: i(10), cur: i(5), attrs: { st: 5 }, want: true },
    { name: 'gt or st: st alone suffices', prev: f(0), cur: f(3), attrs: { gt: 50, st: 2 }, want: true },
    {
      name: 'gt/lt/st are ignored on strings: any change',
      prev: s('a'),
      cur: s('b'),
      attrs: { gt: 1, st: 9 },
      want: true,
    },
    {
      name: 'a string that did not change is silent',
      prev: s('a'),
      cur: s('a'),
      attrs: { gt: 1 },
      want: false,
    },
    {
      name: 'edge=1 notifies a rising edge',
      prev: b(false),
      cur: b(true),
      attrs: { edge: true },
      want: true,
    },
    {
      name: 'edge=1 ignores a falling edge',
      prev: b(true),
      cur: b(false),
      attrs: { edge: true },
      want: false,
    },
    {
      name: 'edge=0 notifies a falling edge',
      prev: b(true),
      cur: b(false),
      attrs: { edge: false },
      want: true,
    },
  ];
  for (const c of cases) test(c.name, () => assert.equal(valueTriggers(c.prev, c.cur, c.attrs), c.want));

  test('edge compares with the value seen last, not the one notified last (1.2)', () => {
    // Last notified true (a rising edge), then a suppressed falling edge: false was seen.
    assert.equal(valueTriggers(b(true), b(true), { edge: true }, b(false)), true);
    assert.equal(valueTriggers(b(false), b(false), { edge: false }, b(true)), true);
    assert.equal(valueTriggers(b(true), b(true), { edge: true }, b(true)), false);
  });
});

describe('shouldNotify timing (pmin)', () => {
  test('notifies now when pmin has passed', () => {
    assert.deepEqual(shouldNotify(f(1), f(2), { pmin: 10 }, 10_000), { notify: 'now' });
  });
  test('delays to the end of pmin when it has not', () => {
    assert.deepEqual(shouldNotify(f(1), f(2), { pmin: 10 }, 4_000), { notify: 'later', delayMs: 6_000 });
  });
  test('does not notify when the conditions are not met, whatever the time', () => {
    assert.deepEqual(shouldNotify(f(1), f(2), { pmin: 0, st: 5 }, 60_000), { notify: 'no' });
  });
});

describe('pmax, epmin', () => {
  test('pmax forces a notification pmax after the last one', () => {
    assert.equal(pmaxDelay({ pmax: 30 }, 10_000), 20_000);
  });
  test('pmax smaller than pmin is ignored', () => {
    assert.equal(effectivePmax({ pmin: 60, pmax: 30 }), undefined);
    assert.equal(pmaxDelay({ pmin: 60, pmax: 30 }, 0), undefined);
  });
  test('pmax 0 is no pmax', () => assert.equal(effectivePmax({ pmax: 0 }), undefined));
  test('epmin defers an evaluation that comes too soon', () => {
    assert.equal(epminDelay({ epmin: 5 }, 2_000), 3_000);
    assert.equal(epminDelay({ epmin: 5 }, 6_000), 0);
    assert.equal(epminDelay({}, 0), 0);
  });
});
