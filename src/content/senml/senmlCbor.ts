// RFC 8428 section 6 (SenML CBOR) and Core TS 1.1.1 section 7.4.5: SenML records to and from
// application/senml+cbor bytes. Labels are the integers of RFC 8428 Table 4 (bn -2, bt -3, bv -5,
// n 0, v 2, vs 3, vb 4, t 6, vd 8); LwM2M's object link value uses the text label "vlo".
import { DecodeError } from '../../transport/DecodeError.js';
import type { DecodeLimits } from '../decodeLimits.js';
import { CborWriter } from './CborWriter.js';
import { readCbor, type CborItem } from './readCbor.js';
import type { SenmlNumber, SenmlRecord } from './senmlRecords.js';

/** SenML CBOR integer labels (RFC 8428 section 6, Table 4). */
export const SENML_CBOR_LABELS = Object.freeze({
  bver: -1,
  bn: -2,
  bt: -3,
  bu: -4,
  bv: -5,
  bs: -6,
  n: 0,
  u: 1,
  v: 2,
  vs: 3,
  vb: 4,
  s: 5,
  t: 6,
  ut: 7,
  vd: 8,
});

/** Integers CBOR's major types 0 and 1 hold: -2^64..2^64-1 (RFC 8949 3.1). */
const INT_MIN = -(2 ** 64);
const INT_LIMIT = 2 ** 64;

function writeNumber(w: CborWriter, n: SenmlNumber, isFloat: boolean): void {
  // A number at or past 2^64 (a decoded uint64 near its top rounds up to 2^64 as a double) has no
  // CBOR integer form: written as an integer it wrapped to 0; as a float it stays itself.
  if (isFloat || (typeof n === 'number' && (!Number.isInteger(n) || n < INT_MIN || n >= INT_LIMIT)))
    w.float(Number(n));
  else w.int(n);
}

/** Encodes records as a SenML CBOR pack, map keys in the order bn, bt, bv, n, value, t. */
export function encodeSenmlCbor(records: readonly SenmlRecord[]): Uint8Array {
  const w = new CborWriter(64 + records.length * 24);
  w.array(records.length);
  for (const r of records) {
    const count =
      (r.bn !== undefined ? 1 : 0) +
      (r.bt !== undefined ? 1 : 0) +
      (r.bv !== undefined ? 1 : 0) +
      (r.n !== undefined ? 1 : 0) +
      (r.v !== undefined ? 1 : 0) +
      (r.vs !== undefined ? 1 : 0) +
      (r.vb !== undefined ? 1 : 0) +
      (r.vd !== undefined ? 1 : 0) +
      (r.vlo !== undefined ? 1 : 0) +
      (r.t !== undefined ? 1 : 0);
    w.map(count);
    if (r.bn !== undefined) {
      w.int(-2);
      w.text(r.bn);
    }
    if (r.bt !== undefined) {
      w.int(-3);
      writeNumber(w, r.bt, false);
    }
    if (r.bv !== undefined) {
      w.int(-5);
      writeNumber(w, r.bv, false);
    }
    if (r.n !== undefined) {
      w.int(0);
      w.text(r.n);
    }
    if (r.v !== undefined) {
      w.int(2);
      writeNumber(w, r.v, r.vFloat === true);
    }
    if (r.vs !== undefined) {
      w.int(3);
      w.text(r.vs);
    }
    if (r.vb !== undefined) {
      w.int(4);
      w.bool(r.vb);
    }
    if (r.vd !== undefined) {
      w.int(8);
      w.bytes(r.vd);
    }
    if (r.vlo !== undefined) {
      w.text('vlo');
      w.text(r.vlo);
    }
    if (r.t !== undefined) {
      w.int(6);
      writeNumber(w, r.t, false);
    }
  }
  return w.finish();
}

/** Decodes a SenML CBOR pack into records; throws DecodeError for any malformed input. */
export function decodeSenmlCbor(bytes: Uint8Array, limits: DecodeLimits): SenmlRecord[] {
  const doc = readCbor(bytes, limits);
  if (doc.kind !== 'array') throw new DecodeError('a SenML CBOR pack is an array', doc.at);
  return doc.items.map(recordFromCbor);
}

function recordFromCbor(item: CborItem): SenmlRecord {
  if (item.kind !== 'map') throw new DecodeError('a SenML record is a map', item.at);
  const r: SenmlRecord = { at: item.at };
  const seen = new Set<number | bigint | string>();
  for (const [key, value] of item.entries) {
    if (key.kind !== 'int' && key.kind !== 'text')
      throw new DecodeError('a SenML label is an integer or text', key.at);
    if (seen.has(key.value)) throw new DecodeError(`duplicate SenML label ${String(key.value)}`, key.at);
    seen.add(key.value);
    switch (key.value) {
      case -2:
        r.bn = text('bn', value);
        break;
      case 0:
        r.n = text('n', value);
        break;
      case 3:
        r.vs = text('vs', value);
        break;
      case 'vlo':
        r.vlo = text('vlo', value);
        break;
      case -3:
        r.bt = num('bt', value).value;
        break;
      case -5:
        r.bv = num('bv', value).value;
        break;
      case 6:
        r.t = num('t', value).value;
        break;
      case 2: {
        const n = num('v', value);
        r.v = n.value;
        r.vFloat = n.isFloat;
        break;
      }
      case 4:
        if (value.kind !== 'simple' || typeof value.value !== 'boolean')
          throw new DecodeError('"vb" must be a boolean', value.at);
        r.vb = value.value;
        break;
      case 8:
        if (value.kind !== 'bytes') throw new DecodeError('"vd" must be a byte string', value.at);
        r.vd = value.value;
        break;
      default:
        if (typeof key.value === 'string' && key.value.endsWith('_'))
          throw new DecodeError(`mandatory SenML label "${key.value}" not understood`, key.at);
    }
  }
  return r;
}

function text(label: string, v: CborItem): string {
  if (v.kind !== 'text') throw new DecodeError(`"${label}" must be a text string`, v.at);
  return v.value;
}

function num(label: string, v: CborItem): { value: SenmlNumber; isFloat: boolean } {
  if (v.kind === 'int') return { value: v.value, isFloat: false };
  if (v.kind === 'float') return { value: v.value, isFloat: true };
  throw new DecodeError(`"${label}" must be a number`, v.at);
}
