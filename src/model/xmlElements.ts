// Read-only access to the element tree fast-xml-parser builds for a DDF file (Core TS 1.1.1
// Appendix D), narrowing its untyped output to elements, texts and attributes.
import { XMLParser } from 'fast-xml-parser';

/** One parsed XML element: child elements by name (always arrays), "@_"-prefixed attributes, "#text". */
export interface XmlElement {
  readonly [key: string]: unknown;
}

const ATTRIBUTE_PREFIX = '@_';
const TEXT_KEY = '#text';
const META = XMLParser.getMetaDataSymbol();

/** Parser settings: every element is an array (to spot repeats), values stay strings, offsets kept. */
export const DDF_PARSER_OPTIONS = {
  ignoreAttributes: false,
  attributeNamePrefix: ATTRIBUTE_PREFIX,
  textNodeName: TEXT_KEY,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  captureMetaData: true,
  isArray: (_tag: string, _path: unknown, _leaf: boolean, isAttribute: boolean): boolean => !isAttribute,
} as const;

/** True when `value` is a parsed element (not a text leaf). */
export function isElement(value: unknown): value is XmlElement {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The child elements (or text leaves) named `name`, in document order; [] when absent. */
export function childElements(parent: XmlElement, name: string): readonly unknown[] {
  if (!Object.prototype.hasOwnProperty.call(parent, name)) return [];
  const value = parent[name];
  return Array.isArray(value) ? value : [value];
}

/** Names of the child elements of `parent` (no attributes, no text). */
export function childNames(parent: XmlElement): string[] {
  return Object.keys(parent).filter((k) => !k.startsWith(ATTRIBUTE_PREFIX) && k !== TEXT_KEY);
}

/**
 * The text content of a leaf: a string, or an element holding only text and attributes.
 * Undefined when the element has child elements.
 */
export function elementText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (!isElement(value) || childNames(value).length > 0) return undefined;
  const text = value[TEXT_KEY];
  return typeof text === 'string' ? text : text === undefined ? '' : String(text);
}

/** The value of attribute `name` of `element`, if present. */
export function attribute(element: XmlElement, name: string): string | undefined {
  const value = element[ATTRIBUTE_PREFIX + name];
  return typeof value === 'string' ? value : undefined;
}

/** Character offset where `element` starts in the XML text, when the parser recorded it. */
export function startOffset(element: unknown): number | undefined {
  if (!isElement(element)) return undefined;
  const meta: unknown = (element as Record<symbol, unknown>)[META as symbol];
  if (!isElement(meta)) return undefined;
  const start = meta.startIndex;
  return typeof start === 'number' ? start : undefined;
}
