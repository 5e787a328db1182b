// DTLS 1.2 record layer framing (RFC 6347 section 4.1; RFC 9146 section 4 for tls12_cid records):
// datagram <-> records. Pure and bounded; protection (seal/open) is RecordProtection's job.
//
//   DTLSPlaintext / DTLSCiphertext (13-byte header):
//     | type (1) | version (2) | epoch (2) | sequence_number (6) | length (2) | fragment |
//   tls12_cid (type 25, RFC 9146 section 4), CID of the length *the receiver* chose:
//     | 25 (1) | version (2) | epoch (2) | sequence_number (6) | cid (n) | length (2) | enc_content |
//
// The CID carries no length on the wire: the receiver parses with the length it asked the peer
// to use (RFC 9146 section 4), so decoding takes `cidLength`. A type-25 record when no CID was
// negotiated (cidLength 0) is invalid. Several records may share a datagram (RFC 6347 4.1.1);
// what the layer above does with a malformed record is RFC 6347 4.1.2.7: drop it silently, so
// `readRecord` lets it keep the well-formed records that precede it.
//
// Decoding copies nothing: fragments and CIDs are views into the datagram. Only a record's
// framing is checked here (lengths, content type of CID records); the version and the epoch are
// left to the connection, which knows what it negotiated (be liberal: tinydtls sends its first
// ClientHello with record version FE FF, RFC 6347 4.1 allows any in that record).

import { DecodeError } from '../../DecodeError.js';
import { pooledBytes } from './pooledBytes.js';

/** Record content types (RFC 5246 section 6.2.1; 25 from RFC 9146 section 3). */
export const ContentType = {
  changeCipherSpec: 20,
  alert: 21,
  handshake: 22,
  applicationData: 23,
  tls12Cid: 25,
} as const;

/** Protocol version numbers as they appear on the wire (RFC 6347 section 4.1: 1's complement). */
export const DtlsVersion = { dtls10: 0xfeff, dtls12: 0xfefd } as const;

/** Bytes of a record header without a CID. */
export const RECORD_HEADER_LENGTH = 13;
/**
 * Largest fragment a record may carry: 2^14 + 2048 for a DTLSCiphertext (RFC 5246 section 6.2.3);
 * the bound of plaintext records (2^14) is the layer above's to enforce once it knows the epoch.
 */
export const MAX_RECORD_FRAGMENT_LENGTH = 16_384 + 2_048;
/** Largest content a record may carry once opened (RFC 5246 6.2.1: 2^14). */
export const MAX_CONTENT_LENGTH = 16_384;
/** Largest sequence number (48 bits). */
export const MAX_SEQUENCE_NUMBER = 2 ** 48 - 1;
/** Longest CID the connection_id extension can express (RFC 9146 section 3: cid<0..2^8-1>). */
export const MAX_CID_LENGTH = 255;

/** One DTLS record. `fragment` (and `cid`) are views into the datagram it was read from. */
export interface DtlsRecord {
  /** Content type on the wire (25 for a tls12_cid record; the real type is inside). */
  readonly type: number;
  /** Record version as on the wire, e.g. 0xfefd. */
  readonly version: number;
  readonly epoch: number;
  /** 48-bit sequence number, exact as a JS number. */
  readonly sequenceNumber: number;
  /** The connection ID, present exactly when `type` is 25. */
  readonly cid?: Uint8Array;
  /** DTLSPlaintext.fragment, DTLSCiphertext.enc_content or the tls12_cid enc_content. */
  readonly fragment: Uint8Array;
}

/** Limits and context for parsing a datagram. */
export interface RecordDecodeOptions {
  /** Length of the CIDs this receiver issued; 0 (the default) when none was negotiated. */
  readonly cidLength?: number;
  /** Most records accepted in one datagram (default 32): more is an attack, not a flight. */
  readonly maxRecordsPerDatagram?: number;
}

/** Default bound on records per datagram (a full handshake flight packs at most ~6 records). */
export const DEFAULT_MAX_RECORDS_PER_DATAGRAM = 32;

const readUint48 = (b: Uint8Array, at: number): number =>
  b[at]! * 2 ** 40 +
  b[at + 1]! * 2 ** 32 +
  ((b[at + 2]! << 24) >>> 0) +
  ((b[at + 3]! << 16) | (b[at + 4]! << 8) | b[at + 5]!);

/** Bytes `record` takes on the wire. */
export function encodedRecordLength(record: DtlsRecord): number {
  return RECORD_HEADER_LENGTH + (record.cid?.length ?? 0) + record.fragment.length;
}

/**
 * Reads the record starting at `offset` of `datagram`; `end` is where the next one starts.
 * Throws DecodeError (with the offset of the faulty field) for a truncated or malformed record.
 */
export function readRecord(
  datagram: Uint8Array,
  offset: number,
  cidLength = 0,
): { record: DtlsRecord; end: number } {
  if (datagram.length - offset < RECORD_HEADER_LENGTH)
    throw new DecodeError('DTLS record header truncated', offset, 'truncated');
  const type = datagram[offset]!;
  const version = (datagram[offset + 1]! << 8) | datagram[offset + 2]!;
  const epoch = (datagram[offset + 3]! << 8) | datagram[offset + 4]!;
  const sequenceNumber = readUint48(datagram, offset + 5);
  let at = offset + 11;
  let cid: Uint8Array | undefined;
  if (type === ContentType.tls12Cid) {
    if (!Number.isInteger(cidLength) || cidLength < 0 || cidLength > MAX_CID_LENGTH)
      throw new RangeError(`cidLength ${cidLength} not in 0..${MAX_CID_LENGTH}`);
    if (cidLength === 0) throw new DecodeError('tls12_cid record but no connection ID negotiated', offset);
    if (datagram.length - at < cidLength + 2)
      throw new DecodeError('DTLS record connection ID truncated', at, 'truncated');
    cid = datagram.subarray(at, at + cidLength);
    at += cidLength;
  }
  const length = (datagram[at]! << 8) | datagram[at + 1]!;
  if (length > MAX_RECORD_FRAGMENT_LENGTH)
    throw new DecodeError(`DTLS record length ${length} over ${MAX_RECORD_FRAGMENT_LENGTH}`, at, 'limit');
  at += 2;
  if (datagram.length - at < length) throw new DecodeError('DTLS record fragment truncated', at, 'truncated');
  const fragment = datagram.subarray(at, at + length);
  const record: DtlsRecord = cid
    ? { type, version, epoch, sequenceNumber, cid, fragment }
    : { type, version, epoch, sequenceNumber, fragment };
  return { record, end: at + length };
}

/** Parses every record of a datagram; throws DecodeError if any record is malformed. */
export function decodeDatagram(datagram: Uint8Array, options: RecordDecodeOptions = {}): DtlsRecord[] {
  const cidLength = options.cidLength ?? 0;
  const max = options.maxRecordsPerDatagram ?? DEFAULT_MAX_RECORDS_PER_DATAGRAM;
  const records: DtlsRecord[] = [];
  let at = 0;
  while (at < datagram.length) {
    if (records.length === max)
      throw new DecodeError(`more than ${max} DTLS records in one datagram`, at, 'limit');
    const { record, end } = readRecord(datagram, at, cidLength);
    records.push(record);
    at = end;
  }
  return records;
}

/**
 * Writes the header of a record (everything before the fragment) at `offset` of `out`; returns
 * the offset where the fragment goes. `cid` must be given exactly for type 25.
 */
export function writeRecordHeader(
  out: Uint8Array,
  offset: number,
  type: number,
  version: number,
  epoch: number,
  sequenceNumber: number,
  cid: Uint8Array | undefined,
  fragmentLength: number,
): number {
  if (!Number.isInteger(sequenceNumber) || sequenceNumber < 0 || sequenceNumber > MAX_SEQUENCE_NUMBER)
    throw new RangeError(`sequence number ${sequenceNumber} not in 0..2^48-1`);
  if (!Number.isInteger(epoch) || epoch < 0 || epoch > 0xffff)
    throw new RangeError(`epoch ${epoch} not in 0..65535`);
  if ((type === ContentType.tls12Cid) !== (cid !== undefined && cid.length > 0))
    throw new RangeError('a connection ID goes with content type 25 and only with it');
  if (fragmentLength > MAX_RECORD_FRAGMENT_LENGTH)
    throw new RangeError(`record fragment of ${fragmentLength} bytes over ${MAX_RECORD_FRAGMENT_LENGTH}`);
  out[offset] = type;
  out[offset + 1] = version >> 8;
  out[offset + 2] = version & 0xff;
  out[offset + 3] = epoch >> 8;
  out[offset + 4] = epoch & 0xff;
  const high = Math.floor(sequenceNumber / 2 ** 32);
  out[offset + 5] = high >> 8;
  out[offset + 6] = high & 0xff;
  const low = sequenceNumber >>> 0;
  out[offset + 7] = low >>> 24;
  out[offset + 8] = (low >> 16) & 0xff;
  out[offset + 9] = (low >> 8) & 0xff;
  out[offset + 10] = low & 0xff;
  let at = offset + 11;
  if (cid) {
    out.set(cid, at);
    at += cid.length;
  }
  out[at] = fragmentLength >> 8;
  out[at + 1] = fragmentLength & 0xff;
  return at + 2;
}

/** Writes `record` at `offset` of `out` (which must have room); returns the end offset. */
export function writeRecord(out: Uint8Array, offset: number, record: DtlsRecord): number {
  const at = writeRecordHeader(
    out,
    offset,
    record.type,
    record.version,
    record.epoch,
    record.sequenceNumber,
    record.cid,
    record.fragment.length,
  );
  out.set(record.fragment, at);
  return at + record.fragment.length;
}

/** Serializes records into one datagram. */
export function encodeDatagram(records: readonly DtlsRecord[]): Uint8Array {
  let size = 0;
  for (const r of records) size += encodedRecordLength(r);
  const out = pooledBytes(size); // every byte is written by writeRecord
  let at = 0;
  for (const r of records) at = writeRecord(out, at, r);
  return out;
}
