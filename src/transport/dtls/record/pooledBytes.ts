// Short-lived byte arrays (records being sent, handshake message bodies) taken from Node's shared
// allocation pool: a typed array over 64 bytes gets its own ArrayBuffer with a native backing
// store, ~350 ns to make and more for the garbage collector to sweep, against ~60 ns for a slice
// of the pool (bench/dtls.ts: several per record and a few dozen per handshake). A slice keeps
// its 8 KiB pool chunk alive while referenced, so nothing kept per connection comes from here.

/**
 * `n` uninitialised bytes (the caller writes every one) as a plain Uint8Array view into the
 * pool (pool chunks are 8 KiB: larger requests get a buffer of their own).
 */
export function pooledBytes(n: number): Uint8Array {
  const b = Buffer.allocUnsafe(n);
  return new Uint8Array(b.buffer, b.byteOffset, n);
}
