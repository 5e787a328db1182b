// OMA LwM2M Core TS 1.1.1 Appendix D.1 (DDF schema LWM2M-v1_1.xsd): the enumerated values of a
// DDF file and how they map onto the model. Matching is case-insensitive on trimmed text.
import type { Operations, ResourceType } from './ObjectModel.js';

/** Largest object or resource id; 65535 (MAX_ID) is reserved (Core TS 1.1.1 section 7.1). */
export const MAX_DDF_ID = 65534;

const TYPES: Readonly<Record<string, ResourceType>> = {
  string: 'string',
  integer: 'integer',
  'unsigned integer': 'unsignedInteger',
  float: 'float',
  boolean: 'boolean',
  opaque: 'opaque',
  time: 'time',
  objlnk: 'objlnk',
  corelnk: 'corelnk',
  '': 'none',
};

const OPERATIONS: Readonly<Record<string, Operations>> = { r: 'R', w: 'W', rw: 'RW', e: 'E', '': '' };

/** Lower-cased text with surrounding whitespace removed and inner runs of whitespace as one space. */
function normalize(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** Looks a key up in a table without reaching inherited properties such as "constructor". */
function lookup<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

/** The resource type for a DDF `<Type>` value ("" → 'none'), or undefined if unknown. */
export function parseResourceType(text: string): ResourceType | undefined {
  return lookup(TYPES, normalize(text));
}

/** The operations for a DDF `<Operations>` value (R, W, RW, E or empty), or undefined if unknown. */
export function parseOperations(text: string): Operations | undefined {
  return lookup(OPERATIONS, normalize(text));
}

/** True for "Multiple", false for "Single", undefined otherwise. */
export function parseMultiple(text: string): boolean | undefined {
  const v = normalize(text);
  return v === 'multiple' ? true : v === 'single' ? false : undefined;
}

/** True for "Mandatory", false for "Optional", undefined otherwise. */
export function parseMandatory(text: string): boolean | undefined {
  const v = normalize(text);
  return v === 'mandatory' ? true : v === 'optional' ? false : undefined;
}

/** A decimal object or resource id in 0..MAX_DDF_ID, or undefined. */
export function parseDdfId(text: string): number | undefined {
  const v = text.trim();
  if (!/^[0-9]{1,5}$/.test(v)) return undefined;
  const id = Number(v);
  return id <= MAX_DDF_ID ? id : undefined;
}

/** A "major.minor" version as written, or undefined when malformed. */
export function parseDdfVersion(text: string): string | undefined {
  const v = text.trim();
  return /^[0-9]{1,3}\.[0-9]{1,3}$/.test(v) ? v : undefined;
}
