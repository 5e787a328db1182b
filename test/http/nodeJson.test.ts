// Nodes ↔ readable JSON of the REST API (nodeJson.ts, nodeFromJson.ts).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { instanceFromJson, nodeFromJson, valueFromJson } from '../../src/http/nodeFromJson.js';
import { nodeToJson, pathNodesToJson, timestampedToJson, valueToJson } from '../../src/http/nodeJson.js';
import { BadRequestError } from '../../src/lwm2m/errors.js';
import { NO_INSTANCE_ID } from '../../src/lwm2m/Lwm2mNode.js';
import { Lwm2mPath } from '../../src/lwm2m/Lwm2mPath.js';
import { instance, multipleResource, resource, resourceInstance, nodesEqual } from '../../src/lwm2m/nodes.js';
import {
  booleanValue,
  corelnkValue,
  floatValue,
  integerValue,
  objlnkValue,
  opaqueValue,
  stringValue,
  timeValue,
  unsignedValue,
} from '../../src/lwm2m/values.js';
import { createCoreRegistry } from '../../src/model/core/coreModels.js';

const models = createCoreRegistry();
const P = (s: string): Lwm2mPath => Lwm2mPath.parse(s);

describe('valueToJson', () => {
  it('writes each data type in its documented JSON form', () => {
    assert.equal(valueToJson(stringValue('Open Mobile Alliance')), 'Open Mobile Alliance');
    assert.equal(valueToJson(integerValue(-42)), -42);
    assert.equal(valueToJson(integerValue(2n ** 62n)), '4611686018427387904');
    assert.equal(valueToJson(unsignedValue(2n ** 64n - 1n)), '18446744073709551615');
    assert.equal(valueToJson(floatValue(21.5)), 21.5);
    assert.equal(valueToJson(floatValue(Number.NaN)), 'NaN');
    assert.equal(valueToJson(floatValue(-Infinity)), '-Infinity');
    assert.equal(valueToJson(booleanValue(true)), true);
    assert.equal(valueToJson(opaqueValue(Uint8Array.of(1, 2, 255))), 'AQL/');
    assert.equal(valueToJson(timeValue(1_700_000_000)), '2023-11-14T22:13:20.000Z');
    assert.equal(valueToJson(objlnkValue(3, 0)), '3:0');
    assert.equal(valueToJson(corelnkValue('</3/0>')), '</3/0>');
  });
});

describe('nodeToJson', () => {
  it('renders an instance with single and multiple resources, kinds, ids and types', () => {
    const node = instance(0, [
      resource(0, stringValue('Open Mobile Alliance')),
      multipleResource(7, [resourceInstance(0, integerValue(3800)), resourceInstance(1, integerValue(5000))]),
    ]);
    assert.deepEqual(nodeToJson(node), {
      kind: 'instance',
      id: 0,
      resources: [
        { kind: 'resource', id: 0, type: 'string', value: 'Open Mobile Alliance' },
        {
          kind: 'multipleResource',
          id: 7,
          type: 'integer',
          instances: [
            { kind: 'resourceInstance', id: 0, type: 'integer', value: 3800 },
            { kind: 'resourceInstance', id: 1, type: 'integer', value: 5000 },
          ],
        },
      ],
    });
  });

  it('renders path nodes and timestamped groups with paths as strings', () => {
    const nodes = [{ path: P('/3303/0/5700'), node: resource(5700, floatValue(21.5)) }];
    assert.deepEqual(pathNodesToJson(nodes), [
      { path: '/3303/0/5700', node: { kind: 'resource', id: 5700, type: 'float', value: 21.5 } },
    ]);
    assert.deepEqual(
      timestampedToJson([{ timestamp: 1_700_000_000, nodes }, { nodes }])[0]?.timestamp,
      1_700_000_000,
    );
    assert.equal('timestamp' in timestampedToJson([{ nodes }])[0]!, false);
  });
});

describe('nodeFromJson', () => {
  it('types a resource by the model when the body omits "type"', () => {
    const node = nodeFromJson(P('/3/0/14'), { id: 14, value: '+02' }, models);
    assert.ok(nodesEqual(node, resource(14, stringValue('+02'))));
    const time = nodeFromJson(P('/3/0/13'), { value: '2023-11-14T22:13:20Z' }, models);
    assert.ok(nodesEqual(time, resource(13, timeValue(1_700_000_000))));
    const seconds = nodeFromJson(P('/3/0/13'), 1_700_000_000, models);
    assert.ok(nodesEqual(seconds, resource(13, timeValue(1_700_000_000))));
  });

  it('accepts a bare value on a resource and on a resource instance', () => {
    assert.ok(nodesEqual(nodeFromJson(P('/1/0/1'), 300, models), resource(1, integerValue(300))));
    assert.ok(nodesEqual(nodeFromJson(P('/3/0/7/1'), 5000, models), resourceInstance(1, integerValue(5000))));
  });

  it('builds an instance with a multiple resource from "instances"', () => {
    const node = nodeFromJson(
      P('/3/0'),
      {
        resources: [
          { id: 14, value: '+01' },
          { id: 7, instances: [{ id: 0, value: 3800 }] },
        ],
      },
      models,
    );
    const expected = instance(0, [
      resource(14, stringValue('+01')),
      multipleResource(7, [resourceInstance(0, integerValue(3800))], 'integer'),
    ]);
    assert.ok(nodesEqual(node, expected));
  });

  it('infers the type from JSON when the model does not know the object, and honours "type"', () => {
    const node = nodeFromJson(
      P('/9999/0'),
      {
        resources: [
          { id: 1, value: 'x' },
          { id: 2, value: 1.5 },
          { id: 3, value: 7 },
          { id: 4, type: 'opaque', value: 'AQI=' },
        ],
      },
      models,
    );
    const expected = instance(0, [
      resource(1, stringValue('x')),
      resource(2, floatValue(1.5)),
      resource(3, integerValue(7)),
      resource(4, opaqueValue(Uint8Array.of(1, 2))),
    ]);
    assert.ok(nodesEqual(node, expected));
  });

  it('reads large integers given as decimal strings exactly', () => {
    const node = nodeFromJson(P('/9999/0/1'), { type: 'integer', value: '9223372036854775807' }, models);
    assert.ok(nodesEqual(node, resource(1, integerValue(2n ** 63n - 1n))));
  });

  const rejects: [string, string, unknown, RegExp][] = [
    ['a value of the wrong JSON type for the model', '/1/0/1', { value: 'abc' }, /\/1\/0\/1/],
    [
      'a "type" contradicting the model',
      '/3/0/14',
      { type: 'integer', value: 1 },
      /is string, body says integer/,
    ],
    ['an unknown "type"', '/9999/0/1', { type: 'number', value: 1 }, /unknown "type"/],
    ['an id that does not match the path', '/3/0/14', { id: 15, value: 'x' }, /does not match the path/],
    ['a missing value', '/3/0/14', { id: 14 }, /missing "value"/],
    ['a single value on a multiple resource', '/3/0/7', { value: 1 }, /multiple: give "instances"/],
    ['instances on a single resource', '/3/0/14', { instances: [] }, /single: give "value"/],
    ['a value on an executable resource', '/3/0/4', { value: 1 }, /executable/],
    ['an instance without "resources"', '/3/0', { id: 0 }, /"resources" must be an array/],
    [
      'duplicate resource ids',
      '/3/0',
      {
        resources: [
          { id: 14, value: 'a' },
          { id: 14, value: 'b' },
        ],
      },
      /appears twice/,
    ],
    ['a non-integer for an integer resource', '/1/0/1', 1.5, /not an integer/],
    [
      'an unsafe integer given as a JSON number',
      '/9999/0/1',
      { type: 'integer', value: 2 ** 60 },
      /send it as a decimal string/,
    ],
    ['a string resource given a number', '/3/0/14', 5, /must be a JSON string/],
    ['an object as a scalar value', '/3/0/14', { value: { a: 1 } }, /cannot be a JSON object/],
    ['bad base64 for opaque', '/9999/0/1', { type: 'opaque', value: '***' }, /\/9999\/0\/1/],
    ['a wrong kind', '/3/0/14', { kind: 'instance', value: 'x' }, /"kind" must be/],
    ['a body at an object path', '/3', { id: 0 }, /object instance, a resource or a resource instance/],
    ['a type unknown to the model with no hint', '/9999/0/1', { value: [1] }, /give "type"/],
  ];
  for (const [what, path, body, message] of rejects) {
    it(`rejects ${what} with a 400 error naming the problem`, () => {
      assert.throws(
        () => nodeFromJson(P(path), body, models),
        (e: unknown) => e instanceof BadRequestError && e.coapCode === 0x80 && message.test(e.message),
      );
    });
  }
});

describe('instanceFromJson and valueFromJson', () => {
  it('lets the client choose the id of a created instance when the body has none', () => {
    const node = instanceFromJson(
      { resources: [{ id: 5700, value: 20 }] },
      3303,
      models,
      '/3303',
      NO_INSTANCE_ID,
    );
    assert.equal(node.id, NO_INSTANCE_ID);
    assert.ok(nodesEqual(node.resources[0]!, resource(5700, floatValue(20))));
    assert.equal(instanceFromJson({ id: 4, resources: [] }, 3303, models, '/3303', NO_INSTANCE_ID).id, 4);
  });

  it('accepts objlnk text and objects, booleans, and byte arrays for opaque', () => {
    assert.deepEqual(valueFromJson('objlnk', '3:0', 'x'), objlnkValue(3, 0));
    assert.deepEqual(valueFromJson('objlnk', { objectId: 1, instanceId: 2 }, 'x'), objlnkValue(1, 2));
    assert.deepEqual(valueFromJson('boolean', true, 'x'), booleanValue(true));
    assert.deepEqual(valueFromJson('opaque', [1, 2], 'x'), opaqueValue(Uint8Array.of(1, 2)));
    assert.throws(() => valueFromJson('objlnk', '3-0', 'x'), BadRequestError);
    assert.ok(Number.isNaN(valueFromJson('float', 'NaN', 'x').value));
    assert.deepEqual(valueFromJson('float', '-Infinity', 'x'), floatValue(-Infinity));
    assert.throws(() => valueFromJson('time', '2023-13-45T00:00:00Z', 'x'), BadRequestError);
  });
});
