import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lwm2mJsonCodec } from '../../src/content/lwm2mJson/lwm2mJsonCodec.js';
import { DecodeError } from '../../src/transport/DecodeError.js';
import { Lwm2mPath } from '../../src/lwm2m/Lwm2mPath.js';
import { instance, multipleResource, nodesEqual, resource, resourceInstance } from '../../src/lwm2m/nodes.js';
import {
  booleanValue,
  floatValue,
  integerValue,
  objlnkValue,
  opaqueValue,
  stringValue,
} from '../../src/lwm2m/values.js';
import type { ResourceNode } from '../../src/lwm2m/Lwm2mNode.js';
import { createCoreRegistry } from '../../src/model/core/coreModels.js';
import { noModels, testModels } from './testModels.js';
import { DEVICE_NODE } from './senmlFixtures.js';
import {
  checkExtremes,
  checkMultiRoundTrip,
  checkNodeRoundTrip,
  checkSelfDescribing,
  checkTimestampedRoundTrip,
} from './senmlCodecProperties.js';

const utf8 = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);
const p = (s: string) => Lwm2mPath.parse(s);
const core = createCoreRegistry();

/** The Device object instance in the layout of Core TS 1.0 section 6.4.4 (base name, entries "e"). */
const DEVICE_LWM2M_JSON =
  '{"bn":"/3/0/","e":[{"n":"0","sv":"Open Mobile Alliance"},{"n":"1","sv":"Lightweight M2M Client"},' +
  '{"n":"2","sv":"345000123"},{"n":"3","sv":"1.0"},{"n":"6/0","v":1},{"n":"6/1","v":5},' +
  '{"n":"7/0","v":3800},{"n":"7/1","v":5000},{"n":"8/0","v":125},{"n":"8/1","v":900},' +
  '{"n":"9","v":100},{"n":"10","v":15},{"n":"11/0","v":0},{"n":"13","v":1367491215},' +
  '{"n":"14","sv":"+02:00"},{"n":"16","sv":"U"}]}';

test('encodes the Device object instance byte-exactly in the Core TS 1.0 6.4.4 layout', () => {
  assert.equal(text(lwm2mJsonCodec.encode(p('/3/0'), DEVICE_NODE, core)), DEVICE_LWM2M_JSON);
});

test('decodes the Device object instance with types from the model', () => {
  assert.ok(nodesEqual(lwm2mJsonCodec.decode(utf8(DEVICE_LWM2M_JSON), p('/3/0'), core), DEVICE_NODE));
});

test('decodes the Core TS 1.0 6.4.4 Device example, whose names are relative to the request path', () => {
  const json =
    '{"e":[{"n":"0","sv":"Open Mobile Alliance"},{"n":"1","sv":"Lightweight M2M Client"},' +
    '{"n":"2","sv":"345000123"},{"n":"3","sv":"1.0"},{"n":"6/0","v":1},{"n":"6/1","v":5},' +
    '{"n":"7/0","v":3800},{"n":"7/1","v":5000},{"n":"8/0","v":125},{"n":"8/1","v":900},' +
    '{"n":"9","v":100},{"n":"10","v":15},{"n":"11/0","v":0},{"n":"13","v":1367491215},' +
    '{"n":"14","sv":"+02:00"},{"n":"15","sv":"U"}]}';
  const node = lwm2mJsonCodec.decode(utf8(json), p('/3/0'), core);
  const expected = instance(0, [
    ...(DEVICE_NODE as { resources: readonly ResourceNode[] }).resources.filter((r) => r.id !== 16),
    resource(15, stringValue('U')),
  ]);
  assert.ok(nodesEqual(node, expected));
  assert.throws(() => lwm2mJsonCodec.decodeNodes(utf8(json), core), DecodeError); // no request path to resolve against
});

test('decodes the historical-values notification of Core TS 1.0 6.4.4 (relative times, base time last)', () => {
  const json =
    '{"bn":"/3303/0/5700","e":[{"n":"","v":22.4,"t":-5},{"n":"","v":22.9,"t":-30},{"n":"","v":24.1,"t":-50}],"bt":25462634}';
  const groups = lwm2mJsonCodec.decodeTimestamped(utf8(json), noModels);
  assert.deepEqual(
    groups.map((g) => g.timestamp),
    [25462629, 25462604, 25462584],
  );
  assert.equal(groups[2]!.nodes[0]!.path.toString(), '/3303/0/5700');
  assert.deepEqual(groups[2]!.nodes[0]!.node, resource(5700, floatValue(24.1)));
});

test('carries booleans in "bv", object links in "ov" and opaque values as base64 "sv"', () => {
  const node = instance(0, [
    resource(1, booleanValue(true)),
    resource(2, objlnkValue(66, 1)),
    resource(3, opaqueValue(Uint8Array.of(0xfb, 0xff))),
  ]);
  const models = {
    getObject: (id: number) =>
      id === 42
        ? {
            ...testModels.getObject(9999)!,
            id: 42,
            resources: new Map(
              (
                [
                  [1, 'boolean'],
                  [2, 'objlnk'],
                  [3, 'opaque'],
                ] as const
              ).map(([rid, type]) => [
                rid,
                { ...testModels.getObject(9999)!.resources.get(0)!, id: rid, type },
              ]),
            ),
          }
        : undefined,
  };
  const bytes = lwm2mJsonCodec.encode(p('/42/0'), node, models);
  assert.equal(
    text(bytes),
    '{"bn":"/42/0/","e":[{"n":"1","bv":true},{"n":"2","ov":"66:1"},{"n":"3","sv":"+/8="}]}',
  );
  assert.ok(nodesEqual(lwm2mJsonCodec.decode(bytes, p('/42/0'), models), node));
});

test('resolves names against the request path when there is no base name', () => {
  const node = lwm2mJsonCodec.decode(
    utf8('{"e":[{"n":"0","v":3800},{"n":"1","v":5000}]}'),
    p('/3/0/7'),
    core,
  );
  assert.ok(
    nodesEqual(
      node,
      multipleResource(7, [resourceInstance(0, integerValue(3800)), resourceInstance(1, integerValue(5000))]),
    ),
  );
});

test('writes full names when a payload spans several base paths, and one shared time as "bt"', () => {
  const bytes = lwm2mJsonCodec.encodeTimestamped(
    [
      {
        timestamp: 1000,
        nodes: [
          { path: p('/3/0/9'), node: resource(9, integerValue(95)) },
          { path: p('/1/0/1'), node: resource(1, integerValue(60)) },
        ],
      },
    ],
    core,
  );
  assert.equal(text(bytes), '{"bt":1000,"e":[{"n":"/3/0/9","v":95},{"n":"/1/0/1","v":60}]}');
  const back = lwm2mJsonCodec.decodeTimestamped(bytes, core);
  assert.deepEqual(back.length, 1);
  assert.equal(back[0]!.timestamp, 1000);
  assert.deepEqual(back[0]!.nodes[1]!.node, resource(1, integerValue(60)));
});

test('gives each entry its own absolute time when times differ', () => {
  const bytes = lwm2mJsonCodec.encodeTimestamped(
    [
      { timestamp: 10, nodes: [{ path: p('/3/0/9'), node: resource(9, integerValue(1)) }] },
      { timestamp: 20, nodes: [{ path: p('/3/0/9'), node: resource(9, integerValue(2)) }] },
    ],
    core,
  );
  assert.equal(text(bytes), '{"bn":"/3/0/","e":[{"n":"9","v":1,"t":10},{"n":"9","v":2,"t":20}]}');
});

const rejects: [string, string][] = [
  ['a document that is not an object', '[{"n":"/3/0/9","v":1}]'],
  ['a document without "e"', '{"bn":"/3/0/"}'],
  ['an unknown member', '{"bn":"/3/0/","x":1,"e":[]}'],
  ['an unknown entry member', '{"bn":"/3/0/","e":[{"n":"9","vs":"1"}]}'],
  ['two values in an entry', '{"bn":"/3/0/","e":[{"n":"9","v":1,"sv":"1"}]}'],
  ['a duplicate member', '{"bn":"/3/0/","bn":"/3/1/","e":[]}'],
  ['an entry that is not an object', '{"e":[1]}'],
  ['a boolean "bv" that is a number', '{"bn":"/42/0/","e":[{"n":"1","bv":1}]}'],
  ['a number "v" for a string resource', '{"bn":"/3/0/","e":[{"n":"0","v":1}]}'],
  ['non-base64 text for an opaque resource', '{"bn":"/5/0/","e":[{"n":"0","sv":"%%"}]}'],
  ['a name outside any resource', '{"bn":"/3/","e":[{"n":"0","v":1}]}'],
];
for (const [what, json] of rejects) {
  test(`rejects ${what} with a DecodeError`, () => {
    assert.throws(() => lwm2mJsonCodec.decode(utf8(json), p('/3/0'), testModels), DecodeError);
  });
}

test('reads a string that is a base64 opaque value only as opaque when the model says so', () => {
  const node = lwm2mJsonCodec.decode(
    utf8('{"bn":"/5/0/","e":[{"n":"0","sv":"AQI="},{"n":"1","sv":"AQI="}]}'),
    p('/5/0'),
    testModels,
  );
  assert.ok(
    nodesEqual(
      node,
      instance(0, [resource(0, opaqueValue(Uint8Array.of(1, 2))), resource(1, stringValue('AQI='))]),
    ),
  );
});

const traits = { finiteFloatsOnly: true, timestamps: true };
test('round-trips random nodes of every type at every path level', () =>
  checkNodeRoundTrip(lwm2mJsonCodec, traits, 21, 400));
test('round-trips random multi-path payloads', () => checkMultiRoundTrip(lwm2mJsonCodec, traits, 22, 200));
test('round-trips random timestamped groups', () =>
  checkTimestampedRoundTrip(lwm2mJsonCodec, traits, 23, 200));
test('keeps self-describing types without a model', () =>
  checkSelfDescribing(lwm2mJsonCodec, ['string', 'integer', 'float', 'boolean', 'objlnk'], 24, 300, traits));
test('round-trips 64-bit extremes, empty values, the null objlnk and float edge values', () =>
  checkExtremes(lwm2mJsonCodec, traits));
