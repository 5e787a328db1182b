// The one error every strict decoder in this project throws on bad input (CoAP messages, link
// format, content formats, DTLS records). It lives in the lowest layer so every layer can use it.

/** Why a decoder rejected its input: the input ended early, or it is not valid. */
export type DecodeErrorKind = 'truncated' | 'invalid' | 'limit';

/** Thrown by a decoder for malformed, truncated or over-limit input, with the byte offset. */
export class DecodeError extends Error {
  /** Stable machine-readable code. */
  readonly code = 'LWM2M_DECODE_ERROR';
  /** CoAP 4.00 Bad Request: what a server answers when a request payload does not decode. */
  readonly coapCode = 0x80;

  constructor(
    message: string,
    /** Byte offset (or character offset for text formats) where decoding failed. */
    readonly offset: number,
    /** Truncated input, invalid input, or a configured limit exceeded. */
    readonly kind: DecodeErrorKind = 'invalid',
  ) {
    super(`${message} (at offset ${offset})`);
    this.name = 'DecodeError';
  }
}
