// Core TS 1.2 Bootstrap-Pack on an object tree: each object the pack names is replaced (its old
// instances deleted, the Bootstrap-Server account and the Device instance kept), objects it does
// not name stay; what it would leave is known before anything changes; unknown objects and
// resources are left out (Core TS 1.2), a value of the wrong type is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyBootstrapPack,
  fitBootstrapPack,
  instancesAfterPack,
} from '../../../src/client/bootstrap/applyBootstrapPack.js';
import { declareInstance } from '../../../src/client/declareInstance.js';
import { ObjectTree } from '../../../src/client/ObjectTree.js';
import { deviceInstance } from '../../../src/client/objects/deviceInstance.js';
import { securityInstance } from '../../../src/client/objects/securityInstance.js';
import { serverInstance } from '../../../src/client/objects/serverInstance.js';
import { securityInstanceNode, serverInstanceNode } from '../../../src/lwm2m/bootstrapNodes.js';
import { instance, object, resource } from '../../../src/lwm2m/nodes.js';
import { stringValue } from '../../../src/lwm2m/values.js';
import { TEMPERATURE_1_1 } from '../../../src/model/core/temperature.js';

function tree(): ObjectTree {
  const t = new ObjectTree();
  t.add(securityInstance({ id: 0, uri: 'coap://bs.example:5783', bootstrap: true }));
  t.add(securityInstance({ id: 1, uri: 'coap://old.example', ssid: 9 }));
  t.add(serverInstance({ id: 0, ssid: 9 }));
  t.add(serverInstance({ id: 3, ssid: 8 }));
  t.add(deviceInstance({ manufacturer: 'ACME' }));
  t.add(declareInstance(TEMPERATURE_1_1, 0, { 5700: 21 }));
  return t;
}
const pack = [
  object(0, [
    securityInstanceNode(2, {
      uri: 'coap://new:5683',
      bootstrapServer: false,
      securityMode: 'nosec',
      shortServerId: 1,
    }),
  ]),
  object(1, [serverInstanceNode(0, { shortServerId: 1, lifetime: 300, binding: 'U' })]),
  object(3, [instance(0, [resource(14, stringValue('+02:00'))])]),
];

test('replaces the objects the pack names and keeps the bootstrap account, the Device and other objects', () => {
  const t = tree();
  const fitted = fitBootstrapPack(t, pack);
  assert.deepEqual(fitted.ignored, []);
  const written = applyBootstrapPack(t, fitted.objects);
  assert.deepEqual(t.instanceIds(0), [0, 2]);
  assert.deepEqual(t.instanceIds(1), [0], 'Server instance 3 is gone, 0 is the new one');
  const ssid = t.get(1, 0)!.read(0);
  assert.equal(ssid?.kind === 'resource' && ssid.value.value, 1);
  assert.deepEqual(t.instanceIds(3), [0]);
  const manufacturer = t.get(3, 0)!.read(0);
  assert.equal(manufacturer?.kind === 'resource' && manufacturer.value.value, 'ACME');
  assert.deepEqual(t.instanceIds(3303), [0], 'an object the pack does not name stays');
  assert.ok(written.some((p) => p.toString() === '/1/0/1'));
  assert.ok(written.some((p) => p.toString() === '/3/0/14'));
});

test('what the Security and Server objects would hold is known before the tree changes', () => {
  const t = tree();
  const { objects } = fitBootstrapPack(t, pack);
  assert.deepEqual(
    instancesAfterPack(t, objects, 0).map((i) => i.id),
    [0, 2],
  );
  assert.deepEqual(
    instancesAfterPack(t, objects, 1).map((i) => i.id),
    [0],
  );
  assert.deepEqual(
    instancesAfterPack(t, [], 1).map((i) => i.id),
    [0, 3],
  );
  assert.deepEqual(t.instanceIds(1), [0, 3], 'unchanged');
});

test('unknown objects and resources are left out; a value of the wrong type is refused', () => {
  const t = tree();
  const fitted = fitBootstrapPack(t, [
    ...pack,
    object(4242, [instance(0, [])]),
    object(1, [instance(5, [resource(999, stringValue('x')), resource(7, stringValue('U'))])]),
  ]);
  assert.deepEqual(fitted.ignored, ['/4242', '/1/5/999']);
  assert.deepEqual(
    fitted.objects.map((o) => o.id),
    [0, 1, 3, 1],
  );
  assert.throws(
    () => fitBootstrapPack(t, [object(1, [instance(0, [resource(1, stringValue('soon'))])])]),
    /BadRequest|type|integer/i,
  );
});
