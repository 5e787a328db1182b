// RFC 8949 (CBOR) sections 3 and 3.4: one strict, non-nested data item — integers, floats, simple
// values, definite-length byte and text strings, optionally under one tag. Anything else
// (arrays, maps, indefinite lengths, reserved additional info, trailing bytes) is rejected.
import { DecodeError } from '../../transport/DecodeError.js';
import { decodeUtf8, encodeUtf8 } from '../utf8.js';

/** One decoded CBOR scalar; `tag` is set when the item was tagged. */
export type CborScalar = (
  | { readonly kind: 'int'; readonly value: bigint }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'null' }
  | { readonly kind: 'bytes'; readonly value: Uint8Array }
  | { readonly kind: 'text'; readonly value: string }
) & { readonly tag?: bigint };

function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** The binary16 bits of `v` when it is exactly representable as a half float, else undefined. */
export function exactHalf(v: number): number | undefined {
  if (Number.isNaN(v)) return 0x7e00;
  const sign = v < 0 || Object.is(v, -0) ? 0x8000 : 0;
  const a = Math.abs(v);
  if (a === Infinity) return sign | 0x7c00;
  if (a === 0) return sign;
  if (a > 65504 || a < 2 ** -24) return undefined;
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  if (2 ** (e + 1) <= a) e++;
  if (e < -14) {
    const m = a / 2 ** -24;
    return Number.isInteger(m) ? sign | m : undefined;
  }
  const m = (a / 2 ** e - 1) * 1024;
  return Number.isInteger(m) ? sign | ((e + 15) << 10) | m : undefined;
}

/** Reads exactly one scalar item filling `bytes`; strings longer than `maxBytes` throw a 'limit' DecodeError. */
export function decodeCborScalar(bytes: Uint8Array, maxBytes: number): CborScalar {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  const need = (n: number, at: number): void => {
    if (pos + n > bytes.length) throw new DecodeError('CBOR item runs past the end', at, 'truncated');
  };
  const readArg = (ai: number, at: number): bigint => {
    if (ai < 24) return BigInt(ai);
    if (ai > 27) throw new DecodeError(`CBOR additional information ${ai} is not allowed here`, at);
    const n = 1 << (ai - 24);
    need(n, at);
    const v =
      n === 1
        ? BigInt(dv.getUint8(pos))
        : n === 2
          ? BigInt(dv.getUint16(pos))
          : n === 4
            ? BigInt(dv.getUint32(pos))
            : dv.getBigUint64(pos);
    pos += n;
    return v;
  };
  const item = (allowTag: boolean): CborScalar => {
    const at = pos;
    need(1, at);
    const ib = bytes[pos++]!;
    const major = ib >> 5;
    const ai = ib & 0x1f;
    switch (major) {
      case 0:
        return { kind: 'int', value: readArg(ai, at) };
      case 1:
        return { kind: 'int', value: -1n - readArg(ai, at) };
      case 2:
      case 3: {
        const len = readArg(ai, at);
        if (len > BigInt(maxBytes))
          throw new DecodeError(`CBOR string of ${len} bytes exceeds ${maxBytes}`, at, 'limit');
        need(Number(len), at);
        const start = pos;
        pos += Number(len);
        const raw = bytes.subarray(start, pos);
        return major === 2
          ? { kind: 'bytes', value: raw.slice() }
          : { kind: 'text', value: decodeUtf8(raw, start) };
      }
      case 6: {
        const tag = readArg(ai, at);
        if (!allowTag) throw new DecodeError('nested CBOR tags are not allowed', at);
        return { ...item(false), tag };
      }
      case 7:
        if (ai === 20 || ai === 21) return { kind: 'bool', value: ai === 21 };
        if (ai === 22) return { kind: 'null' };
        if (ai === 25 || ai === 26 || ai === 27) {
          const n = 1 << (ai - 24);
          need(n, at);
          const v =
            n === 2 ? halfToNumber(dv.getUint16(pos)) : n === 4 ? dv.getFloat32(pos) : dv.getFloat64(pos);
          pos += n;
          return { kind: 'float', value: v };
        }
        throw new DecodeError(`CBOR simple value ${ai} is not a LwM2M value`, at);
      default:
        throw new DecodeError(`a CBOR ${major === 4 ? 'array' : 'map'} is not a single value`, at);
    }
  };
  const result = item(true);
  if (pos !== bytes.length) throw new DecodeError('bytes after the CBOR item', pos);
  return result;
}

function head(major: number, n: bigint): number[] {
  if (n < 24n) return [(major << 5) | Number(n)];
  if (n <= 0xffn) return [(major << 5) | 24, Number(n)];
  if (n <= 0xffffn) return [(major << 5) | 25, Number(n >> 8n), Number(n & 0xffn)];
  const size = n <= 0xffff_ffffn ? 4 : 8;
  const out = [(major << 5) | (size === 4 ? 26 : 27)];
  for (let i = size - 1; i >= 0; i--) out.push(Number((n >> BigInt(8 * i)) & 0xffn));
  return out;
}

/** Encodes an integer in its shortest head (major type 0 or 1). */
export function encodeCborInt(n: number | bigint, tag?: number): Uint8Array {
  const b = BigInt(n);
  const body = b >= 0n ? head(0, b) : head(1, -1n - b);
  return Uint8Array.from(tag === undefined ? body : [...head(6, BigInt(tag)), ...body]);
}

/** Encodes a float in the shortest of half, single and double precision that keeps it exact. */
export function encodeCborFloat(v: number): Uint8Array {
  const half = exactHalf(v);
  if (half !== undefined) return Uint8Array.of(0xf9, half >> 8, half & 0xff);
  const out = new Uint8Array(Math.fround(v) === v ? 5 : 9);
  const dv = new DataView(out.buffer);
  if (out.length === 5) {
    out[0] = 0xfa;
    dv.setFloat32(1, v);
  } else {
    out[0] = 0xfb;
    dv.setFloat64(1, v);
  }
  return out;
}

/** Encodes a byte string (major type 2) or a text string (major type 3). */
export function encodeCborString(value: Uint8Array | string): Uint8Array {
  const body = typeof value === 'string' ? encodeUtf8(value) : value;
  const h = head(typeof value === 'string' ? 3 : 2, BigInt(body.length));
  const out = new Uint8Array(h.length + body.length);
  out.set(h, 0);
  out.set(body, h.length);
  return out;
}

/** Encodes true or false (simple values 21 and 20). */
export function encodeCborBool(b: boolean): Uint8Array {
  return Uint8Array.of(b ? 0xf5 : 0xf4);
}
