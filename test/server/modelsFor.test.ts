// The per-payload model lookups and downlink contexts of src/server/modelsFor.ts (Core TS 7.2.2):
// shared where the parsed payload is shared, yet answering exactly what an uncached lookup would.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { objectVersions } from '../../src/lwm2m/Registration.js';
import { createCoreRegistry } from '../../src/model/core/coreModels.js';
import { downlinkContext, MAX_CACHED_PAYLOADS, modelsFor } from '../../src/server/modelsFor.js';
import {
  decodeRegistration,
  encodeRegistration,
  RegistrationObjectsInterner,
} from '../../src/store/sqlite/registrationRows.js';
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
  assert.equal(modelsFor(a, registry), modelsFor(other, registry)); // another parse, same content
  assert.notEqual(modelsFor(a, registry), modelsFor(a, createCoreRegistry()));
  const otherVersion = makeRegistration({ id: 'd', endpoint: 'd', payload: '</3>;ver=1.1,</3/0>' });
  assert.notEqual(modelsFor(a, registry), modelsFor(otherVersion, registry));
});

test('keeps hitting for records read back from a store: the cache is keyed by content (issue 14)', () => {
  const registry = createCoreRegistry();
  const a = makeRegistration({ id: 'a', endpoint: 'a', payload: `</>;ct=11543,${pinned}` });
  const lookup = modelsFor(a, registry);
  const ctx = downlinkContext(a, registry);
  const stored = encodeRegistration(a);
  const reloaded = decodeRegistration('a', 'a', stored, new RegistrationObjectsInterner());
  assert.notEqual(reloaded.objectLinks, a.objectLinks, 'a new object, as after a restart');
  assert.equal(modelsFor(reloaded, registry), lookup);
  assert.equal(downlinkContext(reloaded, registry), ctx);
});

test('keeps at most MAX_CACHED_PAYLOADS lookups per registry, then starts over', () => {
  const registry = createCoreRegistry();
  const withVersion = (n: number) =>
    makeRegistration({ id: 'x', endpoint: 'x', payload: `</${20_000 + n}>;ver=1.0,</3/0>` });
  const first = modelsFor(withVersion(0), registry);
  for (let i = 1; i < MAX_CACHED_PAYLOADS; i++) modelsFor(withVersion(i), registry);
  assert.equal(modelsFor(withVersion(0), registry), first, 'still cached at the bound');
  modelsFor(withVersion(MAX_CACHED_PAYLOADS), registry); // one more: the cache starts over
  assert.notEqual(modelsFor(withVersion(0), registry), first);
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
