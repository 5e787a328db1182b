// AES-128-CBC with HMAC-SHA256, MAC-then-encrypt (RFC 5246 6.2.3.2; the record protection of
// TLS_PSK_WITH_AES_128_CBC_SHA256, RFC 5487), which a LwM2M server MUST accept but which is off
// by default (suites.ts):
//   fragment = IV (16, random per record) | AES-CBC(content | MAC (32) | padding | padding_length)
//   MAC      = HMAC-SHA256(mac_key, epoch | seq (8) | type | version | length | content)
// Not here: encrypt_then_mac (RFC 7366), which changes the layout once negotiated, and CBC in
// tls12_cid records (RFC 9146 5.1); no peer we can test with uses either, so a CID seal throws
// and a tls12_cid record does not open.
//
// Padding oracles: a bad padding is handled as RFC 5246 6.2.3.2 asks, by computing the MAC as
// if the padding were empty, so both failures cost the same HMAC; DTLS drops bad records without
// an alert (RFC 6347 4.1.2.7), which removes the oracle the alert gave. The residual Lucky13
// timing difference (a few HMAC blocks) is why CBC stays off unless enabled.

import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { writeClassicAad } from './additionalData.js';
import {
  ContentType,
  MAX_CONTENT_LENGTH,
  RECORD_HEADER_LENGTH,
  writeRecordHeader,
  type DtlsRecord,
} from './RecordCodec.js';
import type { DirectionKeys, OpenedRecord, RecordProtection, SealParams } from './RecordProtection.js';

const BLOCK = 16;
const MAC_LENGTH = 32;

/** Random bytes for the per-record IV (injectable for tests). */
export type RandomBytes = (n: number) => Uint8Array;

/** CBC + HMAC-SHA256 seal/open with one direction's keys. */
export class CbcHmacRecordProtection implements RecordProtection {
  /** IV, MAC, and at most one block of padding. */
  readonly overhead = BLOCK + MAC_LENGTH + BLOCK;
  private readonly key: Uint8Array;
  private readonly macKey: Uint8Array;
  private readonly aad = new Uint8Array(13);

  constructor(
    keys: DirectionKeys,
    private readonly random: RandomBytes = randomBytes,
  ) {
    if (keys.key.length !== 16)
      throw new RangeError(`AES-128-CBC needs a 16-byte key, got ${keys.key.length}`);
    if (keys.macKey.length !== MAC_LENGTH)
      throw new RangeError(`HMAC-SHA256 needs a 32-byte MAC key, got ${keys.macKey.length}`);
    this.key = Uint8Array.from(keys.key);
    this.macKey = Uint8Array.from(keys.macKey);
  }

  seal(params: SealParams, content: Uint8Array): Uint8Array {
    if (params.cid !== undefined && params.cid.length > 0)
      throw new RangeError('CBC record protection does not support connection IDs');
    if (content.length > MAX_CONTENT_LENGTH)
      throw new RangeError(`record content of ${content.length} bytes over ${MAX_CONTENT_LENGTH}`);
    const { type, version, epoch, sequenceNumber: seq } = params;
    const padding = (BLOCK - ((content.length + MAC_LENGTH + 1) % BLOCK)) % BLOCK;
    const plainLength = content.length + MAC_LENGTH + padding + 1;
    const fragmentLength = BLOCK + plainLength;
    const out = new Uint8Array(RECORD_HEADER_LENGTH + fragmentLength);
    const at = writeRecordHeader(out, 0, type, version, epoch, seq, undefined, fragmentLength);
    const iv = this.random(BLOCK);
    out.set(iv, at);
    // build the plaintext where the ciphertext goes, then encrypt it over itself
    const body = out.subarray(at + BLOCK);
    body.set(content, 0);
    body.set(this.mac(type, version, epoch, seq, content), content.length);
    body.fill(padding, content.length + MAC_LENGTH);
    const cipher = createCipheriv('aes-128-cbc', this.key, iv).setAutoPadding(false);
    const first = cipher.update(body);
    const last = cipher.final();
    body.set(first, 0);
    body.set(last, first.length);
    return out;
  }

  open(record: DtlsRecord): OpenedRecord | undefined {
    if (record.type === ContentType.tls12Cid) return undefined;
    const f = record.fragment;
    if (f.length < BLOCK + 3 * BLOCK || f.length % BLOCK !== 0) return undefined;
    let plain: Buffer;
    try {
      const decipher = createDecipheriv('aes-128-cbc', this.key, f.subarray(0, BLOCK)).setAutoPadding(false);
      plain = Buffer.concat([decipher.update(f.subarray(BLOCK)), decipher.final()]);
    } catch {
      return undefined;
    }
    const padding = plain[plain.length - 1]!;
    let padOk = padding + 1 + MAC_LENGTH <= plain.length;
    for (let i = 0; padOk && i <= padding; i++) padOk = plain[plain.length - 1 - i] === padding;
    const contentLength = plain.length - MAC_LENGTH - (padOk ? padding + 1 : 1);
    const content = plain.subarray(0, contentLength);
    const expected = this.mac(record.type, record.version, record.epoch, record.sequenceNumber, content);
    const macOk = timingSafeEqual(expected, plain.subarray(contentLength, contentLength + MAC_LENGTH));
    if (!padOk || !macOk || contentLength > MAX_CONTENT_LENGTH) return undefined;
    return { type: record.type, content };
  }

  private mac(type: number, version: number, epoch: number, seq: number, content: Uint8Array): Buffer {
    writeClassicAad(this.aad, type, version, epoch, seq, content.length);
    return createHmac('sha256', this.macKey).update(this.aad).update(content).digest();
  }
}
