// LwM2M Core TS 1.1.1 Appendix C (data types): the text of a typed input turned into the JSON value
// the REST API takes (nodeFromJson.ts on the server), with the model's numeric range checked first.
// Opaque as hex or base64, time as a local date-time, objlnk as "objectId:instanceId".

/** How an opaque value is typed. */
export type OpaqueEncoding = 'hex' | 'base64';

/** The JSON of a write, or a message saying what is wrong. */
export type Parsed =
  | { readonly ok: true; readonly value: string | number | boolean }
  | { readonly ok: false; readonly error: string };

/** The bounds of a RangeEnumeration such as "0..100" or "-40.5..85" (others: none). */
export function numericRange(range: string): { min: number; max: number } | undefined {
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*\.\.\s*(-?\d+(?:\.\d+)?)\s*$/.exec(range);
  return m ? { min: Number(m[1]), max: Number(m[2]) } : undefined;
}

const fail = (error: string): Parsed => ({ ok: false, error });

function inRange(n: number, range: string): Parsed | undefined {
  const r = numericRange(range);
  return r && (n < r.min || n > r.max) ? fail(`must be within ${r.min}..${r.max}`) : undefined;
}

function hexToBase64(hex: string): string | undefined {
  const clean = hex.replace(/[\s:]/g, '');
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean)) return undefined;
  let bin = '';
  for (let i = 0; i < clean.length; i += 2) bin += String.fromCharCode(parseInt(clean.slice(i, i + 2), 16));
  return btoa(bin);
}

/** The JSON value of `text` for a resource of `type` (and `range`). */
export function parseValue(type: string, text: string, range = '', opaque: OpaqueEncoding = 'hex'): Parsed {
  const t = text.trim();
  switch (type) {
    case 'integer':
    case 'unsignedInteger': {
      if (!/^-?\d+$/.test(t)) return fail('must be a whole number');
      if (type === 'unsignedInteger' && t.startsWith('-')) return fail('must be 0 or more');
      const n = Number(t);
      // Beyond 2^53 a JSON number is not exact: the API takes a decimal string.
      return inRange(n, range) ?? { ok: true, value: Number.isSafeInteger(n) ? n : t };
    }
    case 'float': {
      const n = Number(t);
      if (t === '' || !Number.isFinite(n)) return fail('must be a number');
      return inRange(n, range) ?? { ok: true, value: n };
    }
    case 'boolean':
      if (t === 'true' || t === '1') return { ok: true, value: true };
      if (t === 'false' || t === '0') return { ok: true, value: false };
      return fail('must be true or false');
    case 'opaque': {
      if (opaque === 'base64') {
        if (!/^[A-Za-z0-9+/]*={0,2}$/.test(t) || t.length % 4 !== 0) return fail('must be base64');
        return { ok: true, value: t };
      }
      const b64 = hexToBase64(t);
      return b64 === undefined ? fail('must be hex bytes, e.g. 01ab') : { ok: true, value: b64 };
    }
    case 'time': {
      if (/^\d+$/.test(t)) return { ok: true, value: Number(t) };
      const ms = Date.parse(t);
      return Number.isNaN(ms)
        ? fail('must be a date and time')
        : { ok: true, value: new Date(ms).toISOString() };
    }
    case 'objlnk':
      return /^\d{1,5}:\d{1,5}$/.test(t)
        ? { ok: true, value: t }
        : fail('must be objectId:instanceId, e.g. 3:0');
    default:
      return { ok: true, value: text };
  }
}

/** The text a value read is shown as (opaque stays base64; time in the local zone). */
export function valueText(type: string | undefined, value: string | number | boolean): string {
  if (type === 'time' && typeof value === 'string') {
    const d = new Date(value);
    if (!Number.isNaN(d.getTime())) return d.toLocaleString();
  }
  return String(value);
}
