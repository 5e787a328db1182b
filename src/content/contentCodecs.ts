// The one dispatch from a CoAP Content-Format number to its codec (STYLE.md 6), for the formats
// of LwM2M Core TS 1.1.1 section 7.4 and 1.2 section 7.4. The pre-registration numbers 1542 and
// 1543 (LwM2M 1.0 drafts) are accepted as TLV and LwM2M JSON. application/link-format (40) is not
// a node format: Discover and Register payloads are read and written by lwm2m/linkFormat.ts.
import { UnsupportedContentFormatError } from '../lwm2m/errors.js';
import { cborCodec } from './cbor/CborCodec.js';
import type { MultiNodeCodec, NodeCodec } from './ContentCodec.js';
import { ContentFormat } from './ContentFormat.js';
import { lwm2mCborCodec } from './lwm2mCbor/lwm2mCborCodec.js';
import { lwm2mJsonCodec } from './lwm2mJson/lwm2mJsonCodec.js';
import { opaqueCodec } from './opaque/OpaqueCodec.js';
import { senmlCborCodec } from './senml/senmlCborCodec.js';
import { senmlJsonCodec } from './senml/senmlJsonCodec.js';
import { textCodec } from './text/TextCodec.js';
import { tlvNodeCodec } from './tlv/TlvNodeCodec.js';

const multiNodeCodecs = new Map<number, MultiNodeCodec>([
  [ContentFormat.SENML_JSON, senmlJsonCodec],
  [ContentFormat.SENML_CBOR, senmlCborCodec],
  [ContentFormat.LWM2M_JSON, lwm2mJsonCodec],
  [ContentFormat.LWM2M_CBOR, lwm2mCborCodec],
]);

const nodeCodecs = new Map<number, NodeCodec>([
  [ContentFormat.TEXT, textCodec],
  [ContentFormat.OPAQUE, opaqueCodec],
  [ContentFormat.CBOR, cborCodec],
  [ContentFormat.TLV, tlvNodeCodec],
  ...multiNodeCodecs,
]);

/** Maps the legacy numbers 1542/1543 to 11542/11543; other numbers are returned unchanged. */
export function canonicalFormat(format: number): number {
  if (format === ContentFormat.LEGACY_TLV) return ContentFormat.TLV;
  if (format === ContentFormat.LEGACY_JSON) return ContentFormat.LWM2M_JSON;
  return format;
}

/** Every format number with a node codec (canonical numbers, ascending). */
export const NODE_FORMATS: readonly number[] = Object.freeze([...nodeCodecs.keys()].sort((a, b) => a - b));

/** The codec for a format number (legacy aliases accepted), or undefined. */
export function getNodeCodec(format: number): NodeCodec | undefined {
  return nodeCodecs.get(canonicalFormat(format));
}

/** The multi-path codec (composite operations, Send) for a format number, or undefined. */
export function getMultiNodeCodec(format: number): MultiNodeCodec | undefined {
  return multiNodeCodecs.get(canonicalFormat(format));
}

/** The codec for a format number; throws UnsupportedContentFormatError (4.15) when there is none. */
export function requireNodeCodec(format: number): NodeCodec {
  const codec = getNodeCodec(format);
  if (!codec) throw new UnsupportedContentFormatError(`no codec for content format ${format}`);
  return codec;
}

/** The multi-path codec for a format number; throws UnsupportedContentFormatError (4.15) when there is none. */
export function requireMultiNodeCodec(format: number): MultiNodeCodec {
  const codec = getMultiNodeCodec(format);
  if (!codec) throw new UnsupportedContentFormatError(`content format ${format} cannot carry several paths`);
  return codec;
}
