// RFC 3629 (UTF-8): strict decoding for content codecs, reporting where invalid input starts.
import { shortAscii } from '../coap/shortAscii.js';
import { DecodeError } from '../transport/DecodeError.js';

/** Values up to this many bytes that are all ASCII are decoded without the native decoder. */
const SHORT_ASCII = 32;

const fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8 = new TextEncoder();

/** UTF-8 bytes of a string. */
export function encodeUtf8(s: string): Uint8Array {
  return utf8.encode(s);
}

/** Offset of the first byte that does not start a valid UTF-8 sequence (RFC 3629 section 4), or -1. */
export function invalidUtf8Offset(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    let n: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c < 0x80) n = 0;
    else if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      if (c === 0xe0) lo = 0xa0;
      if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f;
    } else return i;
    if (i + n >= b.length && n > 0) return i;
    for (let k = 1; k <= n; k++) {
      const x = b[i + k]!;
      if (x < (k === 1 ? lo : 0x80) || x > (k === 1 ? hi : 0xbf)) return i;
    }
    i += n + 1;
  }
  return -1;
}

/** Decodes strict UTF-8; throws DecodeError at `base` + the offset of the first invalid byte. */
export function decodeUtf8(bytes: Uint8Array, base = 0): string {
  const ascii = shortAscii(bytes, SHORT_ASCII);
  if (ascii !== undefined) return ascii;
  try {
    return fatal.decode(bytes);
  } catch {
    throw new DecodeError('invalid UTF-8', base + Math.max(0, invalidUtf8Offset(bytes)));
  }
}
