import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ModelRegistry, compareVersions } from '../../src/model/ModelRegistry.js';
import { ModelRegistryError } from '../../src/model/ModelRegistryError.js';
import { defineObject, resourceRow as r } from '../../src/model/core/defineObject.js';
import type { ObjectModel } from '../../src/model/ObjectModel.js';

/** A one-resource model of `id` at `version`; resource 0 is named after the version. */
function model(id: number, version: string): ObjectModel {
  const header = {
    id,
    name: `Obj${id}`,
    description: '',
    version,
    lwm2mVersion: '1.0',
    namespace: 'x' as const,
  };
  return defineObject({ ...header, instances: 'multi', requirement: 'opt' }, [
    r(0, `v${version}`, 'R', 'single', 'mand', 'string'),
  ]);
}

const codeOf = (code: string) => (e: unknown) => e instanceof ModelRegistryError && e.code === code;

test('orders versions numerically, not as text', () => {
  assert.ok(compareVersions('1.10', '1.9') > 0);
  assert.ok(compareVersions('2.0', '1.10') > 0);
  assert.equal(compareVersions('1.1', '1.1'), 0);
  const reg = new ModelRegistry([model(1, '1.10'), model(1, '1.2'), model(1, '1.9')]);
  assert.deepEqual(reg.versions(1), ['1.2', '1.9', '1.10']);
});

test('holds several versions of one object and answers the highest by default', () => {
  const reg = new ModelRegistry([model(1, '1.1'), model(1, '1.0'), model(1, '1.2'), model(3, '1.0')]);
  assert.deepEqual(reg.versions(1), ['1.0', '1.1', '1.2']);
  assert.equal(reg.get(1)?.version, '1.2');
  assert.equal(reg.getObject(1)?.version, '1.2');
  assert.equal(reg.get(1, '1.1')?.resources.get(0)?.name, 'v1.1');
  assert.equal(reg.get(1, '1.3'), undefined);
  assert.equal(reg.get(2), undefined);
  assert.deepEqual(reg.versions(2), []);
  assert.ok(reg.has(1) && reg.has(1, '1.0') && !reg.has(1, '2.0') && !reg.has(9));
  assert.deepEqual(reg.objectIds(), [1, 3]);
  assert.deepEqual(
    reg.all().map((m) => `${m.id}@${m.version}`),
    ['1@1.0', '1@1.1', '1@1.2', '3@1.0'],
  );
});

test('uses the default version set for an object, and refuses an unknown one', () => {
  const reg = new ModelRegistry([model(1, '1.0'), model(1, '1.1')]);
  reg.setDefaultVersion(1, '1.0');
  assert.equal(reg.defaultVersion(1), '1.0');
  assert.equal(reg.get(1)?.version, '1.0');
  reg.add(model(1, '1.2'));
  assert.equal(reg.get(1)?.version, '1.0', 'a set default survives a newer version');
  assert.throws(() => reg.setDefaultVersion(1, '1.5'), codeOf('LWM2M_UNKNOWN_MODEL'));
  assert.throws(() => reg.setDefaultVersion(7, '1.0'), codeOf('LWM2M_UNKNOWN_MODEL'));
});

test('refuses a duplicate (id, version) unless asked to replace it', () => {
  const reg = new ModelRegistry([model(1, '1.1')]);
  assert.throws(() => reg.add(model(1, '1.1')), codeOf('LWM2M_DUPLICATE_MODEL'));
  assert.throws(() => reg.add(model(1, '1.1')), /replace: true/);
  const other = { ...model(1, '1.1'), name: 'Replaced' };
  reg.add(other, { replace: true });
  assert.equal(reg.get(1, '1.1')?.name, 'Replaced');
  reg.addAll([model(1, '1.1'), model(1, '1.0')], { replace: true });
  assert.deepEqual(reg.versions(1), ['1.0', '1.1']);
});

test('refuses models with an invalid id or version', () => {
  const reg = new ModelRegistry();
  assert.throws(() => reg.add({ ...model(1, '1.0'), version: '1' }), codeOf('LWM2M_INVALID_MODEL'));
  assert.throws(() => reg.add({ ...model(1, '1.0'), id: 65535 }), codeOf('LWM2M_INVALID_MODEL'));
  assert.throws(() => reg.add({ ...model(1, '1.0'), id: -1 }), codeOf('LWM2M_INVALID_MODEL'));
  assert.deepEqual(reg.all(), []);
});

test('pins a lookup to the versions a client announced', () => {
  const reg = new ModelRegistry([
    model(1, '1.0'),
    model(1, '1.1'),
    model(1, '1.2'),
    model(3, '1.0'),
    model(3, '1.1'),
  ]);
  const client = reg.forVersions({ 1: '1.1' });
  assert.equal(
    client.getObject(1)?.version,
    '1.1',
    'a client registered with </1>;ver=1.1 decodes with Server 1.1',
  );
  assert.equal(client.getObject(3)?.version, '1.1', 'objects it did not pin use the default');
  assert.equal(client.getObject(4), undefined);
  const fromMap = reg.forVersions(new Map([[3, '1.0']]));
  assert.equal(fromMap.getObject(3)?.version, '1.0');
  assert.equal(reg.getObject(1)?.version, '1.2', 'pinning does not change the registry default');
});

test('resolves an announced version the registry lacks to the nearest lower one, else the default', () => {
  const reg = new ModelRegistry([model(5, '1.0'), model(5, '1.2'), model(6, '1.1')]);
  const lookup = reg.forVersions({ 5: '1.1', 6: '1.0' });
  assert.equal(lookup.getObject(5)?.version, '1.0');
  assert.equal(lookup.getObject(6)?.version, '1.1');
  assert.equal(reg.forVersions({ 5: '2.0' }).getObject(5)?.version, '1.2');
});

test('a pinned lookup sees models added later', () => {
  const reg = new ModelRegistry([model(1, '1.0')]);
  const lookup = reg.forVersions({ 1: '1.1' });
  assert.equal(lookup.getObject(1)?.version, '1.0');
  reg.add(model(1, '1.1'));
  assert.equal(lookup.getObject(1)?.version, '1.1');
});
