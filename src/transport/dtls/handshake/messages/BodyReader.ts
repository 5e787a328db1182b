// Bounds-checked reads of the TLS presentation language (RFC 5246 section 4): big-endian integers
// and variable-length vectors <floor..ceiling> with a 1-, 2- or 3-byte length. Every failure is a
// DecodeError whose offset counts from the start of the bytes given (plus `base`).

import { DecodeError } from '../../../DecodeError.js';

/** A cursor over one handshake message body (or any TLS structure). */
export class BodyReader {
  private at = 0;

  constructor(
    private readonly bytes: Uint8Array,
    /** Added to every reported offset, e.g. where the body starts in the record. */
    private readonly base = 0,
  ) {}

  /** Bytes left. */
  get remaining(): number {
    return this.bytes.length - this.at;
  }

  /** Current offset, from the start of the bytes (without `base`). */
  get offset(): number {
    return this.at;
  }

  /** Current offset including `base`, for readers of nested structures. */
  get absoluteOffset(): number {
    return this.base + this.at;
  }

  /** A DecodeError at the current offset, or at `at` (an offset from the start of the bytes). */
  error(message: string, kind: DecodeError['kind'] = 'invalid', at = this.at): DecodeError {
    return new DecodeError(message, this.base + at, kind);
  }

  private need(n: number, what: string): void {
    if (this.bytes.length - this.at < n) throw this.error(`${what} truncated`, 'truncated');
  }

  u8(what: string): number {
    this.need(1, what);
    return this.bytes[this.at++]!;
  }

  u16(what: string): number {
    this.need(2, what);
    const v = (this.bytes[this.at]! << 8) | this.bytes[this.at + 1]!;
    this.at += 2;
    return v;
  }

  u24(what: string): number {
    this.need(3, what);
    const v = (this.bytes[this.at]! << 16) | (this.bytes[this.at + 1]! << 8) | this.bytes[this.at + 2]!;
    this.at += 3;
    return v;
  }

  /** The next `n` bytes, as a view. */
  fixed(n: number, what: string): Uint8Array {
    this.need(n, what);
    const v = this.bytes.subarray(this.at, this.at + n);
    this.at += n;
    return v;
  }

  /** A vector with a `lengthBytes`-byte length, `floor` <= length <= `ceiling`, as a view. */
  vector(lengthBytes: 1 | 2 | 3, floor: number, ceiling: number, what: string): Uint8Array {
    const start = this.at;
    const n = lengthBytes === 1 ? this.u8(what) : lengthBytes === 2 ? this.u16(what) : this.u24(what);
    if (n < floor || n > ceiling) {
      this.at = start;
      throw this.error(`${what} length ${n} not in ${floor}..${ceiling}`);
    }
    return this.fixed(n, what);
  }

  /** Throws unless every byte was read. */
  end(what: string): void {
    if (this.at !== this.bytes.length) throw this.error(`${this.remaining} bytes after ${what}`);
  }
}
