// DER (ITU-T X.690 section 10) for the few X.509 structures the DTLS layer reads and writes
// itself: node:crypto's X509Certificate parses and verifies certificates but exposes neither the
// keyUsage bits, the basicConstraints path length, the critical flags nor a way to issue one.
// The reader is strict (definite lengths in their minimal form, no indefinite length, bounded
// depth) and throws DecodeError; the writer emits DER only.

import { DecodeError } from '../../DecodeError.js';

/** Universal tags used here. */
export const Tag = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** One decoded TLV: its tag byte and where its contents lie in the input. */
export interface DerNode {
  readonly tag: number;
  /** Offset of the tag byte. */
  readonly start: number;
  /** Offset of the first content byte. */
  readonly contentStart: number;
  /** Offset just past the contents. */
  readonly end: number;
}

/** Reads the TLV at `at` (within `limit`); multi-byte tags are refused (X.509 uses none). */
export function readNode(bytes: Uint8Array, at: number, limit = bytes.length): DerNode {
  if (at + 2 > limit) throw new DecodeError('DER element truncated', at, 'truncated');
  const tag = bytes[at]!;
  if ((tag & 0x1f) === 0x1f) throw new DecodeError('multi-byte DER tag', at);
  let length = bytes[at + 1]!;
  let contentStart = at + 2;
  if (length & 0x80) {
    const n = length & 0x7f;
    if (n === 0) throw new DecodeError('indefinite length is not DER', at + 1);
    if (n > 3) throw new DecodeError('DER length too large', at + 1, 'limit');
    if (contentStart + n > limit) throw new DecodeError('DER length truncated', at + 1, 'truncated');
    length = 0;
    for (let i = 0; i < n; i++) length = (length << 8) | bytes[contentStart + i]!;
    if (bytes[contentStart] === 0 || length < 0x80) throw new DecodeError('DER length not minimal', at + 1);
    contentStart += n;
  }
  const end = contentStart + length;
  if (end > limit) throw new DecodeError('DER contents truncated', at, 'truncated');
  return { tag, start: at, contentStart, end };
}

/** The children of a constructed node, in order. */
export function children(bytes: Uint8Array, node: DerNode): DerNode[] {
  if ((node.tag & 0x20) === 0) throw new DecodeError('DER element is not constructed', node.start);
  const out: DerNode[] = [];
  for (let at = node.contentStart; at < node.end;) {
    const child = readNode(bytes, at, node.end);
    out.push(child);
    at = child.end;
    if (out.length > 4096) throw new DecodeError('too many DER elements', at, 'limit');
  }
  return out;
}

/** The node's contents. */
export function contents(bytes: Uint8Array, node: DerNode): Uint8Array {
  return bytes.subarray(node.contentStart, node.end);
}

/** Checks the tag, for readable errors. */
export function expectTag(node: DerNode, tag: number, what: string): DerNode {
  if (node.tag !== tag)
    throw new DecodeError(
      `${what}: expected DER tag 0x${tag.toString(16)}, got 0x${node.tag.toString(16)}`,
      node.start,
    );
  return node;
}

/** An OBJECT IDENTIFIER's dotted form. */
export function readOid(bytes: Uint8Array, node: DerNode): string {
  expectTag(node, Tag.OID, 'object identifier');
  const arcs: number[] = [];
  let value = 0;
  let started = false;
  for (let i = node.contentStart; i < node.end; i++) {
    const b = bytes[i]!;
    if (!started && b === 0x80) throw new DecodeError('OID arc not minimal', i);
    started = true;
    value = value * 128 + (b & 0x7f);
    if (value > Number.MAX_SAFE_INTEGER / 128) throw new DecodeError('OID arc too large', i, 'limit');
    if ((b & 0x80) === 0) {
      arcs.push(value);
      value = 0;
      started = false;
    }
  }
  if (started || arcs.length === 0) throw new DecodeError('OID truncated', node.end, 'truncated');
  const first = arcs[0]!;
  const head = first < 40 ? [0, first] : first < 80 ? [1, first - 40] : [2, first - 80];
  return [...head, ...arcs.slice(1)].join('.');
}

/** A BOOLEAN (DER: 0x00 or 0xff). */
export function readBoolean(bytes: Uint8Array, node: DerNode): boolean {
  expectTag(node, Tag.BOOLEAN, 'boolean');
  if (node.end - node.contentStart !== 1) throw new DecodeError('BOOLEAN must be one byte', node.start);
  const v = bytes[node.contentStart]!;
  if (v !== 0 && v !== 0xff) throw new DecodeError('BOOLEAN not in DER form', node.contentStart);
  return v === 0xff;
}

/** A small non-negative INTEGER (path lengths and such). */
export function readSmallInteger(bytes: Uint8Array, node: DerNode): number {
  expectTag(node, Tag.INTEGER, 'integer');
  const n = node.end - node.contentStart;
  if (n < 1 || n > 4) throw new DecodeError('INTEGER out of range', node.start, 'limit');
  if (bytes[node.contentStart]! & 0x80) throw new DecodeError('negative INTEGER', node.contentStart);
  let v = 0;
  for (let i = node.contentStart; i < node.end; i++) v = v * 256 + bytes[i]!;
  return v;
}

/** A BIT STRING's bits, first bit first (named-bit lists such as keyUsage). */
export function readBits(bytes: Uint8Array, node: DerNode): boolean[] {
  expectTag(node, Tag.BIT_STRING, 'bit string');
  if (node.end === node.contentStart)
    throw new DecodeError('BIT STRING without its unused-bits byte', node.start);
  const unused = bytes[node.contentStart]!;
  const octets = node.end - node.contentStart - 1;
  if (unused > 7 || (octets === 0 && unused !== 0))
    throw new DecodeError('bad BIT STRING padding', node.contentStart);
  const bits: boolean[] = [];
  for (let i = 0; i < octets * 8 - unused; i++)
    bits.push(((bytes[node.contentStart + 1 + (i >> 3)]! >> (7 - (i & 7))) & 1) === 1);
  return bits;
}

// ---------------------------------------------------------------------------------------------
// Writer

function lengthBytes(n: number): number[] {
  if (n < 0x80) return [n];
  const out: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff);
  return [0x80 | out.length, ...out];
}

/** One TLV from a tag and its contents. */
export function tlv(tag: number, ...parts: readonly Uint8Array[]): Buffer {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([tag, ...lengthBytes(body.length)]), body]);
}

export const sequence = (...parts: readonly Uint8Array[]): Buffer => tlv(Tag.SEQUENCE, ...parts);
export const set = (...parts: readonly Uint8Array[]): Buffer => tlv(Tag.SET, ...parts);
/** `[n] EXPLICIT` around one element. */
export const explicit = (n: number, inner: Uint8Array): Buffer => tlv(0xa0 | n, inner);

/** A non-negative INTEGER from big-endian magnitude bytes (leading zeros trimmed, sign byte added). */
export function integer(magnitude: Uint8Array | number): Buffer {
  let bytes: Buffer;
  if (typeof magnitude === 'number') {
    if (!Number.isSafeInteger(magnitude) || magnitude < 0) throw new RangeError(`bad INTEGER ${magnitude}`);
    const hex = magnitude.toString(16);
    bytes = Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
  } else bytes = Buffer.from(magnitude);
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  bytes = bytes.subarray(i);
  if (bytes.length === 0) bytes = Buffer.from([0]);
  if (bytes[0]! & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return tlv(Tag.INTEGER, bytes);
}

export const boolean = (v: boolean): Buffer => tlv(Tag.BOOLEAN, Buffer.from([v ? 0xff : 0]));
export const octetString = (b: Uint8Array): Buffer => tlv(Tag.OCTET_STRING, b);
export const utf8String = (s: string): Buffer => tlv(Tag.UTF8_STRING, Buffer.from(s, 'utf8'));
export const printableString = (s: string): Buffer => tlv(Tag.PRINTABLE_STRING, Buffer.from(s, 'latin1'));

/** A BIT STRING of whole octets (keys, signatures). */
export const bitString = (b: Uint8Array): Buffer => tlv(Tag.BIT_STRING, Buffer.from([0]), b);

/** A named-bit BIT STRING (X.690 11.2.2: trailing zero bits removed). */
export function namedBits(bits: readonly boolean[]): Buffer {
  let last = bits.lastIndexOf(true);
  if (last < 0) return tlv(Tag.BIT_STRING, Buffer.from([0]));
  const octets = Buffer.alloc((last >> 3) + 1);
  for (let i = 0; i <= last; i++) if (bits[i]) octets[i >> 3]! |= 0x80 >> (i & 7);
  last += 1;
  return tlv(Tag.BIT_STRING, Buffer.from([(8 - (last & 7)) & 7]), octets);
}

/** An OBJECT IDENTIFIER from its dotted form. */
export function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map((a) => {
    if (!/^\d+$/.test(a)) throw new RangeError(`bad OID ${dotted}`);
    return Number(a);
  });
  if (arcs.length < 2 || arcs[0]! > 2) throw new RangeError(`bad OID ${dotted}`);
  const out: number[] = [];
  for (const arc of [arcs[0]! * 40 + arcs[1]!, ...arcs.slice(2)]) {
    const groups: number[] = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) groups.unshift((v & 0x7f) | 0x80);
    out.push(...groups);
  }
  return tlv(Tag.OID, Buffer.from(out));
}

/** RFC 5280 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050, both in UTC to the second. */
export function time(ms: number): Buffer {
  const d = new Date(Math.floor(ms / 1000) * 1000);
  const y = d.getUTCFullYear();
  if (y < 1950 || y > 9999) throw new RangeError(`certificate time out of range: ${d.toISOString()}`);
  const rest = [d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()]
    .map((v) => String(v).padStart(2, '0'))
    .join('');
  return y < 2050
    ? tlv(Tag.UTC_TIME, Buffer.from(`${String(y % 100).padStart(2, '0')}${rest}Z`, 'latin1'))
    : tlv(Tag.GENERALIZED_TIME, Buffer.from(`${y}${rest}Z`, 'latin1'));
}
