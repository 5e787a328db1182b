// RFC 8949 (CBOR) strict reader for the CBOR content formats (RFC 8428 section 6, Core TS 1.2
// section 7.4.7). It yields a plain item tree with byte offsets, keeps 64-bit integers exact,
// accepts definite and indefinite lengths, and bounds depth, counts and string lengths so no
// declared length can make it allocate beyond the input. Only DecodeError ever leaves it.
import { DecodeError } from '../../transport/DecodeError.js';
import type { DecodeLimits } from '../decodeLimits.js';

/** One decoded CBOR data item with the byte offset of its head. */
export type CborItem =
  | { readonly kind: 'int'; readonly value: number | bigint; readonly at: number }
  | { readonly kind: 'float'; readonly value: number; readonly at: number }
  | { readonly kind: 'text'; readonly value: string; readonly at: number }
  | { readonly kind: 'bytes'; readonly value: Uint8Array; readonly at: number }
  | { readonly kind: 'array'; readonly items: CborItem[]; readonly at: number }
  | { readonly kind: 'map'; readonly entries: [CborItem, CborItem][]; readonly at: number }
  | { readonly kind: 'tag'; readonly tag: number | bigint; readonly item: CborItem; readonly at: number }
  | { readonly kind: 'simple'; readonly value: boolean | null | undefined | number; readonly at: number };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const BREAK = Symbol('break');

/** Decodes exactly one CBOR item filling `bytes`; throws DecodeError for anything else. */
export function readCbor(bytes: Uint8Array, limits: DecodeLimits): CborItem {
  const r = new CborReader(bytes, limits);
  const item = r.item(0);
  if (item === BREAK) throw new DecodeError('unexpected CBOR break', 0);
  if (r.pos !== bytes.length) throw new DecodeError('unexpected data after the CBOR item', r.pos);
  return item;
}

class CborReader {
  pos = 0;
  private count = 0;
  private readonly view: DataView;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly limits: DecodeLimits,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private need(n: number, at: number): void {
    if (this.pos + n > this.bytes.length)
      throw new DecodeError('CBOR item runs past the end', at, 'truncated');
  }

  /** Reads the argument of a head with additional info `ai`; -1 for indefinite length. */
  private argument(ai: number, at: number): number | bigint {
    if (ai < 24) return ai;
    if (ai === 31) return -1;
    if (ai > 27) throw new DecodeError(`reserved CBOR additional information ${ai}`, at);
    const size = 1 << (ai - 24);
    this.need(size, at);
    const p = this.pos;
    this.pos += size;
    if (size === 1) return this.view.getUint8(p);
    if (size === 2) return this.view.getUint16(p);
    if (size === 4) return this.view.getUint32(p);
    const big = this.view.getBigUint64(p);
    return big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
  }

  private length(arg: number | bigint, at: number, unit: number): number {
    // Every element takes at least `unit` bytes, so a length beyond the input is truncated input.
    if (typeof arg === 'bigint' || arg * unit > this.bytes.length - this.pos) {
      throw new DecodeError('CBOR length runs past the end', at, 'truncated');
    }
    return arg;
  }

  item(depth: number): CborItem | typeof BREAK {
    const at = this.pos;
    // Bounds the item tree a payload can make us build (a record is a map of a few items).
    if (++this.count > this.limits.maxRecords * 16) throw new DecodeError('too many CBOR items', at, 'limit');
    this.need(1, at);
    const head = this.bytes[this.pos++]!;
    const major = head >> 5;
    const ai = head & 0x1f;
    if (major === 7) return this.simple(ai, at);
    const arg = this.argument(ai, at);
    switch (major) {
      case 0:
        return { kind: 'int', value: arg, at };
      case 1:
        if (arg === -1) throw new DecodeError('indefinite length on an integer', at);
        return { kind: 'int', value: typeof arg === 'number' ? -1 - arg : -1n - arg, at };
      case 2:
      case 3:
        return this.string(major, arg, at);
      case 4:
      case 5:
        return this.container(major, arg, depth + 1, at);
      default: {
        if (arg === -1) throw new DecodeError('indefinite length on a tag', at);
        if (depth + 1 > this.limits.maxDepth) throw new DecodeError('CBOR nesting too deep', at, 'limit');
        const item = this.item(depth + 1);
        if (item === BREAK) throw new DecodeError('unexpected CBOR break', at);
        return { kind: 'tag', tag: arg, item, at };
      }
    }
  }

  private simple(ai: number, at: number): CborItem | typeof BREAK {
    switch (ai) {
      case 20:
        return { kind: 'simple', value: false, at };
      case 21:
        return { kind: 'simple', value: true, at };
      case 22:
        return { kind: 'simple', value: null, at };
      case 23:
        return { kind: 'simple', value: undefined, at };
      case 24: {
        this.need(1, at);
        const v = this.bytes[this.pos++]!;
        if (v < 32) throw new DecodeError('non-canonical two-byte simple value', at);
        return { kind: 'simple', value: v, at };
      }
      case 25:
        this.need(2, at);
        this.pos += 2;
        return { kind: 'float', value: halfToNumber(this.view.getUint16(this.pos - 2)), at };
      case 26:
        this.need(4, at);
        this.pos += 4;
        return { kind: 'float', value: this.view.getFloat32(this.pos - 4), at };
      case 27:
        this.need(8, at);
        this.pos += 8;
        return { kind: 'float', value: this.view.getFloat64(this.pos - 8), at };
      case 31:
        return BREAK;
      default:
        if (ai < 20) return { kind: 'simple', value: ai, at };
        throw new DecodeError(`reserved CBOR simple value ${ai}`, at);
    }
  }

  private string(major: number, arg: number | bigint, at: number): CborItem {
    let data: Uint8Array;
    if (arg === -1) {
      const chunks: Uint8Array[] = [];
      let total = 0;
      for (;;) {
        const cAt = this.pos;
        this.need(1, cAt);
        const h = this.bytes[this.pos++]!;
        if (h === 0xff) break;
        if (h >> 5 !== major || (h & 0x1f) === 31)
          throw new DecodeError('bad chunk in an indefinite string', cAt);
        const n = this.length(this.argument(h & 0x1f, cAt), cAt, 1);
        if (n > 0) chunks.push(this.bytes.subarray(this.pos, this.pos + n)); // empty chunks cost nothing
        this.pos += n;
        total += n;
        if (total > this.limits.maxValueBytes) throw new DecodeError('CBOR string too long', at, 'limit');
      }
      data = new Uint8Array(total);
      let o = 0;
      for (const c of chunks) {
        data.set(c, o);
        o += c.length;
      }
    } else {
      const n = this.length(arg, at, 1);
      if (n > this.limits.maxValueBytes) throw new DecodeError('CBOR string too long', at, 'limit');
      if (major === 3 && n <= 32) {
        const ascii = this.shortAscii(n);
        if (ascii !== undefined) return { kind: 'text', value: ascii, at };
      }
      data = this.bytes.slice(this.pos, this.pos + n);
      this.pos += n;
    }
    if (major === 2) return { kind: 'bytes', value: data, at };
    try {
      return { kind: 'text', value: utf8.decode(data), at };
    } catch {
      throw new DecodeError('CBOR text string is not valid UTF-8', at);
    }
  }

  /** Short ASCII text without a TextDecoder round trip; undefined (nothing consumed) otherwise. */
  private shortAscii(n: number): string | undefined {
    let out = '';
    for (let i = this.pos; i < this.pos + n; i++) {
      const c = this.bytes[i]!;
      if (c >= 0x80) return undefined;
      out += String.fromCharCode(c);
    }
    this.pos += n;
    return out;
  }

  private container(major: number, arg: number | bigint, depth: number, at: number): CborItem {
    if (depth > this.limits.maxDepth) throw new DecodeError('CBOR nesting too deep', at, 'limit');
    const isMap = major === 5;
    const n = arg === -1 ? -1 : this.length(arg, at, isMap ? 2 : 1);
    if (n > this.limits.maxRecords) throw new DecodeError('too many CBOR elements', at, 'limit');
    const count = n === -1 ? -1 : isMap ? n * 2 : n;
    const items: CborItem[] = [];
    for (let i = 0; count === -1 || i < count; i++) {
      if (items.length >= this.limits.maxRecords * (isMap ? 2 : 1))
        throw new DecodeError('too many CBOR elements', at, 'limit');
      const item = this.item(depth);
      if (item === BREAK) {
        if (count !== -1 || (isMap && items.length % 2 === 1))
          throw new DecodeError('unexpected CBOR break', this.pos - 1);
        break;
      }
      items.push(item);
    }
    if (!isMap) return { kind: 'array', items, at };
    const entries: [CborItem, CborItem][] = [];
    for (let i = 0; i < items.length; i += 2) entries.push([items[i]!, items[i + 1]!]);
    return { kind: 'map', entries, at };
  }
}

/** IEEE 754 binary16 to a number (RFC 8949 Appendix D). */
function halfToNumber(h: number): number {
  const exp = (h >> 10) & 0x1f;
  const mant = h & 0x3ff;
  const sign = h & 0x8000 ? -1 : 1;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 31) return mant === 0 ? sign * Infinity : NaN;
  return sign * (mant + 1024) * 2 ** (exp - 25);
}
