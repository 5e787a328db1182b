// RFC 8949 (CBOR) writer for the CBOR content formats: definite lengths, shortest heads, and the
// preferred (shortest exact) float serialization of RFC 8949 section 4.2.2. Grows its buffer on demand.

const textEncoder = new TextEncoder();

/** Appends CBOR data items to a growable buffer; `finish()` returns the bytes written. */
export class CborWriter {
  private buf: Uint8Array;
  private view: DataView;
  private pos = 0;

  constructor(initialSize = 256) {
    this.buf = new Uint8Array(initialSize);
    this.view = new DataView(this.buf.buffer);
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  /** Writes a head: major type and argument in its shortest form. */
  head(major: number, arg: number | bigint): void {
    this.ensure(9);
    const m = major << 5;
    if (typeof arg === 'bigint' && arg <= 0xffffffffn) arg = Number(arg);
    // setBigUint64 would keep the low 64 bits: a larger argument must fail, not wrap to another value
    if (arg > 0xffffffffffffffffn) throw new RangeError(`CBOR argument ${arg} is beyond 2^64 - 1`);
    if (typeof arg === 'bigint') {
      this.buf[this.pos++] = m | 27;
      this.view.setBigUint64(this.pos, arg);
      this.pos += 8;
    } else if (arg < 24) {
      this.buf[this.pos++] = m | arg;
    } else if (arg < 0x100) {
      this.buf[this.pos++] = m | 24;
      this.buf[this.pos++] = arg;
    } else if (arg < 0x10000) {
      this.buf[this.pos++] = m | 25;
      this.view.setUint16(this.pos, arg);
      this.pos += 2;
    } else if (arg < 0x100000000) {
      this.buf[this.pos++] = m | 26;
      this.view.setUint32(this.pos, arg);
      this.pos += 4;
    } else {
      this.buf[this.pos++] = m | 27;
      this.view.setBigUint64(this.pos, BigInt(arg));
      this.pos += 8;
    }
  }

  /** Writes an integer (major type 0 or 1); the caller keeps it within -2^64..2^64-1. */
  int(n: number | bigint): void {
    if (typeof n === 'number' && !Number.isSafeInteger(n)) n = BigInt(n);
    if (n < 0) this.head(1, typeof n === 'bigint' ? -1n - n : -1 - n);
    else this.head(0, n);
  }

  /** Writes a float in the shortest of half, single and double precision that keeps it exact. */
  float(x: number): void {
    this.ensure(9);
    const half = numberToHalf(x);
    if (half !== undefined) {
      this.buf[this.pos++] = 0xf9;
      this.view.setUint16(this.pos, half);
      this.pos += 2;
    } else if (Math.fround(x) === x) {
      this.buf[this.pos++] = 0xfa;
      this.view.setFloat32(this.pos, x);
      this.pos += 4;
    } else {
      this.buf[this.pos++] = 0xfb;
      this.view.setFloat64(this.pos, x);
      this.pos += 8;
    }
  }

  /** Writes a UTF-8 text string. */
  text(s: string): void {
    if (s.length < 24) {
      this.ensure(1 + s.length);
      const start = this.pos;
      this.buf[this.pos++] = 0x60 | s.length;
      let ascii = true;
      for (let i = 0; i < s.length && ascii; i++) {
        const c = s.charCodeAt(i);
        ascii = c < 0x80;
        this.buf[this.pos++] = c;
      }
      if (ascii) return;
      this.pos = start;
    }
    this.bytesOf(3, textEncoder.encode(s));
  }

  /** Writes a byte string. */
  bytes(b: Uint8Array): void {
    this.bytesOf(2, b);
  }

  private bytesOf(major: number, b: Uint8Array): void {
    this.head(major, b.length);
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** Writes true or false. */
  bool(b: boolean): void {
    this.ensure(1);
    this.buf[this.pos++] = b ? 0xf5 : 0xf4;
  }

  /** Writes an array head for `n` items. */
  array(n: number): void {
    this.head(4, n);
  }

  /** Writes a map head for `n` entries. */
  map(n: number): void {
    this.head(5, n);
  }

  /** Writes a tag head. */
  tag(t: number): void {
    this.head(6, t);
  }

  /** The bytes written so far (a copy). */
  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}

/** The binary16 bits of `x` when binary16 holds it exactly (NaN as the canonical 0x7e00). */
function numberToHalf(x: number): number | undefined {
  if (Number.isNaN(x)) return 0x7e00;
  const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
  const a = Math.abs(x);
  if (a === Infinity) return sign | 0x7c00;
  if (a === 0) return sign;
  if (a >= 65520) return undefined;
  // Subnormal halves are multiples of 2^-24 below 2^-14.
  if (a < 2 ** -14) {
    const m = a / 2 ** -24;
    return Number.isInteger(m) ? sign | m : undefined;
  }
  const exp = Math.floor(Math.log2(a));
  const scaled = a / 2 ** exp; // in [1, 2)
  const mant = (scaled - 1) * 1024;
  if (!Number.isInteger(mant) || mant >= 1024 || mant < 0) return undefined;
  return sign | ((exp + 15) << 10) | mant;
}
