// A view of a byte array that counts how many times a decoder reads one of its bytes by index,
// so a test can bound a decoder's work by count ("stops at the limit", "reads each byte once")
// instead of by wall-clock time. Non-index properties (length, buffer, subarray…) are served by
// the real array, so the decoder sees an ordinary Uint8Array.

/** A Uint8Array stand-in and the number of indexed reads made on it so far. */
export interface CountingBytes {
  readonly bytes: Uint8Array;
  readonly reads: () => number;
}

/** Wraps `bytes`; each `bytes[i]` read through the result counts one. */
export function countingBytes(bytes: Uint8Array): CountingBytes {
  let reads = 0;
  const proxy = new Proxy(bytes, {
    get(target, prop) {
      if (typeof prop === 'string' && /^\d+$/.test(prop)) {
        reads++;
        return target[Number(prop)];
      }
      // Typed-array getters and methods only accept the real array as `this`.
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { bytes: proxy, reads: () => reads };
}
