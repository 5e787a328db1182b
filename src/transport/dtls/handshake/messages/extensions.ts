// Hello extensions (RFC 5246 7.4.1.4): the list codec, and the few extensions this stack reads.
//   extensions<0..2^16-1>, each: extension_type (2) | extension_data<0..2^16-1>
// Duplicates are invalid ("MUST NOT be more than one extension of the same type"). Unknown
// extensions, supported_groups and signature_algorithms are kept as raw bytes and passed through.

import { BodyReader } from './BodyReader.js';
import { BodyWriter } from './BodyWriter.js';

/** Extension code points this stack knows. */
export const ExtensionType = {
  serverName: 0,
  maxFragmentLength: 1,
  supportedGroups: 10,
  ecPointFormats: 11,
  signatureAlgorithms: 13,
  encryptThenMac: 22,
  /** RFC 7627 section 5.1. */
  extendedMasterSecret: 23,
  recordSizeLimit: 28,
  sessionTicket: 35,
  /** RFC 9146 section 3 (54; drafts used 53, mbedTLS 2.x 254). */
  connectionId: 54,
  /** RFC 5746 section 3.2. */
  renegotiationInfo: 0xff01,
} as const;

/** One extension, data as a view. */
export interface Extension {
  readonly type: number;
  readonly data: Uint8Array;
}

/** Reads the extensions block at the reader's position; the reader must then be at its end. */
export function readExtensions(r: BodyReader): Extension[] {
  const block = r.vector(2, 0, 0xffff, 'extensions');
  const inner = new BodyReader(block, r.absoluteOffset - block.length);
  const seen = new Set<number>();
  const out: Extension[] = [];
  while (inner.remaining > 0) {
    const start = inner.offset;
    const type = inner.u16('extension_type');
    if (seen.has(type)) throw inner.error(`extension ${type} appears twice`, 'invalid', start);
    seen.add(type);
    out.push({ type, data: inner.vector(2, 0, 0xffff, 'extension_data') });
  }
  return out;
}

/** Writes an extensions block. */
export function writeExtensions(w: BodyWriter, extensions: readonly Extension[]): void {
  const inner = new BodyWriter();
  for (const e of extensions)
    inner.u16(e.type, 'extension_type').vector(2, 0, 0xffff, e.data, 'extension_data');
  w.vector(2, 0, 0xffff, inner.finish(), 'extensions');
}

/** The data of extension `type`, if present. */
export function findExtension(
  extensions: readonly Extension[] | undefined,
  type: number,
): Uint8Array | undefined {
  return extensions?.find((e) => e.type === type)?.data;
}

/**
 * Longest CID of the peer we agree to put in our records (16 bytes; research/dtls.md: issuers use
 * 4-8). The CID wire format allows 255, but every byte of it comes off each datagram's payload,
 * so DtlsTransport reserves this much in `maxDatagramSize` and refuses longer CIDs.
 */
export const MAX_PEER_CID_LENGTH = 16;

/** Decodes a connection_id extension's data (RFC 9146 section 3: cid<0..2^8-1>). */
export function decodeConnectionId(data: Uint8Array): Uint8Array {
  const r = new BodyReader(data);
  const cid = r.vector(1, 0, 255, 'connection_id');
  r.end('connection_id');
  return cid;
}

/** The data of a connection_id extension asking the peer to use `cid` (empty: none for us). */
export function encodeConnectionId(cid: Uint8Array): Uint8Array {
  return new BodyWriter().vector(1, 0, 255, cid, 'connection_id').finish();
}

/** Decodes renegotiation_info's data (RFC 5746 3.2: renegotiated_connection<0..255>). */
export function decodeRenegotiationInfo(data: Uint8Array): Uint8Array {
  const r = new BodyReader(data);
  const v = r.vector(1, 0, 255, 'renegotiated_connection');
  r.end('renegotiation_info');
  return v;
}

/** The data of renegotiation_info carrying `verifyData` (empty on an initial handshake). */
export function encodeRenegotiationInfo(verifyData: Uint8Array = new Uint8Array(0)): Uint8Array {
  return new BodyWriter().vector(1, 0, 255, verifyData, 'renegotiated_connection').finish();
}

/**
 * True when the extended_master_secret extension is present. RFC 7627 5.1 says its data is
 * empty; a non-empty one is a malformed extension, which the caller treats as absent or aborts on.
 */
export function hasExtendedMasterSecret(extensions: readonly Extension[] | undefined): boolean {
  return findExtension(extensions, ExtensionType.extendedMasterSecret)?.length === 0;
}
