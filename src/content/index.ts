// Public entry of the content layer (package export "./content"): codecs, the dispatch by format
// number and the format-selection helper. Re-exports only.
export type { MultiNodeCodec, NodeCodec } from './ContentCodec.js';
export { ContentFormat } from './ContentFormat.js';
export { DEFAULT_DECODE_LIMITS, type DecodeLimits } from './decodeLimits.js';
export {
  canonicalFormat,
  getMultiNodeCodec,
  getNodeCodec,
  NODE_FORMATS,
  requireMultiNodeCodec,
  requireNodeCodec,
} from './contentCodecs.js';
export {
  COMPOSITE_FORMATS_BY_VERSION,
  FORMATS_BY_VERSION,
  formatCarries,
  parseLwm2mVersion,
  preferredFormat,
  validFormats,
  type FormatOperation,
  type FormatQuery,
  type Lwm2mVersion,
  type NodeShape,
} from './formatSelection.js';
export { textCodec } from './text/TextCodec.js';
export { opaqueCodec } from './opaque/OpaqueCodec.js';
export { cborCodec, decodeCborValue, encodeCborValue } from './cbor/CborCodec.js';
export { tlvNodeCodec } from './tlv/TlvNodeCodec.js';
export { decodeTlvRecords, encodeTlvRecords, type TlvRecord } from './tlv/tlvRecords.js';
export { senmlJsonCodec } from './senml/senmlJsonCodec.js';
export { senmlCborCodec } from './senml/senmlCborCodec.js';
export { lwm2mJsonCodec } from './lwm2mJson/lwm2mJsonCodec.js';
export { lwm2mCborCodec } from './lwm2mCbor/lwm2mCborCodec.js';
