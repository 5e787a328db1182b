// LwM2M Core TS 1.1.1 section 7.4.3 and Appendix C ("TLV" column): the bytes of one value.
// Integer and time: signed big-endian, 1, 2, 4 or 8 bytes; unsigned integer: 1, 2, 4 or 8 bytes;
// float: 4 or 8 bytes IEEE 754 (encoded as 8); boolean: one byte 0 or 1; objlnk: two 16-bit ids.
import type { Lwm2mValue, ValueType } from '../../lwm2m/Lwm2mValue.js';
import {
  booleanValue,
  corelnkValue,
  floatValue,
  integerValue,
  objlnkValue,
  opaqueValue,
  stringValue,
  timeSeconds,
  timeValue,
  unsignedValue,
} from '../../lwm2m/values.js';
import { DecodeError } from '../../transport/DecodeError.js';

const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Largest time magnitude a Date can hold, in seconds. */
const MAX_TIME_SECONDS = 8_640_000_000_000n;

/** Shortest signed big-endian encoding of `n` among 1, 2, 4 and 8 bytes. */
export function encodeTlvInteger(n: number | bigint): Uint8Array {
  const b = BigInt(n);
  const size =
    b >= -0x80n && b <= 0x7fn
      ? 1
      : b >= -0x8000n && b <= 0x7fffn
        ? 2
        : b >= -(2n ** 31n) && b < 2n ** 31n
          ? 4
          : 8;
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  if (size === 8) dv.setBigInt64(0, b);
  else if (size === 1) dv.setInt8(0, Number(b));
  else if (size === 2) dv.setInt16(0, Number(b));
  else dv.setInt32(0, Number(b));
  return out;
}

/** Shortest unsigned big-endian encoding of `n` among 1, 2, 4 and 8 bytes. */
export function encodeTlvUnsigned(n: number | bigint): Uint8Array {
  const b = BigInt(n);
  const size = b <= 0xffn ? 1 : b <= 0xffffn ? 2 : b <= 0xffff_ffffn ? 4 : 8;
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  if (size === 8) dv.setBigUint64(0, b);
  else if (size === 4) dv.setUint32(0, Number(b));
  else if (size === 2) dv.setUint16(0, Number(b));
  else dv.setUint8(0, Number(b));
  return out;
}

/** The TLV bytes of a value. */
export function encodeTlvValue(value: Lwm2mValue): Uint8Array {
  switch (value.type) {
    case 'string':
    case 'corelnk':
      return utf8.encode(value.value);
    case 'integer':
      return encodeTlvInteger(value.value);
    case 'unsignedInteger':
      return encodeTlvUnsigned(value.value);
    case 'time':
      return encodeTlvInteger(timeSeconds(value.value));
    case 'float': {
      const out = new Uint8Array(8);
      new DataView(out.buffer).setFloat64(0, value.value);
      return out;
    }
    case 'boolean':
      return Uint8Array.of(value.value ? 1 : 0);
    case 'opaque':
      return value.value;
    case 'objlnk': {
      const out = new Uint8Array(4);
      const dv = new DataView(out.buffer);
      dv.setUint16(0, value.value.objectId);
      dv.setUint16(2, value.value.instanceId);
      return out;
    }
  }
}

function readSigned(dv: DataView): bigint | undefined {
  switch (dv.byteLength) {
    case 1:
      return BigInt(dv.getInt8(0));
    case 2:
      return BigInt(dv.getInt16(0));
    case 4:
      return BigInt(dv.getInt32(0));
    case 8:
      return dv.getBigInt64(0);
    default:
      return undefined;
  }
}

/**
 * Decodes TLV value bytes as `type`; `offset` is where the record starts, for the DecodeError
 * thrown when the length or content does not fit the type.
 */
export function decodeTlvValue(type: ValueType, bytes: Uint8Array, offset: number): Lwm2mValue {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bad = (why: string): never => {
    throw new DecodeError(`TLV ${type} value of ${bytes.length} bytes: ${why}`, offset);
  };
  switch (type) {
    case 'string':
    case 'corelnk': {
      let s: string;
      try {
        s = strictUtf8.decode(bytes);
      } catch {
        return bad('not valid UTF-8');
      }
      return type === 'string' ? stringValue(s) : corelnkValue(s);
    }
    case 'opaque':
      return opaqueValue(bytes.slice());
    case 'integer': {
      const n = readSigned(dv);
      return n === undefined ? bad('length must be 1, 2, 4 or 8') : integerValue(n);
    }
    case 'time': {
      const n = readSigned(dv);
      if (n === undefined) return bad('length must be 1, 2, 4 or 8');
      if (n > MAX_TIME_SECONDS || n < -MAX_TIME_SECONDS) return bad('time out of range');
      return timeValue(Number(n));
    }
    case 'unsignedInteger': {
      const len = bytes.length;
      if (len !== 1 && len !== 2 && len !== 4 && len !== 8) return bad('length must be 1, 2, 4 or 8');
      let n = 0n;
      for (const b of bytes) n = (n << 8n) | BigInt(b);
      return unsignedValue(n);
    }
    case 'float':
      if (bytes.length === 4) return floatValue(dv.getFloat32(0));
      if (bytes.length === 8) return floatValue(dv.getFloat64(0));
      return bad('length must be 4 or 8');
    case 'boolean':
      if (bytes.length !== 1 || bytes[0]! > 1) return bad('a boolean is one byte 0 or 1');
      return booleanValue(bytes[0] === 1);
    case 'objlnk':
      if (bytes.length !== 4) return bad('an objlnk is 4 bytes');
      return objlnkValue(dv.getUint16(0), dv.getUint16(2));
  }
}
