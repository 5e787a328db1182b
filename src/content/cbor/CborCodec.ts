// LwM2M Core TS 1.1.1 section 7.4.6 (application/cbor, 60): one resource or resource-instance value
// as a single CBOR data item (RFC 8949). Integers: major type 0/1; float: major type 7 (shortest
// exact width); boolean: simple 20/21; string and corelnk: text string; opaque: byte string; time:
// tag 1 (epoch seconds) over an integer; objlnk: text "o:i". Decoding is model-directed; with no
// model the item's own kind decides (tag 1 → time, text → string, bytes → opaque, int beyond
// int64 → unsigned).
import type { NodeCodec } from '../ContentCodec.js';
import { ContentFormat } from '../ContentFormat.js';
import { DEFAULT_DECODE_LIMITS } from '../decodeLimits.js';
import { resourceModelAt } from '../modelTypes.js';
import {
  assertSingleValuePath,
  onlyDecodeErrors,
  singleValueNode,
  singleValueOf,
} from '../singleValueNode.js';
import type { Lwm2mNode } from '../../lwm2m/Lwm2mNode.js';
import type { Lwm2mPath } from '../../lwm2m/Lwm2mPath.js';
import type { Lwm2mValue, ValueType } from '../../lwm2m/Lwm2mValue.js';
import {
  booleanValue,
  corelnkValue,
  floatValue,
  formatObjlnk,
  INT64_MAX,
  INT64_MIN,
  integerValue,
  objlnkValue,
  opaqueValue,
  parseObjlnk,
  stringValue,
  timeSeconds,
  timeValue,
  UINT64_MAX,
  unsignedValue,
} from '../../lwm2m/values.js';
import type { ModelLookup } from '../../model/ObjectModel.js';
import { DecodeError } from '../../transport/DecodeError.js';
import {
  decodeCborScalar,
  encodeCborBool,
  encodeCborFloat,
  encodeCborInt,
  encodeCborString,
  type CborScalar,
} from './cborScalar.js';

/** RFC 8949 section 3.4.1 / 3.4.2: standard date/time string and epoch-based date/time tags. */
const TAG_DATE_STRING = 0n;
const TAG_EPOCH = 1n;
const MAX_TIME_SECONDS = 8_640_000_000_000;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;

/** The CBOR bytes of one value. */
export function encodeCborValue(value: Lwm2mValue): Uint8Array {
  switch (value.type) {
    case 'integer':
    case 'unsignedInteger':
      return encodeCborInt(value.value);
    case 'float':
      return encodeCborFloat(value.value);
    case 'boolean':
      return encodeCborBool(value.value);
    case 'string':
    case 'corelnk':
    case 'opaque':
      return encodeCborString(value.value);
    case 'time':
      return encodeCborInt(timeSeconds(value.value), 1);
    case 'objlnk':
      return encodeCborString(formatObjlnk(value.value));
  }
}

function guessType(item: CborScalar): ValueType {
  if (item.tag === TAG_EPOCH || item.tag === TAG_DATE_STRING) return 'time';
  switch (item.kind) {
    case 'int':
      return item.value > INT64_MAX ? 'unsignedInteger' : 'integer';
    case 'float':
      return 'float';
    case 'bool':
      return 'boolean';
    case 'bytes':
      return 'opaque';
    default:
      return 'string';
  }
}

function timeFrom(item: CborScalar): Lwm2mValue | undefined {
  let seconds: number | undefined;
  if (item.tag === TAG_DATE_STRING) {
    if (item.kind === 'text' && RFC3339.test(item.value)) seconds = Math.floor(Date.parse(item.value) / 1000);
  } else if (item.tag === undefined || item.tag === TAG_EPOCH) {
    if (
      item.kind === 'int' &&
      item.value >= -BigInt(MAX_TIME_SECONDS) &&
      item.value <= BigInt(MAX_TIME_SECONDS)
    ) {
      seconds = Number(item.value);
    } else if (item.kind === 'float' && Number.isFinite(item.value)) seconds = Math.floor(item.value);
  }
  if (seconds === undefined || !Number.isFinite(seconds) || Math.abs(seconds) > MAX_TIME_SECONDS)
    return undefined;
  return timeValue(seconds);
}

/** Turns a decoded item into a value of `type`, or undefined when the item cannot be one. */
function valueFrom(item: CborScalar, type: ValueType): Lwm2mValue | undefined {
  if (type === 'time') return timeFrom(item);
  if (item.tag !== undefined) return undefined;
  switch (type) {
    case 'integer':
      return item.kind === 'int' && item.value >= INT64_MIN && item.value <= INT64_MAX
        ? integerValue(item.value)
        : undefined;
    case 'unsignedInteger':
      return item.kind === 'int' && item.value >= 0n && item.value <= UINT64_MAX
        ? unsignedValue(item.value)
        : undefined;
    case 'float':
      // Many encoders write whole floats as integers; accept those that convert exactly.
      if (item.kind === 'float') return floatValue(item.value);
      if (item.kind === 'int' && BigInt(Number(item.value)) === item.value)
        return floatValue(Number(item.value));
      return undefined;
    case 'boolean':
      return item.kind === 'bool' ? booleanValue(item.value) : undefined;
    case 'opaque':
      return item.kind === 'bytes' ? opaqueValue(item.value) : undefined;
    case 'string':
      return item.kind === 'text' ? stringValue(item.value) : undefined;
    case 'corelnk':
      return item.kind === 'text' ? corelnkValue(item.value) : undefined;
    case 'objlnk': {
      const link = item.kind === 'text' ? parseObjlnk(item.value) : undefined;
      return link ? objlnkValue(link.objectId, link.instanceId) : undefined;
    }
  }
}

/** Decodes one CBOR item as a value, typed by the model when `models` knows the resource. */
export function decodeCborValue(
  bytes: Uint8Array,
  path: Lwm2mPath,
  models: ModelLookup,
  maxBytes: number,
): Lwm2mValue {
  const item = decodeCborScalar(bytes, maxBytes);
  const modelType = resourceModelAt(models, path.objectId!, path.resourceId!)?.type;
  const type = modelType === undefined || modelType === 'none' ? guessType(item) : modelType;
  const value = valueFrom(item, type);
  if (value === undefined) throw new DecodeError(`CBOR ${item.kind} item is not a valid ${type} value`, 0);
  return value;
}

/** The plain CBOR codec (content format 60). */
export const cborCodec: NodeCodec = {
  format: ContentFormat.CBOR,

  encode(path: Lwm2mPath, node: Lwm2mNode): Uint8Array {
    return encodeCborValue(singleValueOf(path, node, 'application/cbor'));
  },

  decode(bytes: Uint8Array, path: Lwm2mPath, models: ModelLookup, limits = DEFAULT_DECODE_LIMITS): Lwm2mNode {
    return onlyDecodeErrors('application/cbor', () => {
      assertSingleValuePath(path, models, 'application/cbor');
      return singleValueNode(path, decodeCborValue(bytes, path, models, limits.maxValueBytes));
    });
  },
};
