// Core TS 1.2 Bootstrap-Pack on an object tree: each object the pack names is replaced (its old
// instances deleted, the Bootstrap-Server account and the Device instance kept), objects it does
// not name stay, and a pack that does not fit the models changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyBootstrapPack } from '../../../src/client/bootstrap/applyBootstrapPack.js';
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
  const written = applyBootstrapPack(t, pack);
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

test('a pack with an unknown object or resource changes nothing', () => {
  for (const bad of [
    [...pack, object(4242, [instance(0, [])])],
    [pack[0]!, object(1, [instance(0, [resource(999, stringValue('x'))])])],
  ]) {
    const t = tree();
    assert.throws(() => applyBootstrapPack(t, bad), /not supported|has no resource/);
    assert.deepEqual(t.instanceIds(0), [0, 1]);
    assert.deepEqual(t.instanceIds(1), [0, 3]);
  }
});
