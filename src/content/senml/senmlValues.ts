// Core TS 1.1.1 section 7.4.4 (SenML JSON) and 7.4.5 (SenML CBOR) data type mapping: which SenML
// value field carries each LwM2M data type, and model-directed typing of decoded values (with the
// record's own value field deciding when the model does not know the resource).
import { DecodeError } from '../../transport/DecodeError.js';
import type { Lwm2mValue, ValueType } from '../../lwm2m/Lwm2mValue.js';
import {
  INT64_MAX,
  INT64_MIN,
  UINT64_MAX,
  booleanValue,
  corelnkValue,
  floatValue,
  formatObjlnk,
  fromBase64,
  integerValue,
  objlnkValue,
  opaqueValue,
  parseObjlnk,
  stringValue,
  timeSeconds,
  timeValue,
  toBase64,
  unsignedValue,
} from '../../lwm2m/values.js';
import type { ResolvedRecord, SenmlRecord } from './senmlRecords.js';

/** How a format maps values onto record fields. */
export interface SenmlValueStyle {
  /** LwM2M JSON (Core TS 1.0 section 6.4.4) carries opaque values as base64 text in the string field. */
  readonly opaqueAsBase64String: boolean;
}

/** The record value field(s) for a value (Core TS 1.1.1 Table 7.4.4-1). */
export function valueToFields(value: Lwm2mValue, style: SenmlValueStyle): SenmlRecord {
  switch (value.type) {
    case 'string':
    case 'corelnk':
      return { vs: value.value };
    case 'integer':
    case 'unsignedInteger':
      return { v: value.value };
    case 'float':
      return { v: value.value, vFloat: true };
    case 'time':
      return { v: timeSeconds(value.value) };
    case 'boolean':
      return { vb: value.value };
    case 'opaque':
      return style.opaqueAsBase64String ? { vs: toBase64(value.value) } : { vd: value.value };
    case 'objlnk':
      return { vlo: formatObjlnk(value.value) };
  }
}

function failRecord(r: ResolvedRecord, why: string): never {
  throw new DecodeError(`${r.name.slice(0, 40)}: ${why}`, r.at);
}

function bigOf(v: number | bigint): bigint | undefined {
  if (typeof v === 'bigint') return v;
  return Number.isInteger(v) ? BigInt(v) : undefined;
}

/**
 * The typed value of a record: of `type` when the model gives one (DecodeError when the record's
 * field does not fit it), else from the field itself: v → integer when integral and not written
 * as a float, else float; vs → string; vb → boolean; vd → opaque; vlo → objlnk.
 */
export function valueFromRecord(
  r: ResolvedRecord,
  type: ValueType | undefined,
  style: SenmlValueStyle,
): Lwm2mValue {
  if (type === undefined) {
    if (r.v !== undefined) {
      const b = r.vFloat ? undefined : bigOf(r.v);
      if (b !== undefined && b >= INT64_MIN && b <= INT64_MAX) return integerValue(b);
      if (b !== undefined && b >= 0n && b <= UINT64_MAX) return unsignedValue(b);
      return floatValue(Number(r.v));
    }
    if (r.vs !== undefined) return stringValue(r.vs);
    if (r.vb !== undefined) return booleanValue(r.vb);
    if (r.vd !== undefined) return opaqueValue(r.vd);
    if (r.vlo !== undefined) type = 'objlnk';
    else return failRecord(r, 'the record has no value');
  }
  switch (type) {
    case 'string':
    case 'corelnk':
      if (r.vs === undefined) return failRecord(r, `a ${type} value is carried in "vs"`);
      return type === 'string' ? stringValue(r.vs) : corelnkValue(r.vs);
    case 'integer':
    case 'unsignedInteger':
    case 'time': {
      if (r.v === undefined) return failRecord(r, `a ${type} value is carried in "v"`);
      const b = bigOf(r.v);
      if (b === undefined) return failRecord(r, `${type} value ${r.v} is not integral`);
      if (type === 'unsignedInteger')
        return b >= 0n && b <= UINT64_MAX ? unsignedValue(b) : failRecord(r, 'out of range');
      if (b < INT64_MIN || b > INT64_MAX) return failRecord(r, 'out of signed 64-bit range');
      if (type === 'integer') return integerValue(b);
      return b >= -8_640_000_000_000n && b <= 8_640_000_000_000n
        ? timeValue(Number(b))
        : failRecord(r, 'time out of range');
    }
    case 'float':
      return r.v === undefined ? failRecord(r, 'a float value is carried in "v"') : floatValue(Number(r.v));
    case 'boolean':
      return r.vb === undefined ? failRecord(r, 'a boolean value is carried in "vb"') : booleanValue(r.vb);
    case 'opaque': {
      if (style.opaqueAsBase64String) {
        const bytes = r.vs === undefined ? undefined : fromBase64(r.vs);
        return bytes ? opaqueValue(bytes) : failRecord(r, 'an opaque value is base64 text');
      }
      return r.vd === undefined ? failRecord(r, 'an opaque value is carried in "vd"') : opaqueValue(r.vd);
    }
    case 'objlnk': {
      const link = r.vlo === undefined ? undefined : parseObjlnk(r.vlo);
      return link
        ? objlnkValue(link.objectId, link.instanceId)
        : failRecord(r, 'an objlnk value is "objectId:instanceId"');
    }
  }
}
