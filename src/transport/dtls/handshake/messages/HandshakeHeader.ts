// The DTLS handshake message header (RFC 6347 section 4.2.2), 12 bytes before each fragment:
//   | msg_type (1) | length (3) | message_seq (2) | fragment_offset (3) | fragment_length (3) |
// A handshake record may carry several fragments back to back (RFC 6347 4.2.3; OpenSSL packs
// ServerHello and ServerHelloDone in one record). A fragment is well formed when its body is
// fragment_length bytes and fragment_offset + fragment_length <= length; putting fragments
// together is the Reassembler's job.

import { DecodeError } from '../../../DecodeError.js';
import { pooledBytes } from '../../record/pooledBytes.js';
import { EncodeRangeError } from './BodyWriter.js';

/** Handshake message types (RFC 5246 7.4, RFC 6347 4.3.2). */
export const HandshakeType = {
  helloRequest: 0,
  clientHello: 1,
  serverHello: 2,
  helloVerifyRequest: 3,
  newSessionTicket: 4,
  certificate: 11,
  serverKeyExchange: 12,
  certificateRequest: 13,
  serverHelloDone: 14,
  certificateVerify: 15,
  clientKeyExchange: 16,
  finished: 20,
} as const;

/** Length of the DTLS handshake header. */
export const HANDSHAKE_HEADER_LENGTH = 12;

/** One handshake fragment; `body` is a view into the record content. */
export interface HandshakeFragment {
  readonly msgType: number;
  /** Length of the whole message body. */
  readonly length: number;
  readonly messageSeq: number;
  readonly fragmentOffset: number;
  /** The fragment's bytes (fragment_length of them). */
  readonly body: Uint8Array;
}

/** Options for decoding the fragments of a record. */
export interface FragmentDecodeOptions {
  /** Most fragments accepted in one record (default 16). */
  readonly maxFragments?: number;
}

/** Default bound on handshake fragments per record. */
export const DEFAULT_MAX_FRAGMENTS_PER_RECORD = 16;

/** True when `f` holds its whole message. */
export const isWholeMessage = (f: HandshakeFragment): boolean =>
  f.fragmentOffset === 0 && f.body.length === f.length;

const u24 = (b: Uint8Array, at: number): number => (b[at]! << 16) | (b[at + 1]! << 8) | b[at + 2]!;

/** Splits the content of a handshake record into fragments; DecodeError when malformed. */
export function decodeHandshakeFragments(
  content: Uint8Array,
  options: FragmentDecodeOptions = {},
): HandshakeFragment[] {
  const max = options.maxFragments ?? DEFAULT_MAX_FRAGMENTS_PER_RECORD;
  const out: HandshakeFragment[] = [];
  let at = 0;
  while (at < content.length) {
    if (out.length === max)
      throw new DecodeError(`more than ${max} handshake fragments in one record`, at, 'limit');
    if (content.length - at < HANDSHAKE_HEADER_LENGTH)
      throw new DecodeError('handshake header truncated', at, 'truncated');
    const msgType = content[at]!;
    const length = u24(content, at + 1);
    const messageSeq = (content[at + 4]! << 8) | content[at + 5]!;
    const fragmentOffset = u24(content, at + 6);
    const fragmentLength = u24(content, at + 9);
    if (fragmentOffset + fragmentLength > length)
      throw new DecodeError(
        `handshake fragment ${fragmentOffset}+${fragmentLength} beyond length ${length}`,
        at + 6,
      );
    const start = at + HANDSHAKE_HEADER_LENGTH;
    if (content.length - start < fragmentLength)
      throw new DecodeError('handshake fragment truncated', start, 'truncated');
    out.push({
      msgType,
      length,
      messageSeq,
      fragmentOffset,
      body: content.subarray(start, start + fragmentLength),
    });
    at = start + fragmentLength;
  }
  return out;
}

/** Largest value of a 24-bit field. */
const MAX_UINT24 = 0xff_ffff;

/**
 * Encodes one fragment, header and body, into one pooled buffer (a flight encodes each of its
 * messages twice: once for the transcript, once per transmission).
 */
export function encodeHandshakeFragment(f: HandshakeFragment): Uint8Array {
  const { msgType, length, messageSeq, fragmentOffset, body } = f;
  if (fragmentOffset + body.length > length)
    throw new RangeError(`handshake fragment ${fragmentOffset}+${body.length} beyond length ${length}`);
  checkField(msgType, 0xff, 'msg_type');
  checkField(length, MAX_UINT24, 'length');
  checkField(messageSeq, 0xffff, 'message_seq');
  checkField(fragmentOffset, MAX_UINT24, 'fragment_offset');
  const out = pooledBytes(HANDSHAKE_HEADER_LENGTH + body.length); // every byte is written below
  out[0] = msgType;
  writeU24(out, 1, length);
  out[4] = messageSeq >> 8;
  out[5] = messageSeq & 0xff;
  writeU24(out, 6, fragmentOffset);
  writeU24(out, 9, body.length);
  out.set(body, HANDSHAKE_HEADER_LENGTH);
  return out;
}

function checkField(v: number, max: number, what: string): void {
  if (!Number.isInteger(v) || v < 0 || v > max)
    throw new EncodeRangeError(`${what} ${v} does not fit in ${max > 0xffff ? 3 : max > 0xff ? 2 : 1} bytes`);
}

function writeU24(out: Uint8Array, at: number, v: number): void {
  out[at] = v >> 16;
  out[at + 1] = (v >> 8) & 0xff;
  out[at + 2] = v & 0xff;
}

/**
 * A whole message in one fragment: what goes on the wire when it fits, and what enters the
 * transcript hash in every case (RFC 6347 4.2.6).
 */
export function encodeHandshakeMessage(msgType: number, messageSeq: number, body: Uint8Array): Uint8Array {
  return encodeHandshakeFragment({ msgType, length: body.length, messageSeq, fragmentOffset: 0, body });
}
