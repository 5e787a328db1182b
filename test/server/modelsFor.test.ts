// The per-payload model lookups and downlink contexts of src/server/modelsFor.ts (Core TS 7.2.2):
// shared where the parsed payload is shared, yet answering exactly what an uncached lookup would.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { objectVersions } from '../../src/lwm2m/Registration.js';
import { createCoreRegistry } from '../../src/model/core/coreModels.js';
import { downlinkContext, modelsFor } from '../../src/server/modelsFor.js';
import { makeRegistration } from '../store/storeFixtures.js';

const pinned = '</3>;ver=1.0,</3/0>,</3303/0>';

test('answers a payload that pins no version with the registry itself', () => {
  const registry = createCoreRegistry();
  const reg = makeRegistration({ id: 'a', endpoint: 'a' });
  assert.equal(modelsFor(reg, registry), registry);
});

test('answers pinned versions as ModelRegistry.forVersions does', () => {
  const registry = createCoreRegistry();
  const reg = makeRegistration({ id: 'a', endpoint: 'a', payload: pinned });
  const uncached = registry.forVersions(objectVersions(reg));
  const lookup = modelsFor(reg, registry);
  for (const id of [1, 3, 3303]) assert.equal(lookup.getObject(id), uncached.getObject(id));
  assert.equal(lookup.getObject(3)?.version, '1.0');
  assert.equal(lookup.getObject(1)?.version, registry.defaultVersion(1));
});

test('shares one lookup between registrations with the same parsed payload, per registry', () => {
  const registry = createCoreRegistry();
  const a = makeRegistration({ id: 'a', endpoint: 'a', payload: pinned });
  const b = { ...a, id: 'b', endpoint: 'b' };
  const other = makeRegistration({ id: 'c', endpoint: 'c', payload: pinned });
  assert.equal(modelsFor(a, registry), modelsFor(b, registry));
  assert.notEqual(modelsFor(a, registry), modelsFor(other, registry)); // another parse: another key
  assert.notEqual(modelsFor(a, registry), modelsFor(a, createCoreRegistry()));
});

test('sees a model added to the registry after the lookup was cached', () => {
  const registry = createCoreRegistry();
  const unpinned = makeRegistration({ id: 'a', endpoint: 'a' });
  const pinnedReg = makeRegistration({ id: 'b', endpoint: 'b', payload: pinned });
  assert.notEqual(modelsFor(unpinned, registry).getObject(3)?.version, '9.9');
  modelsFor(pinnedReg, registry).getObject(1);
  registry.add({ ...registry.get(3)!, version: '9.9' });
  registry.add({ ...registry.get(1)!, version: '9.9' });
  assert.equal(modelsFor(unpinned, registry).getObject(3)?.version, '9.9');
  assert.equal(modelsFor(pinnedReg, registry).getObject(3)?.version, '1.0');
  assert.equal(modelsFor(pinnedReg, registry).getObject(1)?.version, '9.9');
});

test('keeps one downlink context per payload and LwM2M version, carrying the registration fields', () => {
  const registry = createCoreRegistry();
  const a = makeRegistration({ id: 'a', endpoint: 'a', payload: '</>;ct=11543,</3/0>' });
  const ctx = downlinkContext(a, registry);
  assert.equal(downlinkContext({ ...a, id: 'b' }, registry), ctx);
  assert.equal(ctx.lwm2mVersion, '1.1');
  assert.deepEqual(ctx.announcedFormats, a.objectLinks.contentFormats);
  assert.equal(ctx.rootPath, a.objectLinks.rootPath);
  assert.equal(ctx.models, modelsFor(a, registry));
  const v12 = downlinkContext({ ...a, lwm2mVersion: '1.2' }, registry);
  assert.notEqual(v12, ctx);
  assert.equal(v12.lwm2mVersion, '1.2');
});
