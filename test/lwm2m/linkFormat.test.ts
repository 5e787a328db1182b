import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatDiscoverResponse,
  formatRegistrationPayload,
  parseDiscoverResponse,
  parseRegistrationPayload,
} from '../../src/lwm2m/linkFormat.js';
import { Lwm2mPath } from '../../src/lwm2m/Lwm2mPath.js';
import { DecodeError } from '../../src/transport/DecodeError.js';
import { Gen, prng } from '../content/randomNodes.js';

const objectsOf = (text: string) =>
  Object.fromEntries(
    [...parseRegistrationPayload(text).objects].map(([id, o]) => [id, { ...o, instances: [...o.instances] }]),
  );

test('parses the Register payload examples: plain, alternate root path, ct and ver', () => {
  const plain = parseRegistrationPayload('</1/0>,</2/0>,</2/1>,</3/0>,</5>');
  assert.equal(plain.rootPath, '/');
  assert.deepEqual(plain.contentFormats, []);
  assert.deepEqual(objectsOf('</1/0>,</2/0>,</2/1>,</3/0>,</5>'), {
    1: { instances: [0] },
    2: { instances: [0, 1] },
    3: { instances: [0] },
    5: { instances: [] },
  });
  const alt = parseRegistrationPayload('</lwm2m>;rt="oma.lwm2m",</lwm2m/1/101>,</lwm2m/1/102>,</lwm2m/3/0>');
  assert.equal(alt.rootPath, '/lwm2m');
  assert.deepEqual([...alt.objects.get(1)!.instances], [101, 102]);
  const ct = parseRegistrationPayload(
    '</>;rt="oma.lwm2m";ct="60 110 112 11542 11543",</1>;ver=1.1,</1/0>,</3/0>',
  );
  assert.deepEqual(ct.contentFormats, [60, 110, 112, 11542, 11543]);
  assert.equal(ct.objects.get(1)!.version, '1.1');
  assert.deepEqual(parseRegistrationPayload('</>;rt="oma.lwm2m";ct=11543').contentFormats, [11543]);
});

test('formats a Register payload that parses back to the same objects', () => {
  const text = '</>;rt="oma.lwm2m";ct="60 11542",</1>;ver=1.1,</1/0>,</3/0>,</5>';
  const reg = parseRegistrationPayload(text);
  assert.equal(formatRegistrationPayload(reg), text);
  const alt = '</lwm2m>;rt="oma.lwm2m",</lwm2m/3/0>,</lwm2m/3/1>';
  assert.equal(formatRegistrationPayload(parseRegistrationPayload(alt)), alt);
  assert.equal(formatRegistrationPayload(parseRegistrationPayload('</3/0>,</1/0>')), '</1/0>,</3/0>');
});

test('rejects Register payloads with bad links, ids, versions or content formats', () => {
  for (const text of [
    '</3/0/1>',
    '</a/0>',
    '</65535>',
    '</3/0>,</3/0>',
    '</3>;ver=1',
    '</>;rt="oma.lwm2m";ct=x',
    '</lwm2m>;rt="oma.lwm2m",</3/0>',
    '<3/0>',
    '</3/00>',
  ]) {
    assert.throws(() => parseRegistrationPayload(text), DecodeError, text);
  }
});

test('parses and formats a Discover response with typed attributes', () => {
  const text = '</3>;pmin=10,</3/0>,</3/0/1>,</3/0/6>;dim=8,</3/0/7>;dim=8;gt=50;lt=42.2,</3/0/11>;rt="x"';
  const links = parseDiscoverResponse(text);
  assert.deepEqual(
    links.map((l) => l.path.toString()),
    ['/3', '/3/0', '/3/0/1', '/3/0/6', '/3/0/7', '/3/0/11'],
  );
  assert.deepEqual(links[0]!.attributes, { pmin: 10 });
  assert.deepEqual(links[4]!.attributes, { dim: 8, gt: 50, lt: 42.2 });
  assert.deepEqual(links[5]!.otherParams, [{ name: 'rt', value: 'x', quoted: true }]);
  assert.equal(formatDiscoverResponse(links), text);
});

test('parses a Bootstrap-Discover response with lwm2m, ssid and a quoted uri', () => {
  const text = '</>;lwm2m=1.1,</0/0>;ssid=101;uri="coap://server1.example.com:5683",</1/0>;ssid=101,</3/0>';
  const links = parseDiscoverResponse(text);
  assert.ok(links[0]!.path.equals(Lwm2mPath.ROOT));
  assert.deepEqual(links[0]!.attributes, { lwm2m: '1.1' });
  assert.deepEqual(links[1]!.attributes, { ssid: 101, uri: 'coap://server1.example.com:5683' });
  assert.equal(formatDiscoverResponse(links), text);
});

test('rejects Discover responses with bad paths or attribute values', () => {
  for (const text of [
    '<3/0>',
    '</3/0/1/2/3>',
    '</3>;pmin=x',
    '</3>;pmin=1;pmin=2',
    '</x>',
    '</3/0/6>;dim=300',
  ]) {
    assert.throws(() => parseDiscoverResponse(text), DecodeError, text);
  }
});

test('random Register payloads round-trip through format and parse', () => {
  const g = new Gen(prng(7));
  for (let n = 0; n < 300; n++) {
    const objects = new Map<number, { version?: string; instances: number[] }>();
    for (let k = g.int(0, 6); k > 0; k--) {
      const instances = [...new Set(Array.from({ length: g.int(0, 3) }, () => g.int(0, 65534)))].sort(
        (a, b) => a - b,
      );
      const version = g.next() < 0.4 ? `${g.int(1, 2)}.${g.int(0, 9)}` : undefined;
      objects.set(g.int(0, 65534), version === undefined ? { instances } : { version, instances });
    }
    const reg = {
      rootPath: g.pick(['/', '/lwm2m', '/a/b']),
      objects,
      contentFormats:
        g.next() < 0.5 ? [] : [...new Set([g.pick([60, 110, 112, 11542]), g.pick([0, 42, 11543, 11544])])],
    };
    const back = parseRegistrationPayload(formatRegistrationPayload(reg));
    assert.equal(back.rootPath, reg.rootPath);
    assert.deepEqual(back.contentFormats, reg.contentFormats);
    assert.deepEqual(
      new Map([...back.objects].map(([id, o]) => [id, { ...o, instances: [...o.instances] }])),
      objects,
    );
  }
});

test('a registration payload error points at the offending link, searched in text order (linear)', () => {
  // The second </3/0> is the duplicate: its offset is 7, not that of the first occurrence.
  assert.throws(
    () => parseRegistrationPayload('</3/0>,</3/0>'),
    (e: unknown) => e instanceof DecodeError && e.offset === 7 && /listed twice/.test(e.message),
  );
  const many = Array.from({ length: 1000 }, (_, i) => `</3303/${i}>;rt="${'s'.repeat(40)}"`).join(',');
  assert.throws(
    () => parseRegistrationPayload(`${many},</3303/999>`),
    (e: unknown) => e instanceof DecodeError && e.offset === many.length + 1,
  );
});
