// RFC 8428 sections 4.1-4.6 and Core TS 1.1.1 sections 7.4.4/7.4.5: SenML records as LwM2M uses
// them, and the resolution of base name, base time and base value into absolute records.
import { DecodeError } from '../../transport/DecodeError.js';

/** A SenML number: an integer (number when safe, bigint beyond) or a float. */
export type SenmlNumber = number | bigint;

/** One SenML record with the fields LwM2M uses (others are skipped when decoding). */
export interface SenmlRecord {
  /** Base name (RFC 8428 `bn`); applies to this and later records until replaced. */
  bn?: string;
  /** Base time (`bt`), seconds. */
  bt?: SenmlNumber;
  /** Base value (`bv`), added to `v` of this and later records. */
  bv?: SenmlNumber;
  /** Name (`n`), appended to the base name. */
  n?: string;
  /** Numeric value (`v`); `vFloat` tells a float apart from an integral number. */
  v?: SenmlNumber;
  /** True when `v` was written as a float (a JSON fraction/exponent, a CBOR float). */
  vFloat?: boolean;
  /** String value (`vs`). */
  vs?: string;
  /** Boolean value (`vb`). */
  vb?: boolean;
  /** Data value (`vd`): bytes (base64url text in JSON). */
  vd?: Uint8Array;
  /** Object link value (`vlo`, Core TS 1.1.1 section 7.4.4): "objectId:instanceId". */
  vlo?: string;
  /** Time (`t`), seconds, relative to the base time. */
  t?: SenmlNumber;
  /** Offset of the record in the payload, for error reports. */
  at?: number;
}

/** A record after base resolution: absolute name and time, one value at most. */
export interface ResolvedRecord {
  readonly name: string;
  /** bt + t; undefined when neither was given. */
  readonly time?: number;
  readonly v?: SenmlNumber;
  readonly vFloat?: boolean;
  readonly vs?: string;
  readonly vb?: boolean;
  readonly vd?: Uint8Array;
  readonly vlo?: string;
  readonly at: number;
}

/** Counts the value fields of a record (v, vs, vb, vd, vlo). */
export function valueFieldCount(r: SenmlRecord | ResolvedRecord): number {
  return (
    (r.v !== undefined ? 1 : 0) +
    (r.vs !== undefined ? 1 : 0) +
    (r.vb !== undefined ? 1 : 0) +
    (r.vd !== undefined ? 1 : 0) +
    (r.vlo !== undefined ? 1 : 0)
  );
}

function addNumbers(a: SenmlNumber, b: SenmlNumber): SenmlNumber {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a + b;
  if (typeof a === 'bigint' || typeof b === 'bigint') {
    const [x, y] = [a, b].map((n) => (typeof n === 'number' && Number.isInteger(n) ? BigInt(n) : n));
    if (typeof x === 'bigint' && typeof y === 'bigint') return x + y;
  }
  return Number(a) + Number(b);
}

/**
 * Resolves base fields (RFC 8428 section 4.6): name = bn + n, time = bt + t, v = bv + v.
 * Throws DecodeError for a record with more than one value field.
 */
export function resolveRecords(records: readonly SenmlRecord[]): ResolvedRecord[] {
  let bn = '';
  let bt: SenmlNumber | undefined;
  let bv: SenmlNumber | undefined;
  const out: ResolvedRecord[] = [];
  for (const r of records) {
    const at = r.at ?? 0;
    if (r.bn !== undefined) bn = r.bn;
    if (r.bt !== undefined) bt = r.bt;
    if (r.bv !== undefined) bv = r.bv;
    if (valueFieldCount(r) > 1) throw new DecodeError('a SenML record carries more than one value', at);
    let time: number | undefined;
    if (bt !== undefined || r.t !== undefined) time = Number(addNumbers(bt ?? 0, r.t ?? 0));
    // RFC 8428 4.5.3: a time is a number of seconds; a CBOR float infinity or NaN (or their sum) is none
    if (time !== undefined && !Number.isFinite(time)) throw new DecodeError('a SenML time is not finite', at);
    let v = r.v;
    if (v !== undefined && bv !== undefined) v = addNumbers(bv, v);
    out.push({
      name: bn + (r.n ?? ''),
      time,
      v,
      vFloat: r.vFloat,
      vs: r.vs,
      vb: r.vb,
      vd: r.vd,
      vlo: r.vlo,
      at,
    });
  }
  return out;
}
