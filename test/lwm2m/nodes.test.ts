import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BadRequestError } from '../../src/lwm2m/errors.js';
import { Lwm2mPath } from '../../src/lwm2m/Lwm2mPath.js';
import {
  assertNodeMatchesPath,
  buildTree,
  findNode,
  flattenToLeaves,
  instance,
  multipleResource,
  nodeKindForPath,
  nodesEqual,
  object,
  resource,
  resourceInstance,
} from '../../src/lwm2m/nodes.js';
import { integerValue, stringValue } from '../../src/lwm2m/values.js';
import { DecodeError } from '../../src/transport/DecodeError.js';
import { testModels } from '../content/testModels.js';

const p = (s: string) => Lwm2mPath.parse(s);
const tree = object(3, [
  instance(0, [
    resource(0, stringValue('Open Mobile Alliance')),
    multipleResource(
      7,
      new Map([
        [0, integerValue(3800)],
        [1, integerValue(5000)],
      ]),
    ),
  ]),
  instance(1, [resource(9, integerValue(50))]),
]);

test('builders type multiple resources from their values', () => {
  const m = multipleResource(6, [resourceInstance(0, integerValue(1))]);
  assert.equal(m.valueType, 'integer');
  assert.equal(multipleResource(6, []).valueType, undefined);
});

test('nodeKindForPath and assertNodeMatchesPath follow the path length and last id', () => {
  assert.equal(nodeKindForPath(p('/3')), 'object');
  assert.equal(nodeKindForPath(p('/3/0/7/1')), 'resourceInstance');
  assert.throws(() => nodeKindForPath(Lwm2mPath.ROOT), BadRequestError);
  assertNodeMatchesPath(p('/3/0/7'), tree.instances[0]!.resources[1]!);
  assert.throws(() => assertNodeMatchesPath(p('/3/0/8'), tree.instances[0]!.resources[1]!), BadRequestError);
  assert.throws(() => assertNodeMatchesPath(p('/3/0'), tree), BadRequestError);
});

test('findNode walks from an object or a PathNode', () => {
  assert.ok(nodesEqual(findNode(tree, p('/3/0/7/1'))!, resourceInstance(1, integerValue(5000))));
  assert.equal(findNode(tree, p('/3/2')), undefined);
  assert.equal(findNode(tree, p('/4/0')), undefined);
  const inst = { path: p('/3/1'), node: tree.instances[1]! };
  assert.ok(nodesEqual(findNode(inst, p('/3/1/9'))!, resource(9, integerValue(50))));
});

test('flattenToLeaves and buildTree are inverse for non-empty containers', () => {
  const leaves = flattenToLeaves(p('/3'), tree);
  assert.deepEqual(
    leaves.map((l) => l.path.toString()),
    ['/3/0/0', '/3/0/7/0', '/3/0/7/1', '/3/1/9'],
  );
  assert.ok(nodesEqual(buildTree(p('/3'), leaves.slice().reverse(), testModels), tree));
  const inst0 = buildTree(p('/3/0'), leaves.slice(0, 3));
  assert.ok(nodesEqual(inst0, tree.instances[0]!));
  assert.ok(
    nodesEqual(buildTree(p('/3/0/7/1'), leaves.slice(2, 3)), resourceInstance(1, integerValue(5000))),
  );
});

test('buildTree types an empty multiple resource from the model and rejects conflicts', () => {
  const empty = buildTree(p('/3/0/7'), [], testModels);
  assert.ok(
    empty.kind === 'multipleResource' && empty.valueType === 'integer' && empty.instances.length === 0,
  );
  assert.throws(() => buildTree(p('/3/0/9'), [], testModels), DecodeError);
  const leaf = { path: p('/3/0/9'), node: resource(9, integerValue(1)) };
  assert.throws(() => buildTree(p('/3/0'), [leaf, leaf]), DecodeError);
  assert.throws(() => buildTree(p('/4'), [leaf]), DecodeError);
  assert.throws(
    () => buildTree(p('/3'), [{ path: p('/3/0/9'), node: resource(8, integerValue(1)) }]),
    DecodeError,
  );
  assert.throws(
    () => buildTree(p('/3/0'), [leaf, { path: p('/3/0/9/0'), node: resourceInstance(0, integerValue(1)) }]),
    DecodeError,
  );
});

test('nodesEqual ignores child order but not values or ids', () => {
  const a = instance(0, [resource(1, integerValue(1)), resource(2, integerValue(2))]);
  const b = instance(0, [resource(2, integerValue(2)), resource(1, integerValue(1))]);
  assert.ok(nodesEqual(a, b));
  assert.ok(!nodesEqual(a, instance(0, [resource(1, integerValue(1)), resource(2, integerValue(3))])));
  assert.ok(!nodesEqual(a, instance(1, a.resources)));
  assert.ok(!nodesEqual(a, instance(0, [resource(1, integerValue(1))])));
});
