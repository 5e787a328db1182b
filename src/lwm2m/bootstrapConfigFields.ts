// LwM2M Core TS 1.1.1 section 5.2.7 (Bootstrap configurations): strict readers of the JSON fields
// of a bootstrap config, each failing with InvalidBootstrapConfigError that names the field.
import { Lwm2mError } from './errors.js';

/** A bootstrap config (or a part of it) that is not valid; renders as 4.00 / HTTP 400. */
export class InvalidBootstrapConfigError extends Lwm2mError {
  constructor(
    /** Dotted path of the offending field, e.g. 'security.0.secretKey' ('' for the whole config). */
    readonly field: string,
    /** Why it is invalid. */
    readonly reason: string,
  ) {
    super(field ? `${field}: ${reason}` : reason, 'LWM2M_INVALID_BOOTSTRAP_CONFIG', 0x80);
  }
}

/** A JSON object. */
export type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const join = (at: string, key: string): string => (at ? `${at}.${key}` : key);
const fail = (at: string, key: string, reason: string): never => {
  throw new InvalidBootstrapConfigError(join(at, key), reason);
};
const HEX = /^(?:[0-9a-fA-F]{2})*$/;
const ID = /^(0|[1-9][0-9]{0,4})$/;

/** Field readers: `at` is the dotted path of `o` itself. */
export const J = {
  /** `json` as an object, else throws. */
  root(json: unknown): Obj {
    if (!isObj(json)) throw new InvalidBootstrapConfigError('', 'must be a JSON object');
    return json;
  },
  /** Throws for any key of `o` not in `allowed` (a typo must not pass silently). */
  only(o: Obj, at: string, allowed: readonly string[]): void {
    for (const k of Object.keys(o)) if (!allowed.includes(k)) fail(at, k, 'is not a known field');
  },
  /** A required string. */
  string(o: Obj, key: string, at: string): string {
    const v = o[key];
    return typeof v === 'string' ? v : fail(at, key, 'must be a string');
  },
  /** An optional boolean. */
  optBoolean(o: Obj, key: string, at: string): boolean | undefined {
    const v = o[key];
    return v === undefined || typeof v === 'boolean' ? v : fail(at, key, 'must be true or false');
  },
  /** A required integer in [min, max]. */
  int(o: Obj, key: string, at: string, min: number, max: number): number {
    const v = o[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
      return fail(at, key, `must be an integer from ${min} to ${max}`);
    return v;
  },
  /** An optional integer in [min, max]. */
  optInt(o: Obj, key: string, at: string, min: number, max: number): number | undefined {
    return o[key] === undefined ? undefined : J.int(o, key, at, min, max);
  },
  /** A required object. */
  object(o: Obj, key: string, at: string): Obj {
    const v = o[key];
    return isObj(v) ? v : fail(at, key, 'must be an object');
  },
  /** An optional object. */
  optObject(o: Obj, key: string, at: string): Obj | undefined {
    return o[key] === undefined ? undefined : J.object(o, key, at);
  },
  /** Optional bytes: a hex string, or `{ "text": "..." }` for UTF-8 text. */
  optBytes(o: Obj, key: string, at: string): Uint8Array | undefined {
    const v = o[key];
    if (v === undefined) return undefined;
    if (typeof v === 'string') {
      if (!HEX.test(v)) return fail(at, key, 'must be hex (an even number of 0-9a-f digits)');
      return Uint8Array.from(Buffer.from(v, 'hex'));
    }
    if (isObj(v) && typeof v.text === 'string' && Object.keys(v).length === 1)
      return new TextEncoder().encode(v.text);
    return fail(at, key, 'must be a hex string or { "text": "..." }');
  },
  /** A decimal id key in [min, max]. */
  id(key: string, at: string, min: number, max: number): number {
    if (!ID.test(key) || Number(key) < min || Number(key) > max)
      return fail(at, key, `is not an id from ${min} to ${max}`);
    return Number(key);
  },
};
