import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDdf } from '../../src/model/ddfLoader.js';
import { DdfError } from '../../src/model/DdfError.js';
import type { ObjectModel } from '../../src/model/ObjectModel.js';
import { readRegistryFile, registryAvailability, registryXmlFiles } from '../support/registryFiles.js';

const availability = registryAvailability();

/**
 * Registry *.xml files that are not object definitions, with what they are. The loader must
 * reject each (for the reason given), which proves the claim stays true. (*.xsd files are the
 * DDF schemas and are not *.xml.)
 */
const NOT_OBJECT_DEFINITIONS: Readonly<Record<string, { what: string; reason: RegExp }>> = {
  'Common.xml': {
    what: 'reusable resource definitions (ObjectType="CommonResources"): resources without an object',
    reason: /missing required element <ObjectID>/,
  },
  'DDF.xml': {
    what: 'the registry index (<DDFList>) of objects and their DDF file names',
    reason: /root element must be <LWM2M>, found <DDFList>/,
  },
  'LWM2M_senml_units.xml': {
    what: 'extra SenML units (<units>), not an object',
    reason: /root element must be <LWM2M>, found <units>/,
  },
};

/**
 * Object definition files that break the DDF rules, each with the exact violation. Core TS 1.1.1
 * Appendix D: only executable resources have no data type.
 */
const KNOWN_VIOLATIONS: Readonly<Record<string, { violation: string; element: string; reason: RegExp }>> = {
  '10482.xml': {
    violation: 'resource 5 "Read data" has Operations R but an empty <Type>',
    element: 'LWM2M/Object/Resources/Item[ID=5]/Type',
    reason: /empty <Type> on a resource with operations R/,
  },
};

const TYPES = new Set([
  'string',
  'integer',
  'unsignedInteger',
  'float',
  'boolean',
  'opaque',
  'time',
  'objlnk',
  'corelnk',
  'none',
]);
const URN = /^urn:oma:lwm2m:(oma|ext|x):(\d+)(?::(\d+\.\d+))?$/;

function rejection(name: string): DdfError {
  try {
    parseDdf(readRegistryFile(name), name);
  } catch (e) {
    assert.ok(e instanceof DdfError, `${name}: threw ${String(e)} instead of a DdfError`);
    return e;
  }
  assert.fail(`${name} loaded, but it is listed as failing: update the list`);
}

test(
  'rejects each registry file that is not an object definition, for the documented reason',
  availability,
  () => {
    const files = registryXmlFiles();
    for (const [name, { reason }] of Object.entries(NOT_OBJECT_DEFINITIONS)) {
      assert.ok(files.includes(name), `${name} is no longer in the registry: drop it from the list`);
      assert.match(rejection(name).reason, reason, name);
    }
  },
);

test('rejects each listed registry file for its documented spec violation', availability, () => {
  for (const [name, { element, reason }] of Object.entries(KNOWN_VIOLATIONS)) {
    const e = rejection(name);
    assert.equal(e.element, element, name);
    assert.match(e.reason, reason, name);
    assert.equal(e.source, name);
  }
});

test('loads every other registry file into one sane object model', availability, () => {
  const names = registryXmlFiles().filter((n) => !(n in NOT_OBJECT_DEFINITIONS) && !(n in KNOWN_VIOLATIONS));
  assert.ok(names.length > 300, `only ${names.length} object files found`);
  const failures: string[] = [];
  const byId = new Map<number, ObjectModel>();
  for (const name of names) {
    let models: ObjectModel[];
    try {
      models = parseDdf(readRegistryFile(name), name);
    } catch (e) {
      failures.push(e instanceof Error ? e.message : String(e));
      continue;
    }
    assert.equal(models.length, 1, `${name}: ${models.length} objects`);
    const m = models[0] as ObjectModel;
    assert.equal(`${m.id}.xml`, name, 'each registry file is named after its object id');
    const urn = URN.exec(m.urn);
    assert.ok(urn, `${name}: URN ${m.urn}`);
    assert.equal(Number(urn[2]), m.id, `${name}: URN id`);
    assert.equal(urn[3] ?? '1.0', m.version, `${name}: the URN carries the object version unless it is 1.0`);
    assert.match(m.lwm2mVersion, /^1\.[0-2]$/, name);
    assert.ok(m.name.length > 0 && m.resources.size > 0, name);
    for (const r of m.resources.values()) {
      assert.ok(TYPES.has(r.type), `${name}/${r.id}: type ${r.type}`);
      assert.equal(r.operations === 'E', r.type === 'none', `${name}/${r.id}: executable iff untyped`);
    }
    byId.set(m.id, m);
  }
  assert.deepEqual(failures, [], 'registry files that failed to load');
  // Spot checks that the loader read real values, not defaults.
  const device = byId.get(3)?.resources.get(13);
  assert.deepEqual([device?.name, device?.operations, device?.type], ['Current Time', 'RW', 'time']);
  assert.equal(byId.get(4)?.version, '1.3');
  assert.equal(byId.get(3303)?.urn, 'urn:oma:lwm2m:ext:3303:1.1');
  assert.equal(byId.get(0)?.resources.get(16)?.multiple, true);
  assert.equal(byId.get(3311)?.resources.get(5851)?.units, '/100');
});
