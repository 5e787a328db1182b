// Record protection for one direction of one epoch (RFC 5246 6.2.3, RFC 6347 4.1.2): `seal` turns
// content into a whole protected record, `open` authenticates and decrypts a received one. Bad
// records (wrong tag, too short, no content type inside) open to `undefined`: DTLS drops them
// silently and never answers (RFC 6347 4.1.2.7), so there is no error to report.
//
// The record format follows the record: a tls12_cid record (type 25) opens with the RFC 9146
// additional data and inner plaintext, any other with the classic ones. Whether that format is
// the one the connection negotiated is the connection's check, before or after `open`.

import type { CipherSuite } from '../suites.js';
import { CbcHmacRecordProtection, type RandomBytes } from './CbcHmacRecordProtection.js';
import { Ccm8RecordProtection } from './Ccm8RecordProtection.js';
import type { DtlsRecord } from './RecordCodec.js';

/** The keys of one direction, as cut from the key block. */
export interface DirectionKeys {
  /** client_write_key or server_write_key. */
  readonly key: Uint8Array;
  /** The implicit IV (4-byte CCM salt). */
  readonly iv: Uint8Array;
  /** The MAC key (empty for an AEAD). */
  readonly macKey: Uint8Array;
}

/** What `open` recovered: the real content type and the content. */
export interface OpenedRecord {
  readonly type: number;
  readonly content: Uint8Array;
}

/** Where a sealed record goes: its header fields, and the CID when the peer asked for one. */
export interface SealParams {
  /** The real content type (20, 21, 22 or 23). */
  readonly type: number;
  readonly version: number;
  readonly epoch: number;
  readonly sequenceNumber: number;
  /** The peer's CID; when non-empty the record is sent as tls12_cid (RFC 9146 section 4). */
  readonly cid?: Uint8Array;
}

/** Seal and open for one direction. */
export interface RecordProtection {
  /** Bytes a protected record adds beyond header and content (plus 1 with a CID). */
  readonly overhead: number;
  /** The complete record (header included) carrying `content`. */
  seal(params: SealParams, content: Uint8Array): Uint8Array;
  /** The content of `record`, or undefined when it does not authenticate. */
  open(record: DtlsRecord): OpenedRecord | undefined;
}

/** Record protection of `suite` with `keys`; `random` makes CBC IVs (tests inject it). */
export function createRecordProtection(
  suite: CipherSuite,
  keys: DirectionKeys,
  random?: RandomBytes,
): RecordProtection {
  switch (suite.cipher) {
    case 'aes-128-ccm8':
      return new Ccm8RecordProtection(keys);
    case 'aes-128-cbc-hmac-sha256':
      return new CbcHmacRecordProtection(keys, random);
  }
}
