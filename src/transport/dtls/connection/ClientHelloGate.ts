// The stateless front door of a DTLS server (RFC 6347 section 4.2.1): a datagram from a peer with
// no handshake in progress either carries a ClientHello with a valid cookie (then a handshake may
// start), or gets a HelloVerifyRequest built from the ClientHello alone, or is dropped. Nothing
// is kept between the two ClientHellos: the cookie is an HMAC (CookieJar).
//
// - The HelloVerifyRequest goes in a record with version DTLS 1.0 (FE FF, 4.2.1 lets servers use
//   it for any client) and the ClientHello's record sequence number; its message_seq is the
//   ClientHello's (4.2.2), so the second ClientHello and our ServerHello continue from it.
// - Anti-amplification (research/dtls.md 2.3): the answer is never longer than the datagram that
//   asked for it (60 bytes against a ClientHello of at least 67); if it ever were, we drop.
// - A first ClientHello split across fragments is dropped (californium#722 does the same; every
//   client seen sends it whole, it is ~70-300 bytes).

import type { CookieJar } from '../cookie/CookieJar.js';
import { decodeClientHello, type ClientHello } from '../handshake/messages/ClientHello.js';
import {
  decodeHandshakeFragments,
  encodeHandshakeMessage,
  HANDSHAKE_HEADER_LENGTH,
  HandshakeType,
  isWholeMessage,
} from '../handshake/messages/HandshakeHeader.js';
import { pooledBytes } from '../record/pooledBytes.js';
import {
  ContentType,
  DtlsVersion,
  RECORD_HEADER_LENGTH,
  writeRecordHeader,
  type DtlsRecord,
} from '../record/RecordCodec.js';

/** What to do with a datagram from a peer without a handshake. */
export type GateDecision =
  | { readonly kind: 'drop' }
  | { readonly kind: 'verify'; readonly datagram: Uint8Array }
  | {
      readonly kind: 'accept';
      readonly hello: ClientHello;
      /** The ClientHello as it enters the transcript. */
      readonly wire: Uint8Array;
      readonly messageSeq: number;
      readonly recordSeq: number;
    };

const DROP: GateDecision = { kind: 'drop' };

/** True when `records` start with an epoch-0 handshake record holding a ClientHello. */
export function startsWithClientHello(records: readonly DtlsRecord[]): boolean {
  const r = records[0];
  return (
    r !== undefined &&
    r.epoch === 0 &&
    r.type === ContentType.handshake &&
    r.fragment.length > 0 &&
    r.fragment[0] === HandshakeType.clientHello
  );
}

/** The random of the ClientHello starting `record` (12-byte header, 2-byte version), if long enough. */
export function clientHelloRandom(record: DtlsRecord): Uint8Array | undefined {
  const at = HANDSHAKE_HEADER_LENGTH + 2;
  return record.fragment.length >= at + 32 ? record.fragment.subarray(at, at + 32) : undefined;
}

/** Decides statelessly about a datagram (`size` bytes, already split into `records`). */
export function gateClientHello(
  records: readonly DtlsRecord[],
  size: number,
  address: string,
  port: number,
  jar: CookieJar,
): GateDecision {
  if (!startsWithClientHello(records)) return DROP;
  const record = records[0]!;
  let hello: ClientHello;
  let messageSeq: number;
  let body: Uint8Array;
  try {
    const f = decodeHandshakeFragments(record.fragment, { maxFragments: 1 })[0]!;
    if (!isWholeMessage(f)) return DROP;
    hello = decodeClientHello(f.body);
    messageSeq = f.messageSeq;
    body = f.body;
  } catch {
    return DROP; // malformed: silently dropped (RFC 6347 4.1.2.7)
  }
  const fresh = jar.verifyOrIssue(hello.cookie, address, port, hello);
  if (fresh === undefined) {
    return {
      kind: 'accept',
      hello,
      wire: encodeHandshakeMessage(HandshakeType.clientHello, messageSeq, body),
      messageSeq,
      recordSeq: record.sequenceNumber,
    };
  }
  const datagram = helloVerifyRequestDatagram(fresh, messageSeq, record.sequenceNumber);
  return datagram.length <= size ? { kind: 'verify', datagram } : DROP;
}

/**
 * The HelloVerifyRequest datagram, written in one buffer (this is the flood path): record header
 * (DTLS 1.0, epoch 0, the ClientHello's sequence number), handshake header (one whole fragment,
 * the ClientHello's message_seq), server_version FE FF, cookie<0..255>.
 */
function helloVerifyRequestDatagram(cookie: Uint8Array, messageSeq: number, recordSeq: number): Uint8Array {
  const bodyLength = 2 + 1 + cookie.length;
  const fragmentLength = HANDSHAKE_HEADER_LENGTH + bodyLength;
  const out = pooledBytes(RECORD_HEADER_LENGTH + fragmentLength); // every byte is written below
  let at = writeRecordHeader(
    out,
    0,
    ContentType.handshake,
    DtlsVersion.dtls10,
    0,
    recordSeq,
    undefined,
    fragmentLength,
  );
  out[at] = HandshakeType.helloVerifyRequest;
  writeUint24(out, at + 1, bodyLength); // length
  out[at + 4] = messageSeq >> 8;
  out[at + 5] = messageSeq & 0xff;
  writeUint24(out, at + 6, 0); // fragment_offset
  writeUint24(out, at + 9, bodyLength); // fragment_length
  at += HANDSHAKE_HEADER_LENGTH;
  out[at] = DtlsVersion.dtls10 >> 8;
  out[at + 1] = DtlsVersion.dtls10 & 0xff;
  out[at + 2] = cookie.length;
  out.set(cookie, at + 3);
  return out;
}

function writeUint24(out: Uint8Array, at: number, n: number): void {
  out[at] = (n >> 16) & 0xff;
  out[at + 1] = (n >> 8) & 0xff;
  out[at + 2] = n & 0xff;
}
