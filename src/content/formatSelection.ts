// LwM2M Core TS 1.0.2 section 6.4, 1.1.1 section 7.4 and 1.2 section 7.4 (data formats): which
// content formats exist in which LwM2M version, which node kinds each can carry, and the format
// a server should pick for a request to a given client.
import { UnsupportedContentFormatError } from '../lwm2m/errors.js';
import type { Lwm2mPath } from '../lwm2m/Lwm2mPath.js';
import type { ValueType } from '../lwm2m/Lwm2mValue.js';
import type { NodeLevel } from '../lwm2m/nodes.js';
import { canonicalFormat } from './contentCodecs.js';
import { ContentFormat } from './ContentFormat.js';
import type { Lwm2mVersion } from '../lwm2m/bindingMode.js';

/** An LwM2M enabler version. */
export type { Lwm2mVersion };

/** Reads "1.0", "1.1", "1.2" (and patch versions such as "1.1.1"); anything else is treated as 1.0. */
export function parseLwm2mVersion(text: string | undefined): Lwm2mVersion {
  const m = /^1\.([0-9])/.exec(text ?? '');
  const minor = m ? Number(m[1]) : 0;
  return minor >= 2 ? '1.2' : minor === 1 ? '1.1' : '1.0';
}

const SINGLE_VALUE = [ContentFormat.TEXT, ContentFormat.OPAQUE, ContentFormat.CBOR] as const;
const TREE_FORMATS = [
  ContentFormat.TLV,
  ContentFormat.LWM2M_JSON,
  ContentFormat.SENML_JSON,
  ContentFormat.SENML_CBOR,
  ContentFormat.LWM2M_CBOR,
] as const;

/** Node formats defined by each version (1.0 section 6.4; 1.1 adds CBOR and SenML; 1.2 adds LwM2M CBOR). */
export const FORMATS_BY_VERSION: Readonly<Record<Lwm2mVersion, readonly number[]>> = Object.freeze({
  '1.0': [ContentFormat.TEXT, ContentFormat.OPAQUE, ContentFormat.TLV, ContentFormat.LWM2M_JSON],
  '1.1': [
    ContentFormat.TEXT,
    ContentFormat.OPAQUE,
    ContentFormat.CBOR,
    ContentFormat.TLV,
    ContentFormat.LWM2M_JSON,
    ContentFormat.SENML_JSON,
    ContentFormat.SENML_CBOR,
  ],
  '1.2': [
    ContentFormat.TEXT,
    ContentFormat.OPAQUE,
    ContentFormat.CBOR,
    ContentFormat.TLV,
    ContentFormat.LWM2M_JSON,
    ContentFormat.SENML_JSON,
    ContentFormat.SENML_CBOR,
    ContentFormat.LWM2M_CBOR,
  ],
});

/** Formats that carry several paths in one payload (composite operations, Send), by version. */
export const COMPOSITE_FORMATS_BY_VERSION: Readonly<Record<Lwm2mVersion, readonly number[]>> = Object.freeze({
  '1.0': [],
  '1.1': [ContentFormat.SENML_JSON, ContentFormat.SENML_CBOR],
  '1.2': [ContentFormat.SENML_JSON, ContentFormat.SENML_CBOR, ContentFormat.LWM2M_CBOR],
});

/** What is being carried: the level, whether a resource-level node is a multiple resource, and its value type. */
export interface NodeShape {
  readonly level: NodeLevel;
  /** For level 'resource': true for a multiple-instance resource. */
  readonly multiple?: boolean;
  /** Value type of a resource or resource instance, when known. */
  readonly valueType?: ValueType;
}

/** True when `format` can carry a node of this shape (text: no base64 opaque in 1.0; opaque: opaque values only). */
export function formatCarries(format: number, shape: NodeShape, version: Lwm2mVersion = '1.2'): boolean {
  const f = canonicalFormat(format);
  if ((TREE_FORMATS as readonly number[]).includes(f)) return true;
  if (!(SINGLE_VALUE as readonly number[]).includes(f)) return false;
  const single =
    shape.level === 'resourceInstance' || (shape.level === 'resource' && shape.multiple !== true);
  if (!single) return false;
  if (f === ContentFormat.OPAQUE) return shape.valueType === undefined || shape.valueType === 'opaque';
  if (f === ContentFormat.TEXT && version === '1.0') return shape.valueType !== 'opaque';
  return true;
}

/** The formats of `version` that can carry a node of this shape, in FORMATS_BY_VERSION order. */
export function validFormats(version: Lwm2mVersion, shape: NodeShape): number[] {
  return FORMATS_BY_VERSION[version].filter((f) => formatCarries(f, shape, version));
}

/** The request kinds whose payload format a server chooses (or asks for with Accept). */
export type FormatOperation = 'read' | 'observe' | 'write' | 'create' | 'composite' | 'send';

/** Input to preferredFormat. */
export interface FormatQuery {
  readonly lwm2mVersion: Lwm2mVersion;
  /** Formats the client announced with `ct` at registration (1.1+), if any. */
  readonly announcedFormats?: readonly number[];
  /** Target path (ignored for 'composite' and 'send'). */
  readonly path?: Lwm2mPath;
  readonly operation: FormatOperation;
  /** For a resource path: whether the resource is multiple-instance (from the model). */
  readonly multiple?: boolean;
  /** Value type of the target resource, when known. */
  readonly valueType?: ValueType;
}

// Preference orders (this project's policy, documented in the function comment below).
const SINGLE_PREFERENCE = [
  ContentFormat.TEXT,
  ContentFormat.CBOR,
  ContentFormat.SENML_CBOR,
  ContentFormat.TLV,
];
const TREE_PREFERENCE: Record<Lwm2mVersion, readonly number[]> = {
  '1.0': [ContentFormat.TLV, ContentFormat.LWM2M_JSON],
  '1.1': [ContentFormat.SENML_CBOR, ContentFormat.TLV, ContentFormat.SENML_JSON, ContentFormat.LWM2M_JSON],
  '1.2': [
    ContentFormat.SENML_CBOR,
    ContentFormat.LWM2M_CBOR,
    ContentFormat.TLV,
    ContentFormat.SENML_JSON,
    ContentFormat.LWM2M_JSON,
  ],
};
const COMPOSITE_PREFERENCE = [ContentFormat.SENML_CBOR, ContentFormat.LWM2M_CBOR, ContentFormat.SENML_JSON];

/**
 * The format a server should use for a request to a client. Policy: a single value goes as
 * text/plain (mandatory for every client), an opaque one as application/octet-stream; a tree
 * (object, instance, multiple resource) as TLV for 1.0 and SenML CBOR for 1.1+ (Leshan's default
 * too); composite requests and Send as SenML CBOR. When the client announced formats with `ct`,
 * the first announced format in the preference order wins (text and opaque are always assumed,
 * being mandatory). `ct` is read as the client's preference, not as the complete list of what it
 * supports (Core TS 1.1.1 6.2.1 and 1.2 6.2.1 do not call it exhaustive, and a client may leave
 * the mandatory formats out of it): when no announced format fits, the version's default is used. Throws
 * UnsupportedContentFormatError only when the version has no format at all (composite on 1.0).
 */
export function preferredFormat(q: FormatQuery): number {
  const version = q.lwm2mVersion;
  const announced = q.announcedFormats?.map(canonicalFormat);
  const inVersion = (f: number): boolean => FORMATS_BY_VERSION[version].includes(f);
  const usable = (f: number): boolean =>
    inVersion(f) &&
    (announced === undefined ||
      announced.length === 0 ||
      announced.includes(f) ||
      f === ContentFormat.TEXT ||
      f === ContentFormat.OPAQUE);
  const pick = (order: readonly number[], what: string): number => {
    const found = order.find(usable) ?? order.find(inVersion);
    if (found === undefined)
      throw new UnsupportedContentFormatError(`no content format for ${what} in LwM2M ${version}`);
    return found;
  };
  if (q.operation === 'composite' || q.operation === 'send') {
    return pick(
      COMPOSITE_PREFERENCE.filter((f) => COMPOSITE_FORMATS_BY_VERSION[version].includes(f)),
      'a composite request',
    );
  }
  const length = q.path?.length ?? 0;
  if (length === 0)
    throw new UnsupportedContentFormatError(
      'a single-path request needs an object, instance or resource path',
    );
  const single = length === 4 || (length === 3 && q.multiple !== true && q.operation !== 'create');
  if (single) {
    if (q.valueType === 'opaque') return ContentFormat.OPAQUE;
    return pick(SINGLE_PREFERENCE, `a ${q.valueType ?? 'single'} value`);
  }
  return pick(TREE_PREFERENCE[version], 'an object, instance or multiple resource');
}

/**
 * Formats a client of each version is most likely to take when the server's first choice was
 * refused: TLV first (mandatory in 1.0, and what 1.1+ clients keep for 1.0 servers), then SenML
 * CBOR and SenML JSON (Core TS 1.1.1 7.4: a 1.1 client supports at least one of these three).
 */
const FALLBACK_ORDER: Record<Lwm2mVersion, readonly number[]> = {
  '1.0': [ContentFormat.TLV],
  '1.1': [ContentFormat.TLV, ContentFormat.SENML_CBOR, ContentFormat.SENML_JSON],
  '1.2': [ContentFormat.TLV, ContentFormat.SENML_CBOR, ContentFormat.SENML_JSON, ContentFormat.LWM2M_CBOR],
};

const LEVELS: readonly NodeLevel[] = ['object', 'instance', 'resource', 'resourceInstance'];

/**
 * The format to ask again in when a client answered 4.06 Not Acceptable to a Read or Observe in
 * `tried`, the format preferredFormat chose (e.g. text/plain for a resource instance, which some
 * 1.1 clients only serve in a tree format): the client's announced formats that carry the target
 * first, in the order it announced them, then FALLBACK_ORDER; undefined when nothing else fits.
 */
export function fallbackFormat(q: FormatQuery, tried: number): number | undefined {
  const length = q.path?.length ?? 0;
  if ((q.operation !== 'read' && q.operation !== 'observe') || length === 0) return undefined;
  const version = q.lwm2mVersion;
  const shape: NodeShape = {
    level: LEVELS[length - 1]!,
    ...(q.multiple === undefined ? {} : { multiple: q.multiple }),
    ...(q.valueType === undefined ? {} : { valueType: q.valueType }),
  };
  const announced = (q.announcedFormats ?? []).map(canonicalFormat);
  return [...announced, ...FALLBACK_ORDER[version]].find(
    (f) =>
      f !== canonicalFormat(tried) &&
      FORMATS_BY_VERSION[version].includes(f) &&
      formatCarries(f, shape, version),
  );
}
