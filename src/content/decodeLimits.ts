// Bounds every content decoder enforces (STYLE.md 7), so hostile payloads cannot exhaust memory.

/** Limits a decoder enforces; going over one throws DecodeError with kind 'limit'. */
export interface DecodeLimits {
  /** Deepest nesting of containers (TLV, CBOR maps/arrays). Defaults to 8. */
  readonly maxDepth: number;
  /** Most records (TLV entries, SenML records, CBOR items) in one payload. Defaults to 10 000. */
  readonly maxRecords: number;
  /** Largest single value (string or opaque) in bytes. Defaults to 65 535. */
  readonly maxValueBytes: number;
}

/** Defaults for every decode*(bytes, limits) call. */
export const DEFAULT_DECODE_LIMITS: DecodeLimits = Object.freeze({
  maxDepth: 8,
  maxRecords: 10_000,
  maxValueBytes: 65_535,
});
