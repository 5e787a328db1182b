// RFC 8428 section 5 (SenML JSON) and Core TS 1.1.1 section 7.4.4: SenML records to and from
// application/senml+json bytes. Decoding is strict: only the shapes RFC 8428 allows, no duplicate
// labels, and mandatory-to-understand labels (ending in "_", section 4.4) rejected.
import { DecodeError } from '../../transport/DecodeError.js';
import type { DecodeLimits } from '../decodeLimits.js';
import type { SenmlNumber, SenmlRecord } from './senmlRecords.js';
import { parseStrictJson, type JsonValue } from './strictJson.js';

const textEncoder = new TextEncoder();

/** Formats a SenML number for JSON; floats keep a fraction or exponent so they read back as floats. */
export function formatJsonNumber(n: SenmlNumber, isFloat = false): string {
  if (typeof n === 'bigint') return n.toString();
  if (!Number.isFinite(n)) throw new RangeError(`${n} cannot be written in JSON`);
  if (!isFloat) return String(n);
  if (Object.is(n, -0)) return '-0.0';
  const s = String(n);
  return /[.e]/.test(s) ? s : s + '.0';
}

/** Parses a JSON number lexeme: integral lexemes give exact integers, others floats. */
export function parseJsonNumber(raw: string, at: number): { value: SenmlNumber; isFloat: boolean } {
  if (raw.length > 400) throw new DecodeError('number too long', at, 'limit');
  if (/[.eE]/.test(raw)) {
    const value = Number(raw);
    if (!Number.isFinite(value)) throw new DecodeError('number out of float range', at);
    return { value, isFloat: true };
  }
  if (raw.length > 21) throw new DecodeError('integer out of 64-bit range', at);
  const big = BigInt(raw);
  const safe = big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER);
  return { value: safe ? Number(big) : big, isFloat: false };
}

/** Base64url without padding (RFC 8428 section 5: `vd`). */
export function toBase64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

/** Strict base64url without padding to bytes; undefined when not canonical. */
export function fromBase64Url(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return undefined;
  const bytes = new Uint8Array(Buffer.from(text, 'base64url'));
  return toBase64Url(bytes) === text ? bytes : undefined;
}

/** Encodes records as a SenML JSON pack, fields in the order bn, bt, bv, n, value, t. */
export function encodeSenmlJson(records: readonly SenmlRecord[]): Uint8Array {
  const parts: string[] = [];
  for (const r of records) {
    const f: string[] = [];
    if (r.bn !== undefined) f.push(`"bn":${JSON.stringify(r.bn)}`);
    if (r.bt !== undefined) f.push(`"bt":${formatJsonNumber(r.bt, !Number.isInteger(r.bt))}`);
    if (r.bv !== undefined) f.push(`"bv":${formatJsonNumber(r.bv, !Number.isInteger(r.bv))}`);
    if (r.n !== undefined) f.push(`"n":${JSON.stringify(r.n)}`);
    if (r.v !== undefined) f.push(`"v":${formatJsonNumber(r.v, r.vFloat)}`);
    if (r.vs !== undefined) f.push(`"vs":${JSON.stringify(r.vs)}`);
    if (r.vb !== undefined) f.push(`"vb":${r.vb}`);
    if (r.vd !== undefined) f.push(`"vd":"${toBase64Url(r.vd)}"`);
    if (r.vlo !== undefined) f.push(`"vlo":${JSON.stringify(r.vlo)}`);
    if (r.t !== undefined) f.push(`"t":${formatJsonNumber(r.t, !Number.isInteger(r.t))}`);
    parts.push(`{${f.join(',')}}`);
  }
  return textEncoder.encode(`[${parts.join(',')}]`);
}

/** Decodes a SenML JSON pack into records; throws DecodeError for any malformed input. */
export function decodeSenmlJson(bytes: Uint8Array, limits: DecodeLimits): SenmlRecord[] {
  const doc = parseStrictJson(bytes, limits);
  if (doc.kind !== 'array') throw new DecodeError('a SenML JSON pack is an array', doc.at);
  return doc.items.map(recordFromJson);
}

function recordFromJson(item: JsonValue): SenmlRecord {
  if (item.kind !== 'object') throw new DecodeError('a SenML record is an object', item.at);
  const r: SenmlRecord = { at: item.at };
  for (const [label, value] of item.members) {
    switch (label) {
      case 'bn':
      case 'n':
      case 'vs':
      case 'vlo':
        r[label] = str(label, value);
        break;
      case 'bt':
      case 'bv':
      case 't':
        r[label] = num(label, value).value;
        break;
      case 'v': {
        const n = num(label, value);
        r.v = n.value;
        r.vFloat = n.isFloat;
        break;
      }
      case 'vb':
        if (value.kind !== 'boolean') throw new DecodeError('"vb" must be a boolean', value.at);
        r.vb = value.value;
        break;
      case 'vd': {
        const bytes = fromBase64Url(str(label, value));
        if (!bytes) throw new DecodeError('"vd" is not base64url', value.at);
        r.vd = bytes;
        break;
      }
      case 'bu':
      case 'u':
      case 'ut':
      case 'bver':
      case 'bs':
      case 's':
        break; // understood and not used by LwM2M
      default:
        if (label.endsWith('_'))
          throw new DecodeError(`mandatory SenML label "${label}" not understood`, value.at);
    }
  }
  return r;
}

function str(label: string, v: JsonValue): string {
  if (v.kind !== 'string') throw new DecodeError(`"${label}" must be a string`, v.at);
  return v.value;
}

function num(label: string, v: JsonValue): { value: SenmlNumber; isFloat: boolean } {
  if (v.kind !== 'number') throw new DecodeError(`"${label}" must be a number`, v.at);
  return parseJsonNumber(v.raw, v.at);
}
