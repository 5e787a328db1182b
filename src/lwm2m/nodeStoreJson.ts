// LwM2M Core TS 1.1.1 section 6.1 and Appendix C: nodes and typed values as plain JSON, for the
// records a store keeps (queued requests and their results, issue 14). Lossless: 64-bit integers
// beyond the safe range, opaque bytes (hex), non-finite floats and -0 survive. The reader is strict:
// any value of the wrong shape throws StoredJsonError, never a TypeError.
import type { Lwm2mNode, ObjectInstanceNode, ResourceInstanceNode, ResourceNode } from './Lwm2mNode.js';
import type { Lwm2mValue, ValueType } from './Lwm2mValue.js';

/** A stored JSON record that does not have the shape its reader expects. */
export class StoredJsonError extends Error {
  readonly code = 'LWM2M_STORED_JSON';
  constructor(message: string) {
    super(message);
    this.name = 'StoredJsonError';
  }
}

/** Any JSON value. */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

const VALUE_TYPES: ReadonlySet<string> = new Set<ValueType>([
  'string',
  'integer',
  'unsignedInteger',
  'float',
  'boolean',
  'opaque',
  'time',
  'objlnk',
  'corelnk',
]);

/** Throws StoredJsonError with `what`. */
export function bad(what: string): never {
  throw new StoredJsonError(what);
}

/** `v` as an object (not an array), else throws. */
export function objectOf(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) bad(`${what}: not an object`);
  return v as Record<string, unknown>;
}

/** `v` as an array, else throws. */
export function arrayOf(v: unknown, what: string): readonly unknown[] {
  if (!Array.isArray(v)) bad(`${what}: not an array`);
  return v as unknown[];
}

/** `v` as an integer in min..max, else throws. */
export function intOf(v: unknown, min: number, max: number, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
    bad(`${what}: not an integer in ${min}..${max}`);
  return v as number;
}

/** `v` as a string, else throws. */
export function stringOf(v: unknown, what: string): string {
  if (typeof v !== 'string') bad(`${what}: not a string`);
  return v as string;
}

/** Lowercase hex of `bytes`. */
export const hexOf = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** The bytes of a hex string (either case), else throws. */
export function bytesOfHex(v: unknown, what: string): Uint8Array {
  const s = stringOf(v, what);
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(s)) bad(`${what}: not hex`);
  return Uint8Array.from(Buffer.from(s, 'hex'));
}

function integerToJson(v: number | bigint): Json {
  return typeof v === 'bigint' ? v.toString() : v;
}

function integerOf(v: unknown, unsigned: boolean, what: string): number | bigint {
  let n: number | bigint;
  if (typeof v === 'number' && Number.isSafeInteger(v)) n = v;
  else if (typeof v === 'string' && /^-?[0-9]{1,20}$/.test(v)) n = BigInt(v);
  else return bad(`${what}: not an integer`);
  // 64-bit range (Core TS Appendix C): signed -2^63..2^63-1, unsigned 0..2^64-1.
  const big = BigInt(n);
  const [min, max] = unsigned ? [0n, (1n << 64n) - 1n] : [-(1n << 63n), (1n << 63n) - 1n];
  if (big < min || big > max) bad(`${what}: out of the 64-bit range`);
  // Lwm2mValue rule: a number when safe, a bigint otherwise.
  return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
}

function floatToJson(v: number): Json {
  if (Object.is(v, -0) || !Number.isFinite(v)) return Object.is(v, -0) ? '-0' : String(v);
  return v;
}

function floatOf(v: unknown, what: string): number {
  if (typeof v === 'number') return v;
  if (v === '-0') return -0;
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  return bad(`${what}: not a float`);
}

/** `value` as JSON: `{ t: type, v: value }`. */
export function valueToJson(value: Lwm2mValue): Json {
  switch (value.type) {
    case 'integer':
    case 'unsignedInteger':
      return { t: value.type, v: integerToJson(value.value) };
    case 'float':
      return { t: 'float', v: floatToJson(value.value) };
    case 'opaque':
      return { t: 'opaque', v: hexOf(value.value) };
    case 'time':
      return { t: 'time', v: Math.floor(value.value.getTime() / 1000) };
    case 'objlnk':
      return { t: 'objlnk', v: [value.value.objectId, value.value.instanceId] };
    case 'string':
    case 'corelnk':
    case 'boolean':
      return { t: value.type, v: value.value };
  }
}

/** The value of valueToJson's output; throws StoredJsonError. */
export function valueFromJson(json: unknown, what = 'value'): Lwm2mValue {
  const o = objectOf(json, what);
  const v = o['v'];
  switch (o['t']) {
    case 'string':
    case 'corelnk':
      return { type: o['t'], value: stringOf(v, what) };
    case 'integer':
    case 'unsignedInteger':
      return { type: o['t'], value: integerOf(v, o['t'] === 'unsignedInteger', what) };
    case 'float':
      return { type: 'float', value: floatOf(v, what) };
    case 'boolean':
      if (typeof v !== 'boolean') bad(`${what}: not a boolean`);
      return { type: 'boolean', value: v as boolean };
    case 'opaque':
      return { type: 'opaque', value: bytesOfHex(v, what) };
    case 'time':
      // Seconds since 1970 within the range a Date holds (±8.64e12 s).
      return { type: 'time', value: new Date(intOf(v, -8.64e12, 8.64e12, what) * 1000) };
    case 'objlnk': {
      const [objectId, instanceId, ...rest] = arrayOf(v, what);
      if (rest.length > 0) bad(`${what}: an objlnk has two ids`);
      return {
        type: 'objlnk',
        value: { objectId: intOf(objectId, 0, 65535, what), instanceId: intOf(instanceId, 0, 65535, what) },
      };
    }
    default:
      return bad(`${what}: unknown value type`);
  }
}

/** `node` as JSON (short keys: k kind, id, v value, vt value type, r resources, i instances). */
export function nodeToJson(node: Lwm2mNode): Json {
  switch (node.kind) {
    case 'resource':
    case 'resourceInstance':
      return { k: node.kind === 'resource' ? 'r' : 'ri', id: node.id, v: valueToJson(node.value) };
    case 'multipleResource':
      return {
        k: 'mr',
        id: node.id,
        ...(node.valueType === undefined ? {} : { vt: node.valueType }),
        i: node.instances.map(nodeToJson),
      };
    case 'instance':
      return { k: 'i', id: node.id, r: node.resources.map(nodeToJson) };
    case 'object':
      return { k: 'o', id: node.id, i: node.instances.map(nodeToJson) };
  }
}

const idOf = (o: Record<string, unknown>, what: string): number => intOf(o['id'], 0, 65535, `${what} id`);

function resourceInstanceOf(json: unknown, what: string): ResourceInstanceNode {
  const o = objectOf(json, what);
  if (o['k'] !== 'ri') bad(`${what}: not a resource instance`);
  return { kind: 'resourceInstance', id: idOf(o, what), value: valueFromJson(o['v'], what) };
}

function resourceOf(json: unknown, what: string): ResourceNode {
  const o = objectOf(json, what);
  if (o['k'] === 'r') return { kind: 'resource', id: idOf(o, what), value: valueFromJson(o['v'], what) };
  if (o['k'] !== 'mr') bad(`${what}: not a resource`);
  const vt = o['vt'];
  if (vt !== undefined && (typeof vt !== 'string' || !VALUE_TYPES.has(vt)))
    bad(`${what}: unknown value type`);
  return {
    kind: 'multipleResource',
    id: idOf(o, what),
    ...(vt === undefined ? {} : { valueType: vt as ValueType }),
    instances: arrayOf(o['i'], what).map((x) => resourceInstanceOf(x, what)),
  };
}

/** An object instance node from JSON; throws StoredJsonError. */
export function instanceFromJson(json: unknown, what = 'instance'): ObjectInstanceNode {
  const o = objectOf(json, what);
  if (o['k'] !== 'i') bad(`${what}: not an object instance`);
  return {
    kind: 'instance',
    id: idOf(o, what),
    resources: arrayOf(o['r'], what).map((x) => resourceOf(x, what)),
  };
}

/** The node of nodeToJson's output; throws StoredJsonError. */
export function nodeFromJson(json: unknown, what = 'node'): Lwm2mNode {
  const o = objectOf(json, what);
  switch (o['k']) {
    case 'r':
    case 'mr':
      return resourceOf(o, what);
    case 'ri':
      return resourceInstanceOf(o, what);
    case 'i':
      return instanceFromJson(o, what);
    case 'o':
      return {
        kind: 'object',
        id: idOf(o, what),
        instances: arrayOf(o['i'], what).map((x) => instanceFromJson(x, what)),
      };
    default:
      return bad(`${what}: unknown node kind`);
  }
}
