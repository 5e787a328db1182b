// LwM2M Core TS 1.1.1 section 5.1.2 (1.2 section 5.1.1): notification attributes (pmin, pmax,
// gt, lt, st, epmin, epmax; 1.2: edge, con, hqmax) set by Write-Attributes, and the read-only
// property attributes Discover reports (dim, ssid, uri, ver, lwm2m).
import { BadRequestError } from './errors.js';
import type { Lwm2mPath } from './Lwm2mPath.js';
import type { NodeLevel } from './nodes.js';
import type { ResourceModel } from '../model/ObjectModel.js';

/**
 * A set of attributes. A field that is absent is not mentioned; a notification attribute set to
 * `null` is mentioned without a value (`?pmin` or `?pmin=`), which Write-Attributes reads as
 * "remove this attribute" (Core TS 1.1.1 section 5.4.4).
 */
export interface Attributes {
  /** Minimum period between notifications, seconds. */
  pmin?: number | null;
  /** Maximum period between notifications, seconds. */
  pmax?: number | null;
  /** Notify when the value rises above this threshold. */
  gt?: number | null;
  /** Notify when the value falls below this threshold. */
  lt?: number | null;
  /** Notify when the value changes by at least this step. */
  st?: number | null;
  /** Minimum evaluation period, seconds (1.1). */
  epmin?: number | null;
  /** Maximum evaluation period, seconds (1.1). */
  epmax?: number | null;
  /** Notify on a rising (true) or falling (false) edge of a boolean (1.2). */
  edge?: boolean | null;
  /** Notifications as confirmable (true) or not (false) (1.2). */
  con?: boolean | null;
  /** Most historical notifications to keep (1.2). */
  hqmax?: number | null;
  /** Number of instances of a multiple resource (Discover only). */
  dim?: number;
  /** Short server id of a Security or Server instance (Discover only). */
  ssid?: number;
  /** Server URI of a Security instance (Discover only). */
  uri?: string;
  /** Object version "major.minor" (Discover only). */
  ver?: string;
  /** LwM2M enabler version "1.x" (Bootstrap-Discover only). */
  lwm2m?: string;
}

/** The name of an attribute. */
export type AttributeName = keyof Attributes;

/** Attributes a Write-Attributes request may set (the NOTIFICATION class). */
export const NOTIFICATION_ATTRIBUTES: readonly AttributeName[] = Object.freeze([
  'pmin',
  'pmax',
  'gt',
  'lt',
  'st',
  'epmin',
  'epmax',
  'edge',
  'con',
  'hqmax',
]);
/** Read-only attributes reported by Discover (the PROPERTIES class). */
export const PROPERTY_ATTRIBUTES: readonly AttributeName[] = Object.freeze([
  'dim',
  'ssid',
  'uri',
  'ver',
  'lwm2m',
]);

type Kind = 'seconds' | 'number' | 'step' | 'bit' | 'u8' | 'ssid' | 'string' | 'version';
const KINDS: Record<AttributeName, Kind> = {
  pmin: 'seconds',
  pmax: 'seconds',
  gt: 'number',
  lt: 'number',
  st: 'step',
  epmin: 'seconds',
  epmax: 'seconds',
  edge: 'bit',
  con: 'bit',
  hqmax: 'seconds',
  dim: 'u8',
  ssid: 'ssid',
  uri: 'string',
  ver: 'version',
  lwm2m: 'version',
};

const ALL_LEVELS: readonly NodeLevel[] = ['object', 'instance', 'resource', 'resourceInstance'];
/** Where each attribute may be attached (Core TS 1.2 Table 5.1.2-1 "Attachment"). */
export const ATTRIBUTE_LEVELS: Readonly<Record<AttributeName, readonly NodeLevel[]>> = {
  pmin: ALL_LEVELS,
  pmax: ALL_LEVELS,
  epmin: ALL_LEVELS,
  epmax: ALL_LEVELS,
  con: ALL_LEVELS,
  hqmax: ALL_LEVELS,
  gt: ['resource', 'resourceInstance'],
  lt: ['resource', 'resourceInstance'],
  st: ['resource', 'resourceInstance'],
  edge: ['resource', 'resourceInstance'],
  dim: ['resource'],
  ssid: ['instance'],
  uri: ['instance'],
  ver: ['object'],
  lwm2m: ['object'],
};

/** True when `name` is an LwM2M attribute name. */
export function isAttributeName(name: string): name is AttributeName {
  return Object.prototype.hasOwnProperty.call(KINDS, name);
}

const DECIMAL = /^-?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
const UNSIGNED = /^[0-9]{1,15}$/;
const VERSION = /^[0-9]{1,3}\.[0-9]{1,3}$/;

/** Parses one attribute value; `undefined` text (no value) gives null. Throws BadRequestError. */
export function parseAttributeValue(
  name: AttributeName,
  text: string | undefined,
): number | boolean | string | null {
  const kind = KINDS[name];
  if (text === undefined || text === '') {
    if (NOTIFICATION_ATTRIBUTES.includes(name)) return null;
    throw new BadRequestError(`attribute ${name} needs a value`);
  }
  const bad = (why: string): never => {
    throw new BadRequestError(`attribute ${name}=${text.slice(0, 40)}: ${why}`);
  };
  switch (kind) {
    case 'seconds':
    case 'u8':
    case 'ssid': {
      if (!UNSIGNED.test(text)) return bad('not a non-negative integer');
      const n = Number(text);
      if (kind === 'u8' && n > 255) return bad('out of range 0..255');
      if (kind === 'ssid' && (n < 1 || n > 65534)) return bad('out of range 1..65534');
      return n;
    }
    case 'number':
    case 'step': {
      if (!DECIMAL.test(text)) return bad('not a decimal number');
      const n = Number(text);
      if (!Number.isFinite(n)) return bad('not finite');
      if (kind === 'step' && n < 0) return bad('a step cannot be negative');
      // "-0" is accepted as the threshold 0 (liberal in what we accept); it is never produced.
      return n === 0 ? 0 : n;
    }
    case 'bit':
      if (text !== '0' && text !== '1') return bad('must be 0 or 1');
      return text === '1';
    case 'version':
      return VERSION.test(text) ? text : bad('not a "major.minor" version');
    case 'string':
      return text;
  }
}

/** Parses URI-Query items (`pmin=10`, `gt=2.5`, bare `pmax` = remove); throws BadRequestError for unknown or repeated names and bad values. */
export function parseAttributes(query: readonly string[]): Attributes {
  const out: Record<string, unknown> = {};
  for (const item of query) {
    const eq = item.indexOf('=');
    const name = eq < 0 ? item : item.slice(0, eq);
    if (!isAttributeName(name)) throw new BadRequestError(`unknown attribute "${name.slice(0, 40)}"`);
    if (name in out) throw new BadRequestError(`attribute ${name} given twice`);
    out[name] = parseAttributeValue(name, eq < 0 ? undefined : item.slice(eq + 1));
  }
  return out as Attributes;
}

/** The text of one attribute value (booleans as 0/1); undefined for null (no value). */
export function formatAttributeValue(value: number | boolean | string | null): string | undefined {
  if (value === null) return undefined;
  if (typeof value === 'boolean') return value ? '1' : '0';
  return String(value);
}

/** Attributes as URI-Query items, in NOTIFICATION then PROPERTIES order; null values become bare names. */
export function formatAttributes(attrs: Attributes): string[] {
  const out: string[] = [];
  for (const name of [...NOTIFICATION_ATTRIBUTES, ...PROPERTY_ATTRIBUTES]) {
    const v = attrs[name];
    if (v === undefined) continue;
    const text = formatAttributeValue(v);
    out.push(text === undefined ? name : `${name}=${text}`);
  }
  return out;
}

/** Applies a Write-Attributes update: null removes, a value replaces, absent keeps. */
export function mergeAttributes(current: Attributes, update: Attributes): Attributes {
  const out: Record<string, unknown> = { ...current };
  for (const [name, v] of Object.entries(update)) {
    if (v === null) delete out[name];
    else if (v !== undefined) out[name] = v;
  }
  return out as Attributes;
}

const NUMERIC_TYPES = new Set(['integer', 'unsignedInteger', 'float']);

/**
 * Checks attributes for a Write-Attributes at `path` (Core TS 1.1.1 section 5.1.2): only
 * NOTIFICATION attributes, each at a level it may attach to, gt/lt/st only on numeric resources,
 * edge only on booleans, lt < gt and lt + 2*st < gt, pmin <= pmax and epmin <= epmax when both
 * are set. Throws BadRequestError.
 */
export function validateWriteAttributes(attrs: Attributes, path: Lwm2mPath, resource?: ResourceModel): void {
  const levels = ['object', 'instance', 'resource', 'resourceInstance'] as const;
  const level = levels[path.length - 1];
  if (level === undefined) throw new BadRequestError('attributes cannot be written at the root path');
  for (const [name, v] of Object.entries(attrs) as [AttributeName, unknown][]) {
    if (v === undefined) continue;
    if (!NOTIFICATION_ATTRIBUTES.includes(name)) throw new BadRequestError(`attribute ${name} is read-only`);
    if (!ATTRIBUTE_LEVELS[name].includes(level))
      throw new BadRequestError(`attribute ${name} cannot be set on ${level} ${path.toString()}`);
    if (resource && (name === 'gt' || name === 'lt' || name === 'st') && !NUMERIC_TYPES.has(resource.type)) {
      throw new BadRequestError(
        `attribute ${name} needs a numeric resource, ${path.toString()} is ${resource.type}`,
      );
    }
    if (resource && name === 'edge' && resource.type !== 'boolean') {
      throw new BadRequestError(
        `attribute edge needs a boolean resource, ${path.toString()} is ${resource.type}`,
      );
    }
  }
  const { gt, lt, st, pmin, pmax, epmin, epmax } = attrs;
  if (typeof gt === 'number' && typeof lt === 'number') {
    if (!(lt < gt)) throw new BadRequestError(`lt (${lt}) must be less than gt (${gt})`);
    if (typeof st === 'number' && !(lt + 2 * st < gt))
      throw new BadRequestError(`lt + 2*st must be less than gt`);
  }
  if (typeof pmin === 'number' && typeof pmax === 'number' && pmin > pmax) {
    throw new BadRequestError(`pmin (${pmin}) must not exceed pmax (${pmax})`);
  }
  if (typeof epmin === 'number' && typeof epmax === 'number' && epmin > epmax) {
    throw new BadRequestError(`epmin (${epmin}) must not exceed epmax (${epmax})`);
  }
}
