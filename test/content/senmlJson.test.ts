import { test } from 'node:test';
import assert from 'node:assert/strict';
import { senmlJsonCodec } from '../../src/content/senml/senmlJsonCodec.js';
import { DecodeError } from '../../src/transport/DecodeError.js';
import { DEFAULT_DECODE_LIMITS } from '../../src/content/decodeLimits.js';
import { Lwm2mPath } from '../../src/lwm2m/Lwm2mPath.js';
import {
  instance,
  multipleResource,
  nodesEqual,
  object,
  resource,
  resourceInstance,
} from '../../src/lwm2m/nodes.js';
import {
  booleanValue,
  floatValue,
  integerValue,
  objlnkValue,
  opaqueValue,
  stringValue,
  timeValue,
  unsignedValue,
  InvalidValueError,
} from '../../src/lwm2m/values.js';
import { createCoreRegistry } from '../../src/model/core/coreModels.js';
import type { Lwm2mNode, ResourceNode } from '../../src/lwm2m/Lwm2mNode.js';
import { noModels, testModels } from './testModels.js';
import { DEVICE_NODE, DEVICE_SENML_JSON } from './senmlFixtures.js';
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

test('encodes the Device object instance byte-exactly as the Core TS 7.4.4 example', () => {
  assert.equal(text(senmlJsonCodec.encode(p('/3/0'), DEVICE_NODE, core)), DEVICE_SENML_JSON);
});

test('decodes the Core TS 7.4.4 Device example with types from the model', () => {
  const node = senmlJsonCodec.decode(utf8(DEVICE_SENML_JSON), p('/3/0'), core);
  assert.ok(nodesEqual(node, DEVICE_NODE));
  const time = (node as { resources: readonly Lwm2mNode[] }).resources.find((r) => r.id === 13);
  assert.deepEqual(time, resource(13, timeValue(1367491215)));
});

test('decodes the Device example as an object when read at /3', () => {
  const node = senmlJsonCodec.decode(utf8(DEVICE_SENML_JSON), p('/3'), core);
  assert.equal(node.kind, 'object');
  assert.ok(nodesEqual((node as { instances: readonly Lwm2mNode[] }).instances[0]!, DEVICE_NODE));
});

test('encodes an object with several instances byte-exactly as the Core TS 1.2 Bootstrap-Read /2 example', () => {
  const json =
    '[{"bn":"/2/","n":"0/0","v":1},{"n":"0/1","v":0},{"n":"0/2/127","v":7},{"n":"0/3","v":127},' +
    '{"n":"2/0","v":3},{"n":"2/1","v":0},{"n":"2/2/127","v":7},{"n":"2/2/310","v":7},{"n":"2/3","v":127}]';
  const acl = (oid: number, acls: [number, number][]): ResourceNode[] => [
    resource(0, integerValue(oid)),
    resource(1, integerValue(0)),
    multipleResource(
      2,
      acls.map(([id, v]) => resourceInstance(id, integerValue(v))),
    ),
    resource(3, integerValue(127)),
  ];
  const node = object(2, [
    instance(0, acl(1, [[127, 7]])),
    instance(
      2,
      acl(3, [
        [127, 7],
        [310, 7],
      ]),
    ),
  ]);
  assert.equal(text(senmlJsonCodec.encode(p('/2'), node, testModels)), json);
  assert.ok(nodesEqual(senmlJsonCodec.decode(utf8(json), p('/2'), testModels), node));
});

test('decodes the Core TS 1.2 Write example on resource instances of an unknown object', () => {
  const json = '[ { "n": "/34/0/1/1", "vs":"Yellow" },\n  { "n": "/34/0/1/3", "vs":"Blue" }]';
  const node = senmlJsonCodec.decode(utf8(json), p('/34/0/1'), core);
  assert.ok(
    nodesEqual(
      node,
      multipleResource(1, [
        resourceInstance(1, stringValue('Yellow')),
        resourceInstance(3, stringValue('Blue')),
      ]),
    ),
  );
});

test('encodes and decodes a composite Read request as full names', () => {
  const paths = [p('/3/0/0'), p('/3/0/9'), p('/1/0')];
  const bytes = senmlJsonCodec.encodePaths(paths);
  assert.equal(text(bytes), '[{"n":"/3/0/0"},{"n":"/3/0/9"},{"n":"/1/0"}]');
  assert.deepEqual(senmlJsonCodec.decodePaths(bytes).map(String), ['/3/0/0', '/3/0/9', '/1/0']);
  assert.deepEqual(senmlJsonCodec.decodePaths(utf8('[{"bn":"/3/0/","n":"0"},{"n":"9"}]')).map(String), [
    '/3/0/0',
    '/3/0/9',
  ]);
});

test('encodes a composite response, switching the base name between objects', () => {
  const bytes = senmlJsonCodec.encodeNodes(
    [
      { path: p('/3/0/0'), node: resource(0, stringValue('Open Mobile Alliance')) },
      { path: p('/3/0/9'), node: resource(9, integerValue(95)) },
      { path: p('/1/0/1'), node: resource(1, integerValue(86400)) },
    ],
    core,
  );
  assert.equal(
    text(bytes),
    '[{"bn":"/3/0/","n":"0","vs":"Open Mobile Alliance"},{"n":"9","v":95},{"bn":"/1/0/","n":"1","v":86400}]',
  );
  const leaves = senmlJsonCodec.decodeNodes(bytes, core);
  assert.deepEqual(
    leaves.map((l) => l.path.toString()),
    ['/3/0/0', '/3/0/9', '/1/0/1'],
  );
  assert.deepEqual(leaves[2]!.node, resource(1, integerValue(86400)));
});

test('encodes a single resource, a multiple resource and a resource instance', () => {
  assert.equal(
    text(senmlJsonCodec.encode(p('/3/0/9'), resource(9, integerValue(95)), core)),
    '[{"bn":"/3/0/","n":"9","v":95}]',
  );
  const multi = multipleResource(7, [
    resourceInstance(0, integerValue(3800)),
    resourceInstance(1, integerValue(5000)),
  ]);
  const bytes = senmlJsonCodec.encode(p('/3/0/7'), multi, core);
  assert.equal(text(bytes), '[{"bn":"/3/0/7/","n":"0","v":3800},{"n":"1","v":5000}]');
  assert.ok(nodesEqual(senmlJsonCodec.decode(bytes, p('/3/0/7'), core), multi));
  const ri = senmlJsonCodec.encode(p('/3/0/7/1'), resourceInstance(1, integerValue(5000)), core);
  assert.equal(text(ri), '[{"bn":"/3/0/7/","n":"1","v":5000}]');
  assert.deepEqual(senmlJsonCodec.decode(ri, p('/3/0/7/1'), core), resourceInstance(1, integerValue(5000)));
});

test('writes each data type in its SenML field (Core TS 7.4.4 table)', () => {
  const cases: [Lwm2mNode, string][] = [
    [resource(1, floatValue(22.5)), '"v":22.5'],
    [resource(1, floatValue(3)), '"v":3.0'],
    [resource(1, floatValue(-0)), '"v":-0.0'],
    [resource(1, booleanValue(true)), '"vb":true'],
    [resource(1, opaqueValue(Uint8Array.of(0xfb, 0xff, 0x01))), '"vd":"-_8B"'],
    [resource(1, objlnkValue(3, 0)), '"vlo":"3:0"'],
    [resource(1, integerValue(-(2n ** 63n))), '"v":-9223372036854775808'],
    [resource(1, unsignedValue(2n ** 64n - 1n)), '"v":18446744073709551615'],
  ];
  for (const [node, field] of cases) {
    assert.equal(
      text(senmlJsonCodec.encode(p('/42/0/1'), node, noModels)),
      `[{"bn":"/42/0/","n":"1",${field}}]`,
    );
  }
});

test('keeps 64-bit integers exact and types unknown resources from their field', () => {
  const json =
    '[{"bn":"/42/0/","n":"1","v":9223372036854775807},{"n":"2","v":1.5},{"n":"3","vs":"x"},{"n":"4","vb":false},{"n":"5","vd":"AQI"},{"n":"6","vlo":"1:2"},{"n":"7","v":7}]';
  const node = senmlJsonCodec.decode(utf8(json), p('/42/0'), noModels);
  assert.ok(
    nodesEqual(
      node,
      instance(0, [
        resource(1, integerValue(2n ** 63n - 1n)),
        resource(2, floatValue(1.5)),
        resource(3, stringValue('x')),
        resource(4, booleanValue(false)),
        resource(5, opaqueValue(Uint8Array.of(1, 2))),
        resource(6, objlnkValue(1, 2)),
        resource(7, integerValue(7)),
      ]),
    ),
  );
});

test('resolves base name, base time and base value (RFC 8428 section 4.6)', () => {
  const json =
    '[{"bn":"/3303/0/","bt":1000,"bv":20,"n":"5700","v":1.5,"t":-5},{"bn":"/3303/1/","n":"5700","v":2.5}]';
  const groups = senmlJsonCodec.decodeTimestamped(utf8(json), noModels);
  assert.deepEqual(
    groups.map((g) => g.timestamp),
    [995, 1000],
  );
  assert.deepEqual(groups[0]!.nodes[0]!.node, resource(5700, floatValue(21.5)));
  assert.equal(groups[1]!.nodes[0]!.path.toString(), '/3303/1/5700');
});

test('encodes timestamped groups with a base time per group and reads them back', () => {
  const rid = 5700;
  const bytes = senmlJsonCodec.encodeTimestamped(
    [
      { timestamp: 1591625940, nodes: [{ path: p('/3303/0/5700'), node: resource(rid, floatValue(22.4)) }] },
      { timestamp: 1591625950, nodes: [{ path: p('/3303/0/5700'), node: resource(rid, floatValue(22.9)) }] },
      { nodes: [{ path: p('/3303/0/5700'), node: resource(rid, floatValue(23.1)) }] },
    ],
    noModels,
  );
  assert.equal(
    text(bytes),
    '[{"bn":"/3303/0/","bt":1591625940,"n":"5700","v":22.4},{"bt":1591625950,"n":"5700","v":22.9},{"bt":0,"n":"5700","v":23.1}]',
  );
  const back = senmlJsonCodec.decodeTimestamped(bytes, noModels);
  assert.deepEqual(
    back.map((g) => g.timestamp),
    [1591625940, 1591625950, undefined],
  );
});

test('refuses to encode floats JSON cannot carry', () => {
  assert.throws(
    () => senmlJsonCodec.encode(p('/42/0/1'), resource(1, floatValue(NaN)), noModels),
    InvalidValueError,
  );
});

const rejects: [string, string][] = [
  ['not an array', '{"n":"/3/0/0","v":1}'],
  ['a record that is not an object', '[1]'],
  ['a duplicate label', '[{"n":"/3/0/9","v":1,"v":2}]'],
  ['a mandatory-to-understand label', '[{"n":"/3/0/9","v":1,"foo_":1}]'],
  ['two values in a record', '[{"n":"/3/0/9","v":1,"vs":"a"}]'],
  ['a record without a value', '[{"n":"/3/0/9"}]'],
  ['a name that is not a path', '[{"n":"/3/0/x","v":1}]'],
  ['a relative name', '[{"n":"3/0/9","v":1}]'],
  ['an object-level name', '[{"n":"/3/0","v":1}]'],
  ['a string where the model wants an integer', '[{"n":"/3/0/9","vs":"95"}]'],
  ['a fraction where the model wants an integer', '[{"n":"/3/0/9","v":9.5}]'],
  ['a value for an executable resource', '[{"n":"/3/0/4","v":1}]'],
  ['a single value for a multiple resource', '[{"n":"/3/0/7","v":1}]'],
  ['an instance of a single resource', '[{"n":"/3/0/9/0","v":1}]'],
  ['two values for one path', '[{"n":"/3/0/9","v":1},{"n":"/3/0/9","v":2}]'],
  ['invalid base64url in vd', '[{"n":"/42/0/1","vd":"AQ=="}]'],
  ['a bad objlnk', '[{"n":"/42/0/1","vlo":"1:99999"}]'],
  ['an integer beyond 64 bits', '[{"n":"/3/0/9","v":99999999999999999999999}]'],
  ['trailing garbage', '[{"n":"/3/0/9","v":1}]x'],
  ['truncated input', '[{"n":"/3/0/9","v":1}'],
  ['a leading zero', '[{"n":"/3/0/9","v":01}]'],
  ['invalid UTF-8', '\uFFFD'],
];
for (const [what, json] of rejects) {
  test(`rejects ${what} with a DecodeError`, () => {
    const bytes = what === 'invalid UTF-8' ? Uint8Array.of(0x5b, 0xff, 0x5d) : utf8(json);
    assert.throws(() => senmlJsonCodec.decodeNodes(bytes, core), DecodeError);
  });
}

test('reports the offset of the offending record and tells truncation apart', () => {
  const err = (json: string) => {
    try {
      senmlJsonCodec.decodeNodes(utf8(json), core);
    } catch (e) {
      return e as DecodeError;
    }
    assert.fail('no error');
  };
  assert.equal(err('[{"n":"/3/0/9","v":1},{"n":"/3/0/9","vs":"a"}]').offset, 22);
  assert.equal(err('[{"n":"/3/0/9","v":1}').kind, 'truncated');
  assert.equal(err('[[[[[[[[[[[[1]]]]]]]]]]]]').kind, 'limit');
});

test('decode rejects records outside the requested path', () => {
  assert.throws(() => senmlJsonCodec.decode(utf8('[{"n":"/3/1/9","v":1}]'), p('/3/0'), core), DecodeError);
});

test('bounds the number of records', () => {
  const json = '[' + Array.from({ length: 11 }, (_, i) => `{"n":"/42/0/${i}","v":1}`).join(',') + ']';
  assert.throws(
    () =>
      senmlJsonCodec.decodeNodes(utf8(json), noModels, { maxDepth: 8, maxRecords: 10, maxValueBytes: 100 }),
    (e: unknown) => e instanceof DecodeError && e.kind === 'limit',
  );
});

const traits = { finiteFloatsOnly: true, timestamps: true };
test('round-trips random nodes of every type at every path level', () =>
  checkNodeRoundTrip(senmlJsonCodec, traits, 1, 400));
test('round-trips random multi-path payloads', () => checkMultiRoundTrip(senmlJsonCodec, traits, 2, 200));
test('round-trips random timestamped groups', () =>
  checkTimestampedRoundTrip(senmlJsonCodec, traits, 3, 200));
test('keeps self-describing types without a model', () =>
  checkSelfDescribing(
    senmlJsonCodec,
    ['string', 'integer', 'float', 'boolean', 'opaque', 'objlnk'],
    4,
    300,
    traits,
  ));
test('round-trips through the core registry as well as the test models', () => {
  assert.ok(
    nodesEqual(
      senmlJsonCodec.decode(senmlJsonCodec.encode(p('/3/0'), DEVICE_NODE, testModels), p('/3/0'), testModels),
      DEVICE_NODE,
    ),
  );
});
test('round-trips 64-bit extremes, empty values, the null objlnk and float edge values', () =>
  checkExtremes(senmlJsonCodec, traits));

// Bounded by count, not by time: the error's offset shows where the parser stopped reading.
test('rejects a megabyte of nesting or of one string where the limit is reached, not at the end', () => {
  const { maxDepth, maxValueBytes } = DEFAULT_DECODE_LIMITS;
  const cases = [
    { json: '['.repeat(1 << 20), stopsBy: maxDepth + 1 },
    // A string may take up to 6 characters per byte (\\u escapes) before its length is known.
    { json: '[{"n":"' + 'a'.repeat(1 << 20) + '"}]', stopsBy: 7 + maxValueBytes * 6 + 3 },
  ];
  for (const { json, stopsBy } of cases) {
    assert.throws(
      () => senmlJsonCodec.decodeNodes(utf8(json), core),
      (e: unknown) => e instanceof DecodeError && e.kind === 'limit' && e.offset <= stopsBy,
    );
  }
});
