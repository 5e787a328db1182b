// A growable byte buffer for encoders (STYLE.md pattern 2): capacity doubles on demand, `reset()`
// makes it reusable, and `view()` hands the written bytes to `socket.send` without copying.

/** Thrown when a write would grow a ByteWriter past its configured maximum capacity. */
export class ByteWriterOverflowError extends RangeError {
  /** Stable machine-readable code. */
  readonly code = 'COAP_WRITER_OVERFLOW';
  constructor(requested: number, max: number) {
    super(`ByteWriter needs ${requested} bytes, more than its maximum of ${max}`);
    this.name = 'ByteWriterOverflowError';
  }
}

/** A growable, reusable byte writer. Views it returns stay valid until the next write or reset. */
export class ByteWriter {
  private buf: Uint8Array;
  private len = 0;

  /** `initialCapacity` defaults to 256 bytes; `maxCapacity` (default 16 MiB) bounds growth. */
  constructor(
    initialCapacity = 256,
    private readonly maxCapacity = 16 * 1024 * 1024,
  ) {
    this.buf = new Uint8Array(Math.max(1, Math.min(initialCapacity, maxCapacity)));
  }

  /** Number of bytes written since the last reset. */
  get length(): number {
    return this.len;
  }

  /** Current capacity of the underlying buffer. */
  get capacity(): number {
    return this.buf.length;
  }

  /** The underlying buffer (valid until the writer grows); use with `reserve()` for direct writes. */
  get buffer(): Uint8Array {
    return this.buf;
  }

  /** Forgets the written bytes and keeps the capacity for the next message. */
  reset(): void {
    this.len = 0;
  }

  /** Makes room for `n` more bytes, doubling the capacity as often as needed. */
  ensure(n: number): void {
    const need = this.len + n;
    if (need <= this.buf.length) return;
    if (need > this.maxCapacity) throw new ByteWriterOverflowError(need, this.maxCapacity);
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const next = new Uint8Array(Math.min(cap, this.maxCapacity));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  /** Reserves `n` bytes and returns their offset in `buffer`; the caller fills them in. */
  reserve(n: number): number {
    this.ensure(n);
    const at = this.len;
    this.len += n;
    return at;
  }

  /** Appends one byte (the low 8 bits of `v`). */
  writeUint8(v: number): void {
    this.ensure(1);
    this.buf[this.len++] = v;
  }

  /** Appends a 16-bit unsigned integer in network byte order. */
  writeUint16(v: number): void {
    this.ensure(2);
    this.buf[this.len++] = v >>> 8;
    this.buf[this.len++] = v;
  }

  /** Appends a 32-bit unsigned integer in network byte order. */
  writeUint32(v: number): void {
    this.ensure(4);
    const b = this.buf;
    b[this.len++] = v >>> 24;
    b[this.len++] = v >>> 16;
    b[this.len++] = v >>> 8;
    b[this.len++] = v;
  }

  /** Appends the bytes of `src`. */
  writeBytes(src: Uint8Array): void {
    this.ensure(src.length);
    this.buf.set(src, this.len);
    this.len += src.length;
  }

  /** The written bytes as a view on the internal buffer (no copy; valid until the next write or reset). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }

  /** A copy of the written bytes, safe to keep after the writer is reused. */
  bytes(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}
