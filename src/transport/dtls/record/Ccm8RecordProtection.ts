// AES-128-CCM_8 record protection (RFC 6655 section 3 as RFC 7925 section 4.2 profiles it):
//   fragment = explicit nonce (8) | ciphertext | tag (8)
//   nonce    = client/server_write_IV (4-byte salt) | explicit nonce
// We send epoch | sequence_number as the explicit nonce (RFC 6655 3: unique per key, and this
// is what every peer captured here sends); on receipt we use whatever 8 bytes the record
// carries, since the nonce only has to be the one the sender used.
// With a CID (RFC 9146 section 4) the encrypted DTLSInnerPlaintext is content | real type |
// zero padding; we send no padding and strip any we receive.
//
// Hot path: per record one cipher object, the output record (the inner plaintext is built in
// place and encrypted over itself) and node:crypto's ciphertext and tag buffers; the key, the
// nonce and the additional data go through module-wide scratch buffers (node:crypto copies them).
//
// Memory: a server holds two of these per established connection, so the key and the salt are
// kept as one 20-character latin1 string (32 B of heap) rather than a typed array with its own
// ArrayBuffer (~180 B each, bench/dtls.ts); seal and open write it back into the scratch key.

import { cidAadLength, writeCidAad, writeClassicAad, writeEpochAndSequence } from './additionalData.js';
import { CCM8_TAG_LENGTH, ccm8DecryptJoined, ccm8EncryptIntoJoined } from './aesCcm8.js';
import { pooledBytes } from './pooledBytes.js';
import {
  ContentType,
  MAX_CONTENT_LENGTH,
  RECORD_HEADER_LENGTH,
  writeRecordHeader,
  type DtlsRecord,
} from './RecordCodec.js';
import type { DirectionKeys, OpenedRecord, RecordProtection, SealParams } from './RecordProtection.js';

const EXPLICIT_NONCE_LENGTH = 8;
const SALT_LENGTH = 4;
const KEY_LENGTH = 16;

/**
 * Nonce and additional-data buffers shared by every instance: seal and open fill them and hand
 * them to node:crypto synchronously, so one set serves all connections (per-instance ones were
 * ~300 B of heap per connection, bench/dtls.ts).
 */
const scratch = {
  /** key (16) | nonce: salt (4) | explicit part (8); one latin1 write fills key and salt. */
  keyAndNonce: Buffer.alloc(KEY_LENGTH + SALT_LENGTH + EXPLICIT_NONCE_LENGTH),
  aad: new Uint8Array(cidAadLength(8)),
};

/** CCM_8 seal/open with one direction's key and salt. */
export class Ccm8RecordProtection implements RecordProtection {
  /** key (16) | implicit salt (4, RFC 6655 3) as latin1 characters, one byte each. */
  private readonly keyAndSalt: string;
  /** When set (`retarget`), key and salt are read from these bytes instead (connection/ConnectionSlab.ts). */
  private slab: Buffer | undefined;
  private slabAt = 0;

  constructor(keys: DirectionKeys) {
    if (keys.key.length !== 16)
      throw new RangeError(`AES-128-CCM_8 needs a 16-byte key, got ${keys.key.length}`);
    if (keys.iv.length !== SALT_LENGTH)
      throw new RangeError(`AES-128-CCM_8 needs a 4-byte salt, got ${keys.iv.length}`);
    // one flat string (a concatenation would keep a rope of three strings)
    const bytes = Buffer.allocUnsafe(KEY_LENGTH + SALT_LENGTH);
    bytes.set(keys.key, 0);
    bytes.set(keys.iv, KEY_LENGTH);
    this.keyAndSalt = bytes.toString('latin1');
  }

  /**
   * Makes this instance use the key and salt at `at` in `slab` (20 bytes, as `copyKeyAndSalt`
   * writes them): one instance then serves every connection stored compactly.
   */
  retarget(slab: Buffer, at: number): this {
    this.slab = slab;
    this.slabAt = at;
    return this;
  }

  /** Writes this direction's key and salt (20 bytes) at `at` in `to`. */
  copyKeyAndSalt(to: Buffer, at: number): void {
    to.write(this.keyAndSalt, at, KEY_LENGTH + SALT_LENGTH, 'latin1');
  }

  /** Bytes a record adds to its content (explicit nonce and tag). */
  get overhead(): number {
    return EXPLICIT_NONCE_LENGTH + CCM8_TAG_LENGTH;
  }

  /**
   * Writes this direction's key and salt, then the explicit nonce found at `from` of `bytes`,
   * into the shared scratch key | nonce (used by the cipher before any other call).
   */
  private loadKey(bytes: Uint8Array, from: number): void {
    const k = scratch.keyAndNonce;
    const slab = this.slab;
    if (!slab) k.write(this.keyAndSalt, 0, 'latin1');
    // 20 bytes: a loop beats Buffer#copy's call into C++ here
    else for (let i = 0; i < KEY_LENGTH + SALT_LENGTH; i++) k[i] = slab[this.slabAt + i]!;
    for (let i = 0; i < EXPLICIT_NONCE_LENGTH; i++) k[KEY_LENGTH + SALT_LENGTH + i] = bytes[from + i]!;
  }

  seal(params: SealParams, content: Uint8Array): Uint8Array {
    if (content.length > MAX_CONTENT_LENGTH)
      throw new RangeError(`record content of ${content.length} bytes over ${MAX_CONTENT_LENGTH}`);
    const { version, epoch, sequenceNumber: seq } = params;
    const cid = params.cid !== undefined && params.cid.length > 0 ? params.cid : undefined;
    const innerLength = cid ? content.length + 1 : content.length;
    const fragmentLength = EXPLICIT_NONCE_LENGTH + innerLength + CCM8_TAG_LENGTH;
    // every byte is written below: header, explicit nonce, then ciphertext and tag
    const out = pooledBytes(RECORD_HEADER_LENGTH + (cid?.length ?? 0) + fragmentLength);
    const type = cid ? ContentType.tls12Cid : params.type;
    const at = writeRecordHeader(out, 0, type, version, epoch, seq, cid, fragmentLength);
    writeEpochAndSequence(out, at, epoch, seq);
    this.loadKey(out, at);
    const inner = out.subarray(at + EXPLICIT_NONCE_LENGTH, at + EXPLICIT_NONCE_LENGTH + innerLength);
    inner.set(content, 0);
    if (cid) inner[content.length] = params.type;
    const aad = this.aadFor(cid, type, version, epoch, seq, innerLength);
    ccm8EncryptIntoJoined(scratch.keyAndNonce, aad, inner, out, at + EXPLICIT_NONCE_LENGTH);
    return out;
  }

  open(record: DtlsRecord): OpenedRecord | undefined {
    const f = record.fragment;
    const innerLength = f.length - EXPLICIT_NONCE_LENGTH - CCM8_TAG_LENGTH;
    const cid = record.type === ContentType.tls12Cid ? record.cid : undefined;
    // the inner plaintext of a CID record holds at least the content type
    if (innerLength < (cid ? 1 : 0)) return undefined;
    this.loadKey(f, 0);
    const aad = this.aadFor(
      cid,
      record.type,
      record.version,
      record.epoch,
      record.sequenceNumber,
      innerLength,
    );
    const plain = ccm8DecryptJoined(
      scratch.keyAndNonce,
      aad,
      f.subarray(EXPLICIT_NONCE_LENGTH, EXPLICIT_NONCE_LENGTH + innerLength),
      f.subarray(EXPLICIT_NONCE_LENGTH + innerLength),
    );
    if (!plain) return undefined;
    if (!cid) return plain.length > MAX_CONTENT_LENGTH ? undefined : { type: record.type, content: plain };
    // RFC 9146 section 4: the real type is the last non-zero byte; none at all is invalid
    let end = plain.length - 1;
    while (end >= 0 && plain[end] === 0) end--;
    if (end < 0 || end > MAX_CONTENT_LENGTH) return undefined;
    return { type: plain[end]!, content: plain.subarray(0, end) };
  }

  /** The additional data of a record in the shared scratch buffer (grown for long CIDs). */
  private aadFor(
    cid: Uint8Array | undefined,
    type: number,
    version: number,
    epoch: number,
    seq: number,
    innerLength: number,
  ): Uint8Array {
    if (!cid)
      return scratch.aad.subarray(0, writeClassicAad(scratch.aad, type, version, epoch, seq, innerLength));
    if (scratch.aad.length < cidAadLength(cid.length)) scratch.aad = new Uint8Array(cidAadLength(cid.length));
    return scratch.aad.subarray(0, writeCidAad(scratch.aad, version, epoch, seq, cid, innerLength));
  }
}
