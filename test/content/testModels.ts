// A hand-built ModelLookup for codec tests: parts of the core objects 1, 2, 3, 5 used by the
// specification's TLV examples (Core TS 1.0 section 6.4.3), the example objects 65 and 66, and a
// test object 9999 with one single and one multiple resource of every data type.
import type { ModelLookup, ObjectModel, ResourceModel, ResourceType } from '../../src/model/ObjectModel.js';
import type { ValueType } from '../../src/lwm2m/Lwm2mValue.js';

type Def = [id: number, type: ResourceType, multiple?: boolean];

function obj(id: number, defs: Def[]): ObjectModel {
  const resources = new Map<number, ResourceModel>();
  for (const [rid, type, multiple = false] of defs) {
    resources.set(rid, {
      id: rid,
      name: `res${rid}`,
      operations: type === 'none' ? 'E' : 'RW',
      multiple,
      mandatory: false,
      type,
      rangeEnumeration: '',
      units: '',
      description: '',
    });
  }
  return {
    id,
    name: `object ${id}`,
    description: '',
    version: '1.0',
    lwm2mVersion: '1.0',
    urn: '',
    multiple: true,
    mandatory: false,
    resources,
  };
}

/** Value types of test object 9999: resource id i (0..8) single, 10 + i multiple. */
export const TEST_TYPES: readonly ValueType[] = [
  'string',
  'integer',
  'unsignedInteger',
  'float',
  'boolean',
  'opaque',
  'time',
  'objlnk',
  'corelnk',
];

/** Test object id with every data type. */
export const TEST_OBJECT = 9999;

const objects = new Map<number, ObjectModel>([
  [
    1,
    obj(1, [
      [0, 'integer'],
      [1, 'integer'],
      [6, 'boolean'],
      [7, 'string'],
      [8, 'none'],
    ]),
  ],
  [
    2,
    obj(2, [
      [0, 'integer'],
      [1, 'integer'],
      [2, 'integer', true],
      [3, 'integer'],
    ]),
  ],
  [
    3,
    obj(3, [
      [0, 'string'],
      [1, 'string'],
      [2, 'string'],
      [3, 'string'],
      [4, 'none'],
      [6, 'integer', true],
      [7, 'integer', true],
      [8, 'integer', true],
      [9, 'integer'],
      [10, 'integer'],
      [11, 'integer', true],
      [13, 'time'],
      [14, 'string'],
      [16, 'string'],
    ]),
  ],
  [
    5,
    obj(5, [
      [0, 'opaque'],
      [1, 'string'],
    ]),
  ],
  [
    65,
    obj(65, [
      [0, 'objlnk', true],
      [1, 'string'],
      [2, 'integer'],
    ]),
  ],
  [
    66,
    obj(66, [
      [0, 'string'],
      [1, 'string'],
      [2, 'objlnk'],
    ]),
  ],
  [
    TEST_OBJECT,
    obj(TEST_OBJECT, [
      ...TEST_TYPES.map((t, i): Def => [i, t]),
      ...TEST_TYPES.map((t, i): Def => [10 + i, t, true]),
    ]),
  ],
]);

/** The test model lookup. */
export const testModels: ModelLookup = { getObject: (id) => objects.get(id) };

/** A lookup that knows no object. */
export const noModels: ModelLookup = { getObject: () => undefined };

/** Bytes from a hex string (spaces allowed). */
export function hex(s: string): Uint8Array {
  return Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
}

/** Lower-case hex of bytes. */
export function toHex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}
