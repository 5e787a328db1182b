import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatAttributes,
  mergeAttributes,
  parseAttributeValue,
  parseAttributes,
  validateWriteAttributes,
} from '../../src/lwm2m/attributes.js';
import { BadRequestError } from '../../src/lwm2m/errors.js';
import { Lwm2mPath } from '../../src/lwm2m/Lwm2mPath.js';
import { testModels } from '../content/testModels.js';

const p = (s: string) => Lwm2mPath.parse(s);

test('parses typed attributes from query items, with bare or empty names meaning remove', () => {
  const a = parseAttributes([
    'pmin=10',
    'pmax=60',
    'gt=50',
    'lt=-42.2',
    'st=0.5',
    'epmin=1',
    'epmax=2',
    'edge=1',
    'con=0',
    'hqmax=5',
  ]);
  assert.deepEqual(a, {
    pmin: 10,
    pmax: 60,
    gt: 50,
    lt: -42.2,
    st: 0.5,
    epmin: 1,
    epmax: 2,
    edge: true,
    con: false,
    hqmax: 5,
  });
  assert.deepEqual(parseAttributes(['pmin', 'gt=']), { pmin: null, gt: null });
  assert.deepEqual(parseAttributes(['dim=8', 'ssid=101', 'uri=coap://x', 'ver=1.1']), {
    dim: 8,
    ssid: 101,
    uri: 'coap://x',
    ver: '1.1',
  });
});

test('rejects unknown, repeated and malformed attributes with BadRequestError', () => {
  for (const q of [
    ['foo=1'],
    ['pmin=1', 'pmin=2'],
    ['pmin=-1'],
    ['pmin=1.5'],
    ['gt=abc'],
    ['st=-1'],
    ['edge=2'],
    ['dim=256'],
    ['ssid=0'],
    ['ver=1'],
    ['dim'],
    ['gt=1e999'],
  ]) {
    assert.throws(() => parseAttributes(q), BadRequestError, q.join('&'));
  }
});

test('formats attributes back to query items in a stable order', () => {
  assert.deepEqual(formatAttributes({ gt: 50, pmin: 10, con: true, pmax: null, ver: '1.1' }), [
    'pmin=10',
    'pmax',
    'gt=50',
    'con=1',
    'ver=1.1',
  ]);
  const items = ['pmin=10', 'pmax=60', 'gt=50', 'lt=42.2', 'st=0.5'];
  assert.deepEqual(formatAttributes(parseAttributes(items)), items);
});

test('merges a Write-Attributes update: null removes, values replace', () => {
  assert.deepEqual(mergeAttributes({ pmin: 10, pmax: 60, gt: 5 }, { pmin: null, pmax: 30 }), {
    pmax: 30,
    gt: 5,
  });
});

test('validates levels, numeric resources and the lt/gt/st and period rules', () => {
  validateWriteAttributes({ pmin: 10, pmax: 60 }, p('/3'));
  validateWriteAttributes(
    { gt: 50, lt: 42.2, st: 3 },
    p('/3/0/9'),
    testModels.getObject(3)!.resources.get(9),
  );
  const bad: [Parameters<typeof validateWriteAttributes>[0], string][] = [
    [{ gt: 5 }, '/3/0'], // gt only on resources
    [{ dim: 2 }, '/3/0/6'], // read-only
    [{ lt: 5, gt: 5 }, '/3/0/9'], // lt < gt
    [{ lt: 1, gt: 5, st: 2 }, '/3/0/9'], // lt + 2*st < gt
    [{ pmin: 61, pmax: 60 }, '/3/0/9'],
    [{ epmin: 3, epmax: 2 }, '/3'],
    [{ gt: 1 }, '/3/0/0'], // string resource
    [{ edge: true }, '/3/0/9'], // integer resource
    [{ pmin: 1 }, '/'],
  ];
  for (const [attrs, path] of bad) {
    const pp = p(path);
    const model =
      pp.length >= 3 ? testModels.getObject(pp.objectId!)?.resources.get(pp.resourceId!) : undefined;
    assert.throws(
      () => validateWriteAttributes(attrs, pp, model),
      BadRequestError,
      `${JSON.stringify(attrs)} at ${path}`,
    );
  }
});

test('a threshold of "-0" is read as 0, so it formats and reads back the same (found by the Discover fuzzer)', () => {
  const v = parseAttributeValue('gt', '-0');
  assert.ok(Object.is(v, 0), `got ${String(v)}`);
  assert.ok(Object.is(parseAttributeValue('st', '-0'), 0));
});
