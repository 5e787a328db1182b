// Writes the TLS presentation language (RFC 5246 section 4) for handshake message encoders: a
// small growable buffer. Handshake messages are built a few times per connection, so simplicity
// wins over reuse here (record seal/open, the per-datagram path, do not use it); its buffers come
// from Node's allocation pool (record/pooledBytes.ts: a typed array of its own costs ~6x more).

import { pooledBytes } from '../../record/pooledBytes.js';

/** Thrown when a value does not fit its field (an encoder bug, or a caller passing bad data). */
export class EncodeRangeError extends RangeError {
  readonly code = 'DTLS_ENCODE_RANGE';
}

/** Appends TLS fields to a growing buffer. */
export class BodyWriter {
  private buf = pooledBytes(128);
  private len = 0;

  private reserve(n: number): number {
    if (this.len + n > this.buf.length) {
      const next = pooledBytes(Math.max(this.buf.length * 2, this.len + n));
      next.set(this.buf.subarray(0, this.len));
      this.buf = next;
    }
    const at = this.len;
    this.len += n;
    return at;
  }

  private uint(v: number, bytes: number, what: string): this {
    if (!Number.isInteger(v) || v < 0 || v >= 2 ** (8 * bytes))
      throw new EncodeRangeError(`${what} ${v} does not fit in ${bytes} bytes`);
    const at = this.reserve(bytes);
    for (let i = bytes - 1; i >= 0; i--) this.buf[at + bytes - 1 - i] = (v >> (8 * i)) & 0xff;
    return this;
  }

  u8(v: number, what = 'value'): this {
    return this.uint(v, 1, what);
  }
  u16(v: number, what = 'value'): this {
    return this.uint(v, 2, what);
  }
  u24(v: number, what = 'value'): this {
    return this.uint(v, 3, what);
  }

  bytes(b: Uint8Array): this {
    const at = this.reserve(b.length); // before reading this.buf: reserve may replace it
    this.buf.set(b, at);
    return this;
  }

  /** A vector <floor..ceiling> with a `lengthBytes`-byte length. */
  vector(lengthBytes: 1 | 2 | 3, floor: number, ceiling: number, b: Uint8Array, what: string): this {
    if (b.length < floor || b.length > ceiling)
      throw new EncodeRangeError(`${what} length ${b.length} not in ${floor}..${ceiling}`);
    this.uint(b.length, lengthBytes, what);
    return this.bytes(b);
  }

  /** A copy of what was written. */
  finish(): Uint8Array {
    const out = pooledBytes(this.len);
    out.set(this.buf.subarray(0, this.len));
    return out;
  }
}
