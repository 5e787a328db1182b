// OMA LwM2M Core TS 1.2 section 7.4.7 (LwM2M CBOR) data types: each LwM2M value as a CBOR item,
// and model-directed typing of decoded items (the CBOR major type decides when the model does not
// know the resource). Time is an integer, tagged 1 when written; Objlnk is the text "o:i".
import type { Lwm2mValue, ValueType } from '../../lwm2m/Lwm2mValue.js';
import {
  INT64_MAX,
  INT64_MIN,
  UINT64_MAX,
  booleanValue,
  corelnkValue,
  floatValue,
  formatObjlnk,
  integerValue,
  objlnkValue,
  opaqueValue,
  parseObjlnk,
  stringValue,
  timeSeconds,
  timeValue,
  unsignedValue,
} from '../../lwm2m/values.js';
import { DecodeError } from '../../transport/DecodeError.js';
import type { CborWriter } from '../senml/CborWriter.js';
import type { CborItem } from '../senml/readCbor.js';

/** RFC 8949 section 3.4.2: epoch-based date/time. */
const EPOCH_TIME_TAG = 1;

/** Writes a value as its LwM2M CBOR item. */
export function writeLwm2mCborValue(w: CborWriter, value: Lwm2mValue): void {
  switch (value.type) {
    case 'string':
    case 'corelnk':
      return w.text(value.value);
    case 'integer':
    case 'unsignedInteger':
      return w.int(value.value);
    case 'float':
      return w.float(value.value);
    case 'boolean':
      return w.bool(value.value);
    case 'opaque':
      return w.bytes(value.value);
    case 'time':
      w.tag(EPOCH_TIME_TAG);
      return w.int(timeSeconds(value.value));
    case 'objlnk':
      return w.text(formatObjlnk(value.value));
  }
}

function integral(item: CborItem): bigint | undefined {
  if (item.kind === 'int') return BigInt(item.value);
  if (item.kind === 'float' && Number.isInteger(item.value)) return BigInt(item.value);
  return undefined;
}

function failItem(item: CborItem, where: { toString(): string }, why: string): never {
  throw new DecodeError(`${where.toString()}: ${why}`, item.at);
}

/** The typed value of a leaf item: of `type` when the model gives one, else from the item's own kind. */
export function readLwm2mCborValue(
  item: CborItem,
  type: ValueType | undefined,
  where: { toString(): string },
): Lwm2mValue {
  let inner = item;
  if (item.kind === 'tag') {
    if (item.tag !== EPOCH_TIME_TAG || (type !== undefined && type !== 'time'))
      return failItem(item, where, 'unexpected CBOR tag');
    inner = item.item;
    type = 'time';
  }
  if (type === undefined) {
    switch (inner.kind) {
      case 'int': {
        const b = BigInt(inner.value);
        return b <= INT64_MAX && b >= INT64_MIN
          ? integerValue(b)
          : b >= 0n
            ? unsignedValue(b)
            : failItem(item, where, 'out of range');
      }
      case 'float':
        return floatValue(inner.value);
      case 'text':
        return stringValue(inner.value);
      case 'bytes':
        return opaqueValue(inner.value);
      case 'simple':
        if (typeof inner.value === 'boolean') return booleanValue(inner.value);
        return failItem(item, where, 'unsupported simple value');
      default:
        return failItem(item, where, `a ${inner.kind} is no resource value`);
    }
  }
  switch (type) {
    case 'string':
    case 'corelnk':
      if (inner.kind !== 'text') return failItem(item, where, `a ${type} value is a text string`);
      return type === 'string' ? stringValue(inner.value) : corelnkValue(inner.value);
    case 'integer':
    case 'unsignedInteger':
    case 'time': {
      const b = integral(inner);
      if (b === undefined) return failItem(item, where, `a ${type} value is an integer`);
      if (type === 'unsignedInteger')
        return b >= 0n && b <= UINT64_MAX ? unsignedValue(b) : failItem(item, where, 'out of range');
      if (b < INT64_MIN || b > INT64_MAX) return failItem(item, where, 'out of signed 64-bit range');
      if (type === 'integer') return integerValue(b);
      return b >= -8_640_000_000_000n && b <= 8_640_000_000_000n
        ? timeValue(Number(b))
        : failItem(item, where, 'time out of range');
    }
    case 'float':
      if (inner.kind === 'float') return floatValue(inner.value);
      if (inner.kind === 'int') return floatValue(Number(inner.value));
      return failItem(item, where, 'a float value is a number');
    case 'boolean':
      if (inner.kind === 'simple' && typeof inner.value === 'boolean') return booleanValue(inner.value);
      return failItem(item, where, 'a boolean value is true or false');
    case 'opaque':
      if (inner.kind !== 'bytes') return failItem(item, where, 'an opaque value is a byte string');
      return opaqueValue(inner.value);
    case 'objlnk': {
      const link = inner.kind === 'text' ? parseObjlnk(inner.value) : undefined;
      return link
        ? objlnkValue(link.objectId, link.instanceId)
        : failItem(item, where, 'an objlnk value is "objectId:instanceId"');
    }
  }
}
