// OMA LwM2M Core TS 1.0.2 section 6.4.4 (JSON, application/vnd.oma.lwm2m+json, 11543): the
// {"bn", "bt", "e": [{"n", "v"|"sv"|"bv"|"ov", "t"}]} document to and from SenML-style records,
// so the SenML records ↔ nodes level serves this format too. Decoding is strict: unknown members,
// wrong member types and more than one value in an entry are rejected.
import { DecodeError } from '../../transport/DecodeError.js';
import type { DecodeLimits } from '../decodeLimits.js';
import { formatJsonNumber, parseJsonNumber } from '../senml/senmlJson.js';
import { resolveRecords, type SenmlRecord } from '../senml/senmlRecords.js';
import { parseStrictJson, type JsonValue } from '../senml/strictJson.js';

const textEncoder = new TextEncoder();

/**
 * Encodes records as an LwM2M JSON document. The base name is kept when only the first record
 * sets one; otherwise every entry carries its full name. A time shared by all entries becomes
 * "bt"; otherwise each timed entry carries its absolute "t".
 */
export function encodeLwm2mJson(records: readonly SenmlRecord[]): Uint8Array {
  const resolved = resolveRecords(records);
  const singleBase = records.every((r, i) => i === 0 || r.bn === undefined);
  const bn = singleBase ? records[0]?.bn : undefined;
  const times = resolved.map((r) => (r.time === 0 ? undefined : r.time));
  const shared = times.length > 0 && times.every((t) => t === times[0]) ? times[0] : undefined;
  const entries = resolved.map((r, i) => {
    const f: string[] = [];
    const n = singleBase ? records[i]!.n : r.name;
    if (n !== undefined) f.push(`"n":${JSON.stringify(n)}`);
    if (r.v !== undefined) f.push(`"v":${formatJsonNumber(r.v, r.vFloat)}`);
    if (r.vs !== undefined) f.push(`"sv":${JSON.stringify(r.vs)}`);
    if (r.vb !== undefined) f.push(`"bv":${r.vb}`);
    if (r.vlo !== undefined) f.push(`"ov":${JSON.stringify(r.vlo)}`);
    if (r.vd !== undefined) throw new RangeError('LwM2M JSON carries opaque values as base64 "sv"');
    const t = times[i];
    if (shared === undefined && t !== undefined) f.push(`"t":${formatJsonNumber(t, !Number.isInteger(t))}`);
    return `{${f.join(',')}}`;
  });
  const head: string[] = [];
  if (bn !== undefined) head.push(`"bn":${JSON.stringify(bn)}`);
  if (shared !== undefined) head.push(`"bt":${formatJsonNumber(shared, !Number.isInteger(shared))}`);
  head.push(`"e":[${entries.join(',')}]`);
  return textEncoder.encode(`{${head.join(',')}}`);
}

/** Decodes an LwM2M JSON document into records (bn/bt on the first); throws DecodeError when malformed. */
export function decodeLwm2mJson(bytes: Uint8Array, limits: DecodeLimits): SenmlRecord[] {
  const doc = parseStrictJson(bytes, limits);
  if (doc.kind !== 'object') throw new DecodeError('an LwM2M JSON document is an object', doc.at);
  let bn: string | undefined;
  let bt: number | bigint | undefined;
  let e: JsonValue | undefined;
  for (const [name, value] of doc.members) {
    if (name === 'bn') bn = str(name, value);
    else if (name === 'bt') bt = num(name, value).value;
    else if (name === 'e') e = value;
    else throw new DecodeError(`unknown LwM2M JSON member "${name.slice(0, 20)}"`, value.at);
  }
  if (e === undefined) throw new DecodeError('an LwM2M JSON document needs "e"', doc.at);
  if (e.kind !== 'array') throw new DecodeError('"e" must be an array', e.at);
  const records = e.items.map(entryFromJson);
  if (records[0]) {
    if (bn !== undefined) records[0].bn = bn;
    if (bt !== undefined) records[0].bt = bt;
  }
  return records;
}

function entryFromJson(item: JsonValue): SenmlRecord {
  if (item.kind !== 'object') throw new DecodeError('an LwM2M JSON entry is an object', item.at);
  const r: SenmlRecord = { at: item.at };
  let values = 0;
  for (const [name, value] of item.members) {
    switch (name) {
      case 'n':
        r.n = str(name, value);
        break;
      case 't':
        r.t = num(name, value).value;
        break;
      case 'v': {
        const n = num(name, value);
        r.v = n.value;
        r.vFloat = n.isFloat;
        values++;
        break;
      }
      case 'sv':
        r.vs = str(name, value);
        values++;
        break;
      case 'ov':
        r.vlo = str(name, value);
        values++;
        break;
      case 'bv':
        if (value.kind !== 'boolean') throw new DecodeError('"bv" must be a boolean', value.at);
        r.vb = value.value;
        values++;
        break;
      default:
        throw new DecodeError(`unknown LwM2M JSON entry member "${name.slice(0, 20)}"`, value.at);
    }
  }
  if (values > 1) throw new DecodeError('an LwM2M JSON entry carries more than one value', item.at);
  return r;
}

function str(name: string, v: JsonValue): string {
  if (v.kind !== 'string') throw new DecodeError(`"${name}" must be a string`, v.at);
  return v.value;
}

function num(name: string, v: JsonValue): { value: number | bigint; isFloat: boolean } {
  if (v.kind !== 'number') throw new DecodeError(`"${name}" must be a number`, v.at);
  return parseJsonNumber(v.raw, v.at);
}
