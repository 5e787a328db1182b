// RFC 7252 section 5.10 (option table) and 5.4 (critical/unsafe/NoCacheKey, validation), with the
// options of RFC 7641 (Observe), RFC 7959 (Block), RFC 7967 (No-Response), RFC 8613 (OSCORE),
// RFC 8768 (Hop-Limit), RFC 9175 (Echo, Request-Tag), RFC 9177 (Q-Block) and RFC 9668 (EDHOC).

import { BoundedMemo } from './BoundedMemo.js';
import { shortAscii } from './shortAscii.js';
import { DecodeError } from '../transport/DecodeError.js';
import { OptionNumber, type CoapMessage, type CoapOption } from './CoapMessage.js';

/** Value formats of RFC 7252 section 3.2. */
export type OptionFormat = 'empty' | 'opaque' | 'uint' | 'string';

/** One registered option: its format, allowed value length and whether it may repeat. */
export interface OptionDefinition {
  readonly number: number;
  readonly name: string;
  readonly format: OptionFormat;
  readonly minLength: number;
  readonly maxLength: number;
  readonly repeatable: boolean;
}

const O = OptionNumber;
const def = (
  number: number,
  name: string,
  format: OptionFormat,
  minLength: number,
  maxLength: number,
  repeatable = false,
): OptionDefinition => Object.freeze({ number, name, format, minLength, maxLength, repeatable });

const DEFINITIONS: ReadonlyMap<number, OptionDefinition> = new Map(
  [
    def(O.IF_MATCH, 'If-Match', 'opaque', 0, 8, true),
    def(O.URI_HOST, 'Uri-Host', 'string', 1, 255),
    def(O.ETAG, 'ETag', 'opaque', 1, 8, true),
    def(O.IF_NONE_MATCH, 'If-None-Match', 'empty', 0, 0),
    def(O.OBSERVE, 'Observe', 'uint', 0, 3),
    def(O.URI_PORT, 'Uri-Port', 'uint', 0, 2),
    def(O.LOCATION_PATH, 'Location-Path', 'string', 0, 255, true),
    def(O.OSCORE, 'OSCORE', 'opaque', 0, 255),
    def(O.URI_PATH, 'Uri-Path', 'string', 0, 255, true),
    def(O.CONTENT_FORMAT, 'Content-Format', 'uint', 0, 2),
    def(O.MAX_AGE, 'Max-Age', 'uint', 0, 4),
    def(O.URI_QUERY, 'Uri-Query', 'string', 0, 255, true),
    def(O.HOP_LIMIT, 'Hop-Limit', 'uint', 1, 1),
    def(O.ACCEPT, 'Accept', 'uint', 0, 2),
    def(O.Q_BLOCK1, 'Q-Block1', 'uint', 0, 3),
    def(O.LOCATION_QUERY, 'Location-Query', 'string', 0, 255, true),
    def(O.EDHOC, 'EDHOC', 'empty', 0, 0),
    def(O.BLOCK2, 'Block2', 'uint', 0, 3),
    def(O.BLOCK1, 'Block1', 'uint', 0, 3),
    def(O.SIZE2, 'Size2', 'uint', 0, 4),
    def(O.Q_BLOCK2, 'Q-Block2', 'uint', 0, 3),
    def(O.PROXY_URI, 'Proxy-Uri', 'string', 1, 1034),
    def(O.PROXY_SCHEME, 'Proxy-Scheme', 'string', 1, 255),
    def(O.SIZE1, 'Size1', 'uint', 0, 4),
    def(O.ECHO, 'Echo', 'opaque', 1, 40),
    def(O.NO_RESPONSE, 'No-Response', 'uint', 0, 1),
    def(O.REQUEST_TAG, 'Request-Tag', 'opaque', 0, 8, true),
  ].map((d) => [d.number, d]),
);

/** The registered definition of an option number, or undefined for an unknown option. */
export const optionDefinition = (number: number): OptionDefinition | undefined => DEFINITIONS.get(number);
/** Critical options have an odd number (RFC 7252 section 5.4.6). */
export const isCritical = (number: number): boolean => (number & 1) === 1;
/** Unsafe-to-forward options have bit 1 set (RFC 7252 section 5.4.6). */
export const isUnsafe = (number: number): boolean => (number & 2) === 2;
/** NoCacheKey options have bits 1..4 equal to 1110 (RFC 7252 section 5.4.6). */
export const isNoCacheKey = (number: number): boolean => (number & 0x1e) === 0x1c;

/** Encodes a uint option value in the fewest bytes, 0 as the empty value (RFC 7252 section 3.2). */
export function encodeUint(n: number): Uint8Array {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff)
    throw new RangeError(`uint option value ${n} not in 0..2^32-1`);
  const len = n === 0 ? 0 : n < 0x100 ? 1 : n < 0x10000 ? 2 : n < 0x1000000 ? 3 : 4;
  const out = new Uint8Array(len);
  for (let i = len - 1, v = n; i >= 0; i--, v = Math.floor(v / 256)) out[i] = v & 0xff;
  return out;
}

/** Decodes a uint option value of up to 4 bytes (leading zeros allowed); longer throws DecodeError. */
export function decodeUint(bytes: Uint8Array): number {
  if (bytes.length > 4) throw new DecodeError(`uint option of ${bytes.length} bytes (max 4)`, 4);
  let v = 0;
  for (let i = 0; i < bytes.length; i++) v = v * 256 + bytes[i]!;
  return v;
}

const utf8 = new TextEncoder();
const lenientText = new TextDecoder();
const strictText = new TextDecoder('utf-8', { fatal: true });

/** Short ASCII values (most Uri-Path and Uri-Query ones) skip the native TextEncoder/Decoder call. */
const SHORT_TEXT = 32;

/** UTF-8 bytes of `s`; a short ASCII string is copied byte by byte. */
function encodeText(s: string): Uint8Array {
  if (s.length > SHORT_TEXT) return utf8.encode(s);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) return utf8.encode(s);
    out[i] = c;
  }
  return out;
}

/** `v` decoded as UTF-8 (invalid sequences become U+FFFD); a short ASCII value char by char. */
function decodeText(v: Uint8Array): string {
  return shortAscii(v, SHORT_TEXT) ?? lenientText.decode(v);
}

/** True when every byte is ASCII (then the value is valid UTF-8 without decoding it). */
function isAscii(v: Uint8Array): boolean {
  for (let i = 0; i < v.length; i++) if (v[i]! >= 0x80) return false;
  return true;
}

/** Turns a builder value into option bytes: numbers as uint, strings as UTF-8. */
const toBytes = (value: Uint8Array | string | number): Uint8Array =>
  typeof value === 'number' ? encodeUint(value) : typeof value === 'string' ? encodeText(value) : value;

/** The value of the first option `number`, or undefined. */
export function getOption(msg: CoapMessage, number: number): Uint8Array | undefined {
  for (const o of msg.options) if (o.number === number) return o.value;
  return undefined;
}

/** The values of every option `number`, in message order. */
export function getOptions(msg: CoapMessage, number: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const o of msg.options) if (o.number === number) out.push(o.value);
  return out;
}

/** The first option `number` as a uint, or undefined; throws DecodeError for more than 4 bytes. */
export function getUintOption(msg: CoapMessage, number: number): number | undefined {
  const v = getOption(msg, number);
  return v === undefined ? undefined : decodeUint(v);
}

/** Every option `number` decoded as UTF-8 (invalid sequences become U+FFFD). */
export function getStringOptions(msg: CoapMessage, number: number): string[] {
  const out: string[] = [];
  for (const o of msg.options) if (o.number === number) out.push(decodeText(o.value));
  return out;
}

/** Uri-Path segments, e.g. ['3', '0', '1']. */
export const getUriPath = (msg: CoapMessage): string[] => getStringOptions(msg, O.URI_PATH);
/** Uri-Query arguments, e.g. ['ep=node1', 'lt=300']. */
export const getUriQuery = (msg: CoapMessage): string[] => getStringOptions(msg, O.URI_QUERY);
/** Location-Path segments, e.g. ['rd', '5a3f']. */
export const getLocationPath = (msg: CoapMessage): string[] => getStringOptions(msg, O.LOCATION_PATH);
/** The Content-Format number, or undefined. */
export const getContentFormat = (msg: CoapMessage): number | undefined =>
  getUintOption(msg, O.CONTENT_FORMAT);
/** The Accept number, or undefined. */
export const getAccept = (msg: CoapMessage): number | undefined => getUintOption(msg, O.ACCEPT);
/** The Observe value (0 register, 1 deregister in requests; a sequence number in notifications). */
export const getObserve = (msg: CoapMessage): number | undefined => getUintOption(msg, O.OBSERVE);

/** Index at which an option `number` goes: after every option with a number <= it. */
function insertionIndex(options: readonly CoapOption[], number: number): number {
  let i = options.length;
  while (i > 0 && options[i - 1]!.number > number) i--;
  return i;
}

/** Adds an option after any others of the same number, keeping number order. Returns `msg`. */
export function addOption(
  msg: CoapMessage,
  number: number,
  value: Uint8Array | string | number,
): CoapMessage {
  msg.options.splice(insertionIndex(msg.options, number), 0, { number, value: toBytes(value) });
  return msg;
}

/** Replaces every option `number` by one with `value`, keeping number order. Returns `msg`. */
export function setOption(
  msg: CoapMessage,
  number: number,
  value: Uint8Array | string | number,
): CoapMessage {
  msg.options = msg.options.filter((o) => o.number !== number);
  return addOption(msg, number, value);
}

/** Removes every option `number`. Returns `msg`. */
export function removeOption(msg: CoapMessage, number: number): CoapMessage {
  msg.options = msg.options.filter((o) => o.number !== number);
  return msg;
}

/**
 * Uri-Path options for `'/3/0/1'` or `['3', '0', '1']`. A string is split on '/' after one
 * leading '/' ('' and '/' give none; 'a/' ends with an empty segment, RFC 7252 section 6.4);
 * segments are taken literally, not percent-decoded. Throws RangeError for a segment over 255 bytes.
 */
export function uriPathOptions(path: string | string[]): CoapOption[] {
  if (typeof path !== 'string') return stringOptions(O.URI_PATH, path);
  // A server sends the same few paths over and over: their options are built once (option
  // objects and values are immutable, so messages share them) and each call gets a fresh array.
  return pathOptions.get(path).slice();
}

const pathOptions = new BoundedMemo<string, readonly CoapOption[]>(1024, (path) => {
  const s = path.startsWith('/') ? path.slice(1) : path;
  return stringOptions(O.URI_PATH, s === '' ? [] : s.split('/'));
});

/** Uri-Query options, one per argument (e.g. ['ep=node1', 'b=U']). */
export const uriQueryOptions = (query: string[]): CoapOption[] => stringOptions(O.URI_QUERY, query);

/** Location-Path options, one per segment (e.g. ['rd', '5a3f']). */
export const locationPathOptions = (segments: readonly string[]): CoapOption[] =>
  stringOptions(O.LOCATION_PATH, segments);

function stringOptions(number: number, values: readonly string[]): CoapOption[] {
  return values.map((v) => {
    const value = encodeText(v);
    if (value.length > 255) throw new RangeError(`option ${number} value of ${value.length} bytes (max 255)`);
    return { number, value };
  });
}

/** Options a request cannot be processed with (RFC 7252 sections 5.4.1 and 5.4.5). */
export interface OptionValidation {
  /** Unknown critical option numbers: a CON request with any gets 4.02 Bad Option. */
  unrecognizedCritical: number[];
  /** Known options with a bad length or format, or repeated when not repeatable. */
  badFormat: number[];
}

/** True when a value has the length and format its definition requires. */
function wellFormed(d: OptionDefinition, v: Uint8Array): boolean {
  if (v.length < d.minLength || v.length > d.maxLength) return false;
  if (d.format !== 'string' || isAscii(v)) return true;
  try {
    strictText.decode(v);
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks a request's options. Unknown elective options are ignored (5.4.1). A known option with
 * a bad value, and every supernumerary occurrence of a non-repeatable one, counts as unrecognized
 * of the same criticality (5.4.5, 5.4.1): see `rejectsWithBadOption`. Each number is listed once.
 */
export function validateRequestOptions(msg: CoapMessage): OptionValidation {
  const result: OptionValidation = { unrecognizedCritical: [], badFormat: [] };
  const opts = msg.options;
  // Options are kept in number order (CoapMessage), so a repeat sits right after an earlier
  // occurrence; a Set of the numbers seen is only made for options out of order.
  let seen: Set<number> | undefined;
  for (let i = 0; i < opts.length; i++) {
    const o = opts[i]!;
    if (seen === undefined && i > 0 && o.number < opts[i - 1]!.number)
      seen = new Set(opts.slice(0, i).map((p) => p.number));
    const repeated = seen ? seen.has(o.number) : i > 0 && opts[i - 1]!.number === o.number;
    seen?.add(o.number);
    const d = DEFINITIONS.get(o.number);
    if (d === undefined) {
      if (isCritical(o.number) && !result.unrecognizedCritical.includes(o.number))
        result.unrecognizedCritical.push(o.number);
    } else if ((!d.repeatable && repeated) || !wellFormed(d, o.value)) {
      if (!result.badFormat.includes(o.number)) result.badFormat.push(o.number);
    }
  }
  return result;
}

/**
 * True when the request has an unknown or bad critical option: a CON request is then answered
 * 4.02 Bad Option, a NON request is rejected (RST or silently dropped) (RFC 7252 section 5.4.1).
 */
export const rejectsWithBadOption = (v: OptionValidation): boolean =>
  v.unrecognizedCritical.length > 0 || v.badFormat.some(isCritical);
