// RFC 7252 section 3: the CoAP message as a value. Encoding and decoding live in messageCodec.ts.
//
//  0                   1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |Ver| T |  TKL  |      Code     |          Message ID           |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |   Token (if any, TKL bytes) ...
// |   Options (if any) ...
// |1 1 1 1 1 1 1 1|    Payload (if any) ...

/** Message types (RFC 7252 section 3). */
export const MessageType = { CON: 0, NON: 1, ACK: 2, RST: 3 } as const;
/** A message type number, 0..3. */
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

/** One option: its number and raw value bytes. Options of a message are kept in number order. */
export interface CoapOption {
  readonly number: number;
  readonly value: Uint8Array;
}

/** A CoAP message. `code` is the 8-bit code, class << 5 | detail (e.g. 0x45 = 2.05). */
export interface CoapMessage {
  type: MessageType;
  code: number;
  messageId: number;
  /** 0 to 8 bytes. */
  token: Uint8Array;
  /** In ascending option number order; repeated options keep their relative order. */
  options: CoapOption[];
  /** Empty when the message has no payload. */
  payload: Uint8Array;
}

/** Builds a code byte from class and detail: `code(2, 5)` is 2.05 (0x45). */
export const code = (cls: number, detail: number): number => (cls << 5) | detail;
/** Formats a code byte as `c.dd`, e.g. 0x84 → "4.04". */
export const formatCode = (c: number): string => `${c >> 5}.${String(c & 0x1f).padStart(2, '0')}`;
/** Class of a code: 0 request/empty, 2 success, 4 client error, 5 server error. */
export const codeClass = (c: number): number => c >> 5;

/** Method and response codes (RFC 7252 section 12.1, RFC 7959, RFC 8132). */
export const Code = {
  EMPTY: 0x00,
  GET: 0x01,
  POST: 0x02,
  PUT: 0x03,
  DELETE: 0x04,
  FETCH: 0x05,
  PATCH: 0x06,
  IPATCH: 0x07,
  CREATED: 0x41,
  DELETED: 0x42,
  VALID: 0x43,
  CHANGED: 0x44,
  CONTENT: 0x45,
  CONTINUE: 0x5f,
  BAD_REQUEST: 0x80,
  UNAUTHORIZED: 0x81,
  BAD_OPTION: 0x82,
  FORBIDDEN: 0x83,
  NOT_FOUND: 0x84,
  METHOD_NOT_ALLOWED: 0x85,
  NOT_ACCEPTABLE: 0x86,
  REQUEST_ENTITY_INCOMPLETE: 0x88,
  CONFLICT: 0x89,
  PRECONDITION_FAILED: 0x8c,
  REQUEST_ENTITY_TOO_LARGE: 0x8d,
  UNSUPPORTED_CONTENT_FORMAT: 0x8f,
  INTERNAL_SERVER_ERROR: 0xa0,
  NOT_IMPLEMENTED: 0xa1,
  BAD_GATEWAY: 0xa2,
  SERVICE_UNAVAILABLE: 0xa3,
  GATEWAY_TIMEOUT: 0xa4,
  PROXYING_NOT_SUPPORTED: 0xa5,
} as const;

/** Option numbers (RFC 7252 section 12.2, RFC 7641, RFC 7959, RFC 8613, RFC 9175). */
export const OptionNumber = {
  IF_MATCH: 1,
  URI_HOST: 3,
  ETAG: 4,
  IF_NONE_MATCH: 5,
  OBSERVE: 6,
  URI_PORT: 7,
  LOCATION_PATH: 8,
  OSCORE: 9,
  URI_PATH: 11,
  CONTENT_FORMAT: 12,
  MAX_AGE: 14,
  URI_QUERY: 15,
  HOP_LIMIT: 16,
  ACCEPT: 17,
  Q_BLOCK1: 19,
  LOCATION_QUERY: 20,
  EDHOC: 21,
  BLOCK2: 23,
  BLOCK1: 27,
  SIZE2: 28,
  Q_BLOCK2: 31,
  PROXY_URI: 35,
  PROXY_SCHEME: 39,
  SIZE1: 60,
  ECHO: 252,
  NO_RESPONSE: 258,
  REQUEST_TAG: 292,
} as const;
