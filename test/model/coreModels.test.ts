import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { parseDdf } from '../../src/model/ddfLoader.js';
import { coreModels, createCoreRegistry } from '../../src/model/core/index.js';
import { objectUrn } from '../../src/model/core/defineObject.js';
import type { ObjectModel, ResourceType } from '../../src/model/ObjectModel.js';
import { REGISTRY_DIR, readRegistryFile, registryAvailability } from '../support/registryFiles.js';

const availability = registryAvailability();

const OBJECT_FIELDS = ['id', 'name', 'version', 'lwm2mVersion', 'urn', 'multiple', 'mandatory'] as const;
const RESOURCE_FIELDS = [
  'id',
  'name',
  'operations',
  'multiple',
  'mandatory',
  'type',
  'rangeEnumeration',
  'units',
] as const;

/**
 * Every difference between a built-in model and the registry's, one line each. Descriptions are
 * not compared: the built-in ones are short summaries written here, not the registry's text.
 */
function differences(mine: ObjectModel, theirs: ObjectModel): string[] {
  const out: string[] = [];
  const where = `${mine.id} v${mine.version}`;
  for (const f of OBJECT_FIELDS) {
    if (mine[f] !== theirs[f])
      out.push(`${where} ${f}: built-in ${JSON.stringify(mine[f])}, registry ${JSON.stringify(theirs[f])}`);
  }
  for (const r of mine.resources.values()) {
    const t = theirs.resources.get(r.id);
    if (!t) {
      out.push(`${where}/${r.id}: built-in only`);
      continue;
    }
    for (const f of RESOURCE_FIELDS) {
      if (r[f] !== t[f])
        out.push(`${where}/${r.id} ${f}: built-in ${JSON.stringify(r[f])}, registry ${JSON.stringify(t[f])}`);
    }
  }
  for (const id of theirs.resources.keys())
    if (!mine.resources.has(id)) out.push(`${where}/${id}: missing from built-in`);
  return out;
}

test(
  'matches the registry field by field for every built-in model whose version the registry holds',
  availability,
  () => {
    const compared: string[] = [];
    const diffs: string[] = [];
    for (const mine of coreModels()) {
      const file = `${mine.id}.xml`;
      if (!existsSync(REGISTRY_DIR + file)) continue;
      const [theirs] = parseDdf(readRegistryFile(file), file);
      if (!theirs || theirs.version !== mine.version) continue;
      compared.push(`${mine.id}@${mine.version}`);
      diffs.push(...differences(mine, theirs));
    }
    assert.deepEqual(diffs, [], `built-in models differ from the registry:\n${diffs.join('\n')}`);
    assert.deepEqual(compared, [
      '0@1.2',
      '1@1.2',
      '2@1.1',
      '3@1.2',
      '4@1.3',
      '5@1.2',
      '6@1.0',
      '7@1.0',
      '3303@1.1',
      '3311@1.0',
    ]);
  },
);

test('the field comparison reports a changed resource column', () => {
  const [a] = coreModels();
  assert.ok(a);
  const r0 = a.resources.get(0);
  assert.ok(r0);
  const changed = {
    ...a,
    resources: new Map([...a.resources, [0, { ...r0, type: 'integer' as ResourceType }]]),
  };
  assert.deepEqual(differences(a, changed), [
    `0 v${a.version}/0 type: built-in "string", registry "integer"`,
  ]);
});

/**
 * Facts from the Core TS appendices (1.0.2 and 1.1.1 Appendix E) and the IPSO 1.0 definitions
 * for the built-in versions the registry folder does not hold: resource ids, LwM2M version and
 * a few resource types.
 */
// prettier-ignore
const OLDER_VERSIONS: readonly {
  id: number;
  version: string;
  lwm2m: string;
  ids: readonly number[];
  types: Readonly<Record<number, ResourceType>>;
}[] = [
  { id: 0, version: '1.0', lwm2m: '1.0', ids: range(0, 12), types: { 0: 'string', 1: 'boolean', 2: 'integer', 3: 'opaque', 10: 'integer' } },
  { id: 0, version: '1.1', lwm2m: '1.1', ids: range(0, 17), types: { 13: 'unsignedInteger', 14: 'string', 16: 'unsignedInteger', 17: 'objlnk' } },
  { id: 1, version: '1.0', lwm2m: '1.0', ids: range(0, 8), types: { 0: 'integer', 1: 'integer', 4: 'none', 6: 'boolean', 7: 'string', 8: 'none' } },
  { id: 1, version: '1.1', lwm2m: '1.1', ids: range(0, 23), types: { 9: 'none', 10: 'objlnk', 12: 'time', 22: 'string', 23: 'boolean' } },
  { id: 2, version: '1.0', lwm2m: '1.0', ids: range(0, 3), types: { 0: 'integer', 2: 'integer', 3: 'integer' } },
  { id: 3, version: '1.0', lwm2m: '1.0', ids: range(0, 22), types: { 4: 'none', 11: 'integer', 13: 'time', 16: 'string', 22: 'objlnk' } },
  { id: 3, version: '1.1', lwm2m: '1.1', ids: range(0, 22), types: { 9: 'integer', 14: 'string', 21: 'integer' } },
  { id: 4, version: '1.0', lwm2m: '1.0', ids: range(0, 10), types: { 0: 'integer', 4: 'string', 8: 'integer' } },
  { id: 4, version: '1.1', lwm2m: '1.0', ids: range(0, 11), types: { 11: 'integer' } },
  { id: 4, version: '1.2', lwm2m: '1.1', ids: range(0, 12), types: { 12: 'integer' } },
  { id: 5, version: '1.0', lwm2m: '1.0', ids: [0, 1, 2, 3, 5, 6, 7, 8, 9], types: { 0: 'opaque', 1: 'string', 2: 'none', 3: 'integer' } },
  { id: 5, version: '1.1', lwm2m: '1.1', ids: [0, 1, 2, 3, ...range(5, 13)], types: { 10: 'none', 12: 'time', 13: 'unsignedInteger' } },
  { id: 3303, version: '1.0', lwm2m: '1.0', ids: [5601, 5602, 5603, 5604, 5605, 5700, 5701], types: { 5700: 'float', 5605: 'none' } },
];

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

test('older built-in versions have the resources and types the specifications list', () => {
  const registry = createCoreRegistry();
  for (const fact of OLDER_VERSIONS) {
    const m = registry.get(fact.id, fact.version);
    assert.ok(m, `${fact.id} v${fact.version} is built in`);
    const where = `${fact.id} v${fact.version}`;
    assert.equal(m.lwm2mVersion, fact.lwm2m, where);
    assert.deepEqual(
      [...m.resources.keys()].sort((a, b) => a - b),
      fact.ids,
      where,
    );
    for (const [id, type] of Object.entries(fact.types))
      assert.equal(m.resources.get(Number(id))?.type, type, `${where}/${id}`);
  }
  assert.equal(
    registry.get(5, '1.0')?.resources.get(5)?.rangeEnumeration,
    '0..9',
    'Update Result 0..9 in 1.0',
  );
  assert.equal(
    registry.get(3, '1.1')?.resources.get(11)?.rangeEnumeration,
    '0..8',
    'Error Code 0..8 before 1.2',
  );
});

test('each object keeps its resource types, names and instances across versions', () => {
  const registry = createCoreRegistry();
  for (const id of registry.objectIds()) {
    const versions = registry.versions(id).map((v) => registry.get(id, v) as ObjectModel);
    const newest = versions.at(-1) as ObjectModel;
    for (const older of versions.slice(0, -1)) {
      for (const r of older.resources.values()) {
        const n = newest.resources.get(r.id);
        assert.ok(n, `${id} v${older.version}/${r.id} still exists in v${newest.version}`);
        assert.deepEqual([r.name, r.type, r.multiple], [n.name, n.type, n.multiple], `${id}/${r.id}`);
      }
      assert.ok(
        older.resources.size <= newest.resources.size,
        `${id} v${older.version} has no resource v${newest.version} dropped`,
      );
    }
  }
});

test('every built-in model has a URN of its id and version, unique versions and ids in range', () => {
  const seen = new Set<string>();
  for (const m of coreModels()) {
    const key = `${m.id}@${m.version}`;
    assert.ok(!seen.has(key), `${key} twice`);
    seen.add(key);
    assert.equal(m.urn, objectUrn(m.id >= 2048 ? 'ext' : 'oma', m.id, m.version));
    for (const [id, r] of m.resources) {
      assert.equal(r.id, id);
      assert.equal(r.operations === 'E', r.type === 'none', `${key}/${id}`);
    }
  }
  assert.equal(seen.size, 23);
});

test('the core registry defaults each object to its highest version', () => {
  const registry = createCoreRegistry();
  assert.deepEqual(registry.objectIds(), [0, 1, 2, 3, 4, 5, 6, 7, 3303, 3311]);
  assert.deepEqual(registry.versions(1), ['1.0', '1.1', '1.2']);
  assert.equal(registry.getObject(4)?.version, '1.3');
  assert.equal(registry.getObject(1)?.resources.size, 28);
  assert.notEqual(createCoreRegistry(), registry, 'each call builds a new registry');
});
