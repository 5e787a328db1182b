// Text of short ASCII byte strings without a call into the native TextDecoder, which costs more
// than building a few characters in JavaScript (in isolation 61 against 44 ns per short value;
// in a server's notification profile the native decode of a 2-byte value was about 1% of its
// CPU): Uri-Path and Uri-Query options, and the small text values of reads and notifications.
// ASCII is valid UTF-8 and decodes the same under every UTF-8 decoder (no byte of it can start a
// BOM), so callers fall back to their decoder only for longer or non-ASCII input.

/** The text of `bytes` when it is at most `max` bytes, all ASCII; undefined otherwise. */
export function shortAscii(bytes: Uint8Array, max: number): string | undefined {
  if (bytes.length > max) return undefined;
  let s = '';
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c >= 0x80) return undefined;
    s += String.fromCharCode(c);
  }
  return s;
}
