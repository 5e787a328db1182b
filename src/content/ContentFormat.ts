// CoAP Content-Format numbers used by LwM2M (Core TS 1.1.1 section 7.3, Transport TS section 6.4).

/** Content-Format numbers. */
export const ContentFormat = {
  TEXT: 0,
  LINK: 40,
  OPAQUE: 42,
  CBOR: 60,
  SENML_JSON: 110,
  SENML_CBOR: 112,
  TLV: 11542,
  LWM2M_JSON: 11543,
  LWM2M_CBOR: 11544,
  /** Pre-registration numbers some LwM2M 1.0 devices still send; decoders accept them as TLV / JSON. */
  LEGACY_TLV: 1542,
  LEGACY_JSON: 1543,
} as const;
/** A known content-format number. */
export type ContentFormat = (typeof ContentFormat)[keyof typeof ContentFormat];
