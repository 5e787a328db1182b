// LwM2M Core TS 1.1.1 section 7.4.3 (1.0 section 6.4.3): the TLV byte layout, bytes <-> records.
// Type byte: bits 7-6 identifier type (00 object instance, 01 resource instance, 10 multiple
// resource, 11 resource with value); bit 5 identifier length (0: 8 bits, 1: 16 bits); bits 4-3
// length type (00: length in bits 2-0, 01/10/11: 8/16/24-bit length field follows the id).
import { DecodeError } from '../../transport/DecodeError.js';
import { DEFAULT_DECODE_LIMITS, type DecodeLimits } from '../decodeLimits.js';

/** A TLV record carrying a value: a single resource or a resource instance. */
export interface TlvValueRecord {
  readonly type: 'resource' | 'resourceInstance';
  readonly id: number;
  readonly value: Uint8Array;
  /** Byte offset of the record in the decoded payload (set by decodeTlvRecords). */
  readonly offset?: number;
}

/** A TLV record holding other records: an object instance or a multiple resource. */
export interface TlvContainerRecord {
  readonly type: 'objectInstance' | 'multipleResource';
  readonly id: number;
  readonly children: readonly TlvRecord[];
  /** Byte offset of the record in the decoded payload (set by decodeTlvRecords). */
  readonly offset?: number;
}

/** One TLV entry. */
export type TlvRecord = TlvValueRecord | TlvContainerRecord;

const TYPE_BITS = {
  objectInstance: 0b00,
  resourceInstance: 0b01,
  multipleResource: 0b10,
  resource: 0b11,
} as const;
const TYPES = ['objectInstance', 'resourceInstance', 'multipleResource', 'resource'] as const;
const MAX_LENGTH = 0xff_ffff;

function contentLength(r: TlvRecord): number {
  return 'value' in r ? r.value.length : r.children.reduce((n, c) => n + encodedSize(c), 0);
}

function headerSize(id: number, length: number): number {
  return 2 + (id > 0xff ? 1 : 0) + (length < 8 ? 0 : length <= 0xff ? 1 : length <= 0xffff ? 2 : 3);
}

function encodedSize(r: TlvRecord): number {
  const len = contentLength(r);
  return headerSize(r.id, len) + len;
}

/** Encodes records with the shortest id and length fields. Throws RangeError for ids over 65535 or lengths over 2^24-1. */
export function encodeTlvRecords(records: readonly TlvRecord[]): Uint8Array {
  const out = new Uint8Array(records.reduce((n, r) => n + encodedSize(r), 0));
  let pos = 0;
  const write = (r: TlvRecord): void => {
    if (!Number.isInteger(r.id) || r.id < 0 || r.id > 0xffff)
      throw new RangeError(`TLV id ${r.id} out of range`);
    const len = contentLength(r);
    if (len > MAX_LENGTH) throw new RangeError(`TLV value of ${len} bytes exceeds 24-bit length`);
    const lengthType = len < 8 ? 0 : len <= 0xff ? 1 : len <= 0xffff ? 2 : 3;
    out[pos++] =
      (TYPE_BITS[r.type] << 6) | (r.id > 0xff ? 0x20 : 0) | (lengthType << 3) | (lengthType === 0 ? len : 0);
    if (r.id > 0xff) out[pos++] = r.id >> 8;
    out[pos++] = r.id & 0xff;
    for (let i = lengthType - 1; i >= 0; i--) out[pos++] = (len >> (8 * i)) & 0xff;
    if ('value' in r) {
      out.set(r.value, pos);
      pos += r.value.length;
    } else for (const c of r.children) write(c);
  };
  for (const r of records) write(r);
  return out;
}

/**
 * Decodes a TLV payload strictly: every record must end inside its parent, object instances hold
 * only resources, multiple resources only resource instances. Values are subarrays of `bytes`.
 * Throws DecodeError (truncated / invalid / limit) with the offset of the offending byte.
 */
export function decodeTlvRecords(
  bytes: Uint8Array,
  limits: DecodeLimits = DEFAULT_DECODE_LIMITS,
): TlvRecord[] {
  let count = 0;
  const parse = (
    start: number,
    end: number,
    depth: number,
    parent?: TlvContainerRecord['type'],
  ): TlvRecord[] => {
    if (depth > limits.maxDepth)
      throw new DecodeError(`TLV nesting deeper than ${limits.maxDepth}`, start, 'limit');
    const records: TlvRecord[] = [];
    let pos = start;
    while (pos < end) {
      const at = pos;
      if (++count > limits.maxRecords)
        throw new DecodeError(`more than ${limits.maxRecords} TLV records`, at, 'limit');
      const t = bytes[pos++]!;
      const type = TYPES[t >> 6]!;
      if (parent === 'objectInstance' && type !== 'resource' && type !== 'multipleResource') {
        throw new DecodeError(`an object instance TLV cannot hold a ${type} TLV`, at);
      }
      if (parent === 'multipleResource' && type !== 'resourceInstance') {
        throw new DecodeError(`a multiple resource TLV can hold only resource instances, got ${type}`, at);
      }
      const idBytes = t & 0x20 ? 2 : 1;
      const lengthType = (t >> 3) & 0b11;
      if (pos + idBytes + lengthType > end)
        throw new DecodeError('TLV header runs past the end', at, 'truncated');
      let id = 0;
      for (let i = 0; i < idBytes; i++) id = (id << 8) | bytes[pos++]!;
      let len = lengthType === 0 ? t & 0b111 : 0;
      for (let i = 0; i < lengthType; i++) len = len * 256 + bytes[pos++]!;
      if (pos + len > end) throw new DecodeError(`TLV length ${len} runs past the end`, at, 'truncated');
      if (type === 'resource' || type === 'resourceInstance') {
        if (len > limits.maxValueBytes) {
          throw new DecodeError(`TLV value of ${len} bytes exceeds ${limits.maxValueBytes}`, at, 'limit');
        }
        records.push({ type, id, value: bytes.subarray(pos, pos + len), offset: at });
      } else {
        records.push({ type, id, children: parse(pos, pos + len, depth + 1, type), offset: at });
      }
      pos += len;
    }
    return records;
  };
  return parse(0, bytes.length, 1);
}
