// LwM2M Core TS 1.1.1 Appendix C (data types): constructors, equality and checks for typed values.
// Integers stay exact over the full 64-bit range: `number` when safe, `bigint` beyond.
import type { ResourceModel } from '../model/ObjectModel.js';
import { DecodeError, Lwm2mError } from './errors.js';
import type { Lwm2mValue, ObjectLink, ValueType } from './Lwm2mValue.js';

/** Thrown when a value cannot be built, converted or does not fit its resource (renders as 4.00). */
export class InvalidValueError extends Lwm2mError {
  constructor(message: string) {
    super(message, 'LWM2M_INVALID_VALUE', 0x80);
  }
}

/** The value variant of one data type, e.g. `TypedValue<'time'>` holds a Date. */
export type TypedValue<T extends ValueType> = Extract<Lwm2mValue, { readonly type: T }>;

/** Smallest signed 64-bit integer. */
export const INT64_MIN = -(2n ** 63n);
/** Largest signed 64-bit integer. */
export const INT64_MAX = 2n ** 63n - 1n;
/** Largest unsigned 64-bit integer. */
export const UINT64_MAX = 2n ** 64n - 1n;

/** Every value type, in Appendix C order. */
export const VALUE_TYPES: readonly ValueType[] = Object.freeze([
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

/** True when `t` names a value type. */
export function isValueType(t: string): t is ValueType {
  return (VALUE_TYPES as readonly string[]).includes(t);
}

/** Returns `n` as a number when it is a safe integer, as a bigint otherwise (the Lwm2mValue rule). */
export function normalizeInteger(n: number | bigint): number | bigint {
  if (typeof n === 'number') return n;
  return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
}

function toBigInt(n: number | bigint, what: string): bigint {
  if (typeof n === 'bigint') return n;
  if (!Number.isInteger(n)) throw new InvalidValueError(`${what} ${n} is not an integer`);
  if (!Number.isSafeInteger(n)) throw new InvalidValueError(`${what} ${n} is not exact; pass a bigint`);
  return BigInt(n);
}

/** A string value. */
export function stringValue(s: string): TypedValue<'string'> {
  return { type: 'string', value: s };
}

/** A signed integer value; throws InvalidValueError outside the signed 64-bit range. */
export function integerValue(n: number | bigint): TypedValue<'integer'> {
  const b = toBigInt(n, 'integer');
  if (b < INT64_MIN || b > INT64_MAX) throw new InvalidValueError(`integer ${b} is outside signed 64 bits`);
  return { type: 'integer', value: normalizeInteger(b) };
}

/** An unsigned integer value (LwM2M 1.1); throws InvalidValueError outside 0..2^64-1. */
export function unsignedValue(n: number | bigint): TypedValue<'unsignedInteger'> {
  const b = toBigInt(n, 'unsigned integer');
  if (b < 0n || b > UINT64_MAX) throw new InvalidValueError(`unsigned integer ${b} is outside 0..2^64-1`);
  return { type: 'unsignedInteger', value: normalizeInteger(b) };
}

/** A float value (IEEE 754 binary64). */
export function floatValue(n: number): TypedValue<'float'> {
  if (typeof n !== 'number') throw new InvalidValueError('float value must be a number');
  return { type: 'float', value: n };
}

/** A boolean value. */
export function booleanValue(b: boolean): TypedValue<'boolean'> {
  return { type: 'boolean', value: b };
}

/** An opaque value; the bytes are used as given (not copied). */
export function opaqueValue(bytes: Uint8Array): TypedValue<'opaque'> {
  return { type: 'opaque', value: bytes };
}

/** A time value from a Date or from seconds since the epoch; rounds down to whole seconds. */
export function timeValue(t: Date | number | bigint): TypedValue<'time'> {
  let ms: number;
  if (t instanceof Date) ms = Math.floor(t.getTime() / 1000) * 1000;
  else ms = Math.floor(Number(t)) * 1000;
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15)
    throw new InvalidValueError(`time ${String(t)} is out of range`);
  return { type: 'time', value: new Date(ms) };
}

/** Seconds since the epoch of a time value's Date. */
export function timeSeconds(d: Date): number {
  return Math.floor(d.getTime() / 1000);
}

/** An objlnk value; ids are 0..65535 (65535:65535 is the null link). */
export function objlnkValue(objectId: number, instanceId: number): TypedValue<'objlnk'> {
  for (const id of [objectId, instanceId]) {
    if (!Number.isInteger(id) || id < 0 || id > 0xffff)
      throw new InvalidValueError(`objlnk id ${id} is not 0..65535`);
  }
  return { type: 'objlnk', value: { objectId, instanceId } };
}

/** A CoRE link value (RFC 6690 text). */
export function corelnkValue(s: string): TypedValue<'corelnk'> {
  return { type: 'corelnk', value: s };
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** True when both values have the same type and value (integers compared exactly, floats with Object.is). */
export function valuesEqual(a: Lwm2mValue, b: Lwm2mValue): boolean {
  switch (a.type) {
    case 'integer':
    case 'unsignedInteger':
      return b.type === a.type && BigInt(a.value) === BigInt(b.value);
    case 'float':
      return b.type === 'float' && Object.is(a.value, b.value);
    case 'opaque':
      return b.type === 'opaque' && bytesEqual(a.value, b.value);
    case 'time':
      return b.type === 'time' && a.value.getTime() === b.value.getTime();
    case 'objlnk':
      return b.type === 'objlnk' && objlnkEquals(a.value, b.value);
    default:
      return b.type === a.type && a.value === b.value;
  }
}

function objlnkEquals(a: ObjectLink, b: ObjectLink): boolean {
  return a.objectId === b.objectId && a.instanceId === b.instanceId;
}

/** True when a value fits a resource definition (same data type; 'none' accepts nothing). */
export function valueMatchesResource(value: Lwm2mValue, model: ResourceModel): boolean {
  return model.type !== 'none' && value.type === model.type;
}

/** Throws InvalidValueError unless the value fits the resource definition. */
export function assertValueMatchesResource(value: Lwm2mValue, model: ResourceModel): void {
  if (!valueMatchesResource(value, model)) {
    throw new InvalidValueError(
      `resource ${model.id} (${model.name}) is ${model.type}, got a ${value.type} value`,
    );
  }
}

/** A plain JS form of a value: what `valueFromJs` accepts back and JSON-friendly apart from bigint/bytes. */
export function valueToJs(
  value: Lwm2mValue,
): string | number | bigint | boolean | Uint8Array | Date | ObjectLink {
  return value.value;
}

// ---- Plain-text representation (Core TS 1.1.1 Appendix C "Text" column, used by text/plain and
// by formats that carry values as strings, e.g. LwM2M JSON objlnk "o:i").

const INTEGER_TEXT = /^-?[0-9]{1,20}$/;
const UNSIGNED_TEXT = /^[0-9]{1,20}$/;
const FLOAT_TEXT = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
const OBJLNK_TEXT = /^([0-9]{1,5}):([0-9]{1,5})$/;
const BASE64_TEXT = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Formats an objlnk as "objectId:instanceId". */
export function formatObjlnk(link: ObjectLink): string {
  return `${link.objectId}:${link.instanceId}`;
}

/** Parses "objectId:instanceId" (each 0..65535); undefined when malformed. */
export function parseObjlnk(text: string): ObjectLink | undefined {
  const m = OBJLNK_TEXT.exec(text);
  if (!m) return undefined;
  const objectId = Number(m[1]);
  const instanceId = Number(m[2]);
  return objectId > 0xffff || instanceId > 0xffff ? undefined : { objectId, instanceId };
}

/** Standard base64 (RFC 4648 section 4, with padding) of bytes. */
export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Strict standard base64 to bytes; undefined unless the text is canonical padded base64. */
export function fromBase64(text: string): Uint8Array | undefined {
  if (!BASE64_TEXT.test(text)) return undefined;
  const bytes = new Uint8Array(Buffer.from(text, 'base64'));
  return toBase64(bytes) === text ? bytes : undefined; // rejects non-zero trailing bits
}

/** The text form of a value: decimal integers, "0"/"1" booleans, seconds for time, "o:i", base64 opaque. */
export function formatValueText(value: Lwm2mValue): string {
  switch (value.type) {
    case 'string':
    case 'corelnk':
      return value.value;
    case 'integer':
    case 'unsignedInteger':
      return value.value.toString();
    case 'float':
      if (!Number.isFinite(value.value)) throw new InvalidValueError(`float ${value.value} has no text form`);
      return Object.is(value.value, -0) ? '-0' : String(value.value);
    case 'boolean':
      return value.value ? '1' : '0';
    case 'opaque':
      return toBase64(value.value);
    case 'time':
      return String(timeSeconds(value.value));
    case 'objlnk':
      return formatObjlnk(value.value);
  }
}

/**
 * Parses the text form of a value of `type`; throws DecodeError (kind 'invalid', at `offset`)
 * when the text is not a valid value of that type.
 */
export function parseValueText(type: ValueType, text: string, offset = 0): Lwm2mValue {
  switch (type) {
    case 'string':
      return stringValue(text);
    case 'corelnk':
      return corelnkValue(text);
    case 'integer':
    case 'unsignedInteger':
    case 'time': {
      if (!(type === 'unsignedInteger' ? UNSIGNED_TEXT : INTEGER_TEXT).test(text))
        return invalidText(type, text, offset, 'not a decimal integer');
      const n = BigInt(text);
      if (type === 'unsignedInteger' ? n > UINT64_MAX : n < INT64_MIN || n > INT64_MAX)
        return invalidText(type, text, offset, 'out of range');
      if (type === 'integer') return integerValue(n);
      if (type === 'unsignedInteger') return unsignedValue(n);
      if (n < -8_640_000_000_000n || n > 8_640_000_000_000n)
        return invalidText(type, text, offset, 'time out of range');
      return timeValue(Number(n));
    }
    case 'float': {
      if (!FLOAT_TEXT.test(text)) return invalidText(type, text, offset, 'not a decimal number');
      // A number beyond the 64-bit range (e.g. 1e999) would become Infinity, which no LwM2M text
      // form can carry back (formatValueText refuses it): out of range, not silently infinite.
      const f = Number(text);
      return Number.isFinite(f)
        ? floatValue(f)
        : invalidText(type, text, offset, 'out of the 64-bit float range');
    }
    case 'boolean':
      if (text === '0' || text === '1') return booleanValue(text === '1');
      return invalidText(type, text, offset, 'a boolean is "0" or "1"');
    case 'opaque': {
      const bytes = fromBase64(text);
      return bytes ? opaqueValue(bytes) : invalidText(type, text, offset, 'not base64');
    }
    case 'objlnk': {
      const link = parseObjlnk(text);
      return link
        ? objlnkValue(link.objectId, link.instanceId)
        : invalidText(type, text, offset, 'an objlnk is "objectId:instanceId"');
    }
  }
}

/** Throws the DecodeError of parseValueText (a module function: no closure per parse). */
function invalidText(type: ValueType, text: string, offset: number, why: string): never {
  throw new DecodeError(`${type} text ${JSON.stringify(text.slice(0, 40))}: ${why}`, offset);
}

// ---- Conversions for application code.

/** Converts a value to `target` when that loses nothing; throws InvalidValueError otherwise. */
export function coerceValue(value: Lwm2mValue, target: ValueType): Lwm2mValue {
  if (value.type === target) return value;
  if (target === 'string' || target === 'corelnk') {
    return target === 'string' ? stringValue(formatValueText(value)) : corelnkValue(formatValueText(value));
  }
  if (value.type === 'string' || value.type === 'corelnk') {
    try {
      return parseValueText(target, value.value);
    } catch (e) {
      throw new InvalidValueError(e instanceof Error ? e.message : `cannot convert to ${target}`);
    }
  }
  const v = value.value;
  if (typeof v === 'number' || typeof v === 'bigint') {
    if (target === 'float') {
      const f = Number(v);
      if (BigInt(Math.trunc(f)) !== BigInt(v)) throw new InvalidValueError(`${v} is not exact as a float`);
      return floatValue(f);
    }
    if (typeof v === 'number' && !Number.isInteger(v)) throw new InvalidValueError(`${v} is not an integer`);
    if (target === 'integer') return integerValue(v);
    if (target === 'unsignedInteger') return unsignedValue(v);
    if (target === 'time') return timeValue(v);
    if (target === 'boolean' && (v === 0 || v === 1)) return booleanValue(v === 1);
  } else if (value.type === 'time' && (target === 'integer' || target === 'float')) {
    const s = timeSeconds(value.value);
    return target === 'integer' ? integerValue(s) : floatValue(s);
  } else if (value.type === 'boolean' && (target === 'integer' || target === 'unsignedInteger')) {
    return target === 'integer' ? integerValue(v ? 1 : 0) : unsignedValue(v ? 1 : 0);
  }
  throw new InvalidValueError(`cannot convert a ${value.type} value to ${target}`);
}

/**
 * Builds a value of `type` from a plain JS value: numbers/bigints/decimal strings for integers,
 * booleans or 0/1 for booleans, Date or seconds for time, Uint8Array/byte arrays/base64 for opaque,
 * {objectId, instanceId} or "o:i" for objlnk. Throws InvalidValueError for anything else.
 */
export function valueFromJs(type: ValueType, js: unknown): Lwm2mValue {
  if (typeof js === 'string') return coerceValue(stringValue(js), type);
  switch (type) {
    case 'integer':
    case 'unsignedInteger':
    case 'time':
    case 'float':
      if (typeof js === 'number' && type === 'float') return floatValue(js);
      if (typeof js === 'number' || typeof js === 'bigint') return coerceValue(integerOrUnsigned(js), type);
      if (js instanceof Date && type === 'time') return timeValue(js);
      break;
    case 'boolean':
      if (typeof js === 'boolean') return booleanValue(js);
      if (js === 0 || js === 1) return booleanValue(js === 1);
      break;
    case 'opaque':
      if (js instanceof Uint8Array) return opaqueValue(js);
      if (Array.isArray(js) && js.every((b) => Number.isInteger(b) && b >= 0 && b <= 255)) {
        return opaqueValue(Uint8Array.from(js as number[]));
      }
      break;
    case 'objlnk':
      if (typeof js === 'object' && js !== null && 'objectId' in js && 'instanceId' in js) {
        const { objectId, instanceId } = js as { objectId: unknown; instanceId: unknown };
        if (typeof objectId === 'number' && typeof instanceId === 'number')
          return objlnkValue(objectId, instanceId);
      }
      break;
    default:
      break;
  }
  throw new InvalidValueError(`cannot make a ${type} value from ${describe(js)}`);
}

function integerOrUnsigned(n: number | bigint): Lwm2mValue {
  if (typeof n === 'number' && !Number.isInteger(n)) throw new InvalidValueError(`${n} is not an integer`);
  return BigInt(n) > INT64_MAX ? unsignedValue(n) : integerValue(n);
}

function describe(js: unknown): string {
  if (js === null) return 'null';
  if (typeof js === 'object') return js.constructor?.name ?? 'object';
  return `${typeof js} ${String(js)}`;
}
