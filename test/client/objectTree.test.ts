import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { declareInstance } from '../../src/client/declareInstance.js';
import { ObjectTree, type TreeChange } from '../../src/client/ObjectTree.js';
import { deviceInstance } from '../../src/client/objects/deviceInstance.js';
import { serverInstance } from '../../src/client/objects/serverInstance.js';
import { securityInstance } from '../../src/client/objects/securityInstance.js';
import { connectivityStatistics } from '../../src/client/objects/connectivityInstances.js';
import { serverAccounts } from '../../src/client/serverAccounts.js';
import { Lwm2mPath } from '../../src/lwm2m/Lwm2mPath.js';
import { instance, resource } from '../../src/lwm2m/nodes.js';
import { floatValue, integerValue, stringValue, timeValue } from '../../src/lwm2m/values.js';
import { DEVICE_1_1 } from '../../src/model/core/device.js';
import { TEMPERATURE_1_1 } from '../../src/model/core/temperature.js';

const p = Lwm2mPath.parse;

describe('declareInstance', () => {
  test('types plain values by the model', () => {
    const d = declareInstance(DEVICE_1_1, 0, { 0: 'ACME', 9: 50, 11: [0, 3], 13: new Date(5_000) });
    assert.deepEqual(d.read(0), resource(0, stringValue('ACME')));
    assert.deepEqual(d.read(9), resource(9, integerValue(50)));
    const codes = d.read(11);
    assert.equal(codes?.kind, 'multipleResource');
    assert.deepEqual(
      codes?.kind === 'multipleResource' ? codes.instances.map((i) => i.value.value) : [],
      [0, 3],
    );
    assert.deepEqual(d.read(13), resource(13, timeValue(5)));
  });
  test('rejects a value of the wrong type, a list for a single resource and an unknown resource', () => {
    assert.throws(() => declareInstance(DEVICE_1_1, 0, { 9: 'full' }), /integer/);
    assert.throws(() => declareInstance(DEVICE_1_1, 0, { 0: ['a'] }), /single-instance/);
    assert.throws(() => declareInstance(DEVICE_1_1, 0, { 999: 1 }), /no resource 999/);
  });
  test('a partial update merges resource instances, a replace replaces them', () => {
    const d = declareInstance(DEVICE_1_1, 0, { 11: [1, 2] });
    d.write(
      {
        kind: 'multipleResource',
        id: 11,
        instances: [{ kind: 'resourceInstance', id: 5, value: integerValue(7) }],
      },
      'update',
    );
    const ids = (): number[] => {
      const r = d.read(11);
      return r?.kind === 'multipleResource' ? r.instances.map((i) => i.id) : [];
    };
    assert.deepEqual(ids(), [0, 1, 5]);
    d.write({ kind: 'multipleResource', id: 11, instances: [] }, 'replace');
    assert.deepEqual(ids(), []);
  });
});

describe('ObjectTree', () => {
  test('refuses a second instance of a single-instance object', () => {
    const tree = new ObjectTree().add(deviceInstance());
    assert.throws(() => tree.add(deviceInstance()), /already exists|single-instance/);
    assert.throws(() => tree.create(3, instance(1, [])), /single-instance/);
  });
  test('Create without a mandatory resource is a 4.00', () => {
    const tree = new ObjectTree().addObject(TEMPERATURE_1_1);
    assert.throws(
      () => tree.create(3303, instance(0, [])),
      (e: { coapCode?: number }) => e.coapCode === 0x80,
    );
  });
  test('Create picks the lowest free id and reports a structure change', () => {
    const tree = new ObjectTree().add(declareInstance(TEMPERATURE_1_1, 0, { 5700: 1 }));
    const changes: TreeChange[] = [];
    tree.onChange((c) => changes.push(c));
    const id = tree.create(3303, instance(65535, [resource(5700, floatValue(2))]));
    assert.equal(id, 1);
    assert.deepEqual(
      changes.map((c) => `${c.kind} ${c.path}`),
      ['structure /3303/1'],
    );
    tree.delete(3303, 0);
    assert.deepEqual(tree.instanceIds(3303), [1]);
    assert.equal(changes.at(-1)?.path.toString(), '/3303/0');
  });
  test('reads report 4.04 for what is absent', () => {
    const tree = new ObjectTree().add(deviceInstance());
    for (const path of ['/4', '/3/1', '/3/0/21', '/3/0/11/9'])
      assert.throws(
        () => tree.read(p(path)),
        (e: { coapCode?: number }) => e.coapCode === 0x84,
        path,
      );
  });
});

describe('standard objects', () => {
  test('Device Current Time is live and a write sets the device clock', () => {
    let wall = 1_000_000;
    const d = deviceInstance({ now: () => new Date(wall) });
    assert.deepEqual(d.read(13), resource(13, timeValue(1000)));
    wall += 10_000;
    assert.deepEqual(d.read(13), resource(13, timeValue(1010)));
    d.write(resource(13, timeValue(5000)), 'replace');
    wall += 3_000;
    assert.deepEqual(d.read(13), resource(13, timeValue(5003)));
  });
  test('Device Reset Error Code clears the error list to 0', async () => {
    const d = deviceInstance();
    d.set(11, [1, 2]);
    await d.execute(12, undefined);
    const r = d.read(11);
    assert.deepEqual(r?.kind === 'multipleResource' ? r.instances.map((i) => i.value.value) : [], [0]);
  });
  test('Server executables call the client actions with their Short Server ID', async () => {
    const calls: string[] = [];
    const s = serverInstance(
      { id: 0, ssid: 7 },
      {
        disable: (x) => calls.push(`disable ${x}`),
        updateTrigger: (x) => calls.push(`update ${x}`),
        bootstrapTrigger: (x) => calls.push(`bootstrap ${x}`),
      },
    );
    for (const rid of [4, 8, 9]) await s.execute(rid, undefined);
    assert.deepEqual(calls, ['disable 7', 'update 7', 'bootstrap 7']);
  });
  test('Connectivity Statistics count only between Start and Stop', async () => {
    const stats = connectivityStatistics();
    stats.count('tx', 100);
    await stats.instance.execute(6, undefined);
    stats.count('tx', 2048);
    stats.count('rx', 10);
    await stats.instance.execute(7, undefined);
    stats.count('tx', 4096);
    assert.deepEqual(stats.instance.read(2), resource(2, integerValue(2)));
    assert.deepEqual(stats.instance.read(4), resource(4, integerValue(2048)));
    assert.deepEqual(stats.instance.read(5), resource(5, integerValue(1029)));
  });
  test('server accounts pair Security and Server instances by Short Server ID, skipping bootstrap', () => {
    const tree = new ObjectTree()
      .add(securityInstance({ id: 0, uri: 'coap://bs:5683', bootstrap: true }))
      .add(securityInstance({ id: 1, uri: 'coap://a:5683', ssid: 2 }))
      .add(securityInstance({ id: 2, uri: 'coap://b:5683', ssid: 9 }))
      .add(serverInstance({ id: 0, ssid: 2, lifetime: 60, binding: 'UQ', retryCount: 3 }));
    const accounts = serverAccounts(tree);
    assert.equal(accounts.length, 1);
    assert.equal(accounts[0]!.uri, 'coap://a:5683');
    assert.equal(accounts[0]!.lifetime, 60);
    assert.equal(accounts[0]!.binding, 'U');
    assert.equal(accounts[0]!.bindingQueue, true);
    assert.equal(accounts[0]!.retry.retryCount, 3);
    assert.equal(accounts[0]!.retry.retryTimerS, 60);
  });
});
