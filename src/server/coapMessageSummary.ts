// RFC 7252 sections 3 and 5.10 (message header and options), RFC 7641 (Observe) and RFC 7959
// (Block1/Block2): one CoAP datagram summed up for the per-client message log (issue 16 item 3):
// type, code, message id, token and a short line of its options. Pure; keeps no reference to the
// datagram (its buffer may be reused by the caller).
import { formatCode, OptionNumber as O, type CoapMessage } from '../coap/CoapMessage.js';
import { decodeMessage } from '../coap/messageCodec.js';
import { decodeUint } from '../coap/options.js';
import { toHex } from '../coap/tokens.js';

/** Names of the message types (RFC 7252 section 3), by type number. */
export const MESSAGE_TYPE_NAMES = ['CON', 'NON', 'ACK', 'RST'] as const;
export type MessageTypeName = (typeof MESSAGE_TYPE_NAMES)[number];

/** What the log keeps of one datagram. */
export interface CoapMessageSummary {
  /** 'CON' | 'NON' | 'ACK' | 'RST', or '?' for a datagram that is not a valid CoAP message. */
  readonly type: MessageTypeName | '?';
  /** "0.01".."0.04" requests, "2.05" etc. responses, "0.00" empty; "" when not decodable. */
  readonly code: string;
  /** The method or response name, e.g. "GET", "2.05 Content"; "" for an empty message. */
  readonly codeName: string;
  readonly messageId: number;
  /** Token in hex ("" when none). */
  readonly token: string;
  /** Options in short, e.g. "/rd?ep=dev1&lt=300 cf=40 obs=0 b2=1/0/1024" (at most 200 characters). */
  readonly options: string;
  /** Payload bytes (the whole datagram's length when not decodable). */
  readonly payloadBytes: number;
  /** Request (class 0 and not empty), response (classes 2-5) or empty (0.00). */
  readonly kind: 'request' | 'response' | 'empty' | 'invalid';
}

const METHODS: Readonly<Record<number, string>> = {
  1: 'GET',
  2: 'POST',
  3: 'PUT',
  4: 'DELETE',
  5: 'FETCH',
  6: 'PATCH',
  7: 'iPATCH',
};
const RESPONSES: Readonly<Record<string, string>> = {
  '2.01': 'Created',
  '2.02': 'Deleted',
  '2.03': 'Valid',
  '2.04': 'Changed',
  '2.05': 'Content',
  '2.31': 'Continue',
  '4.00': 'Bad Request',
  '4.01': 'Unauthorized',
  '4.02': 'Bad Option',
  '4.03': 'Forbidden',
  '4.04': 'Not Found',
  '4.05': 'Method Not Allowed',
  '4.06': 'Not Acceptable',
  '4.08': 'Request Entity Incomplete',
  '4.13': 'Request Entity Too Large',
  '4.15': 'Unsupported Content-Format',
  '5.00': 'Internal Server Error',
  '5.01': 'Not Implemented',
  '5.03': 'Service Unavailable',
  '5.04': 'Gateway Timeout',
};
const MAX_OPTIONS_TEXT = 200;
const decoder = new TextDecoder();

/** Block option value as "num/more/size" (RFC 7959 section 2.2). */
function blockText(value: Uint8Array): string {
  const v = decodeUint(value);
  return `${v >> 4}/${(v >> 3) & 1}/${1 << ((v & 7) + 4)}`;
}

function optionsText(msg: CoapMessage): string {
  let path = '';
  const query: string[] = [];
  const location: string[] = [];
  const rest: string[] = [];
  for (const { number, value } of msg.options) {
    switch (number) {
      case O.URI_PATH:
        path += `/${decoder.decode(value)}`;
        break;
      case O.URI_QUERY:
        query.push(decoder.decode(value));
        break;
      case O.LOCATION_PATH:
        location.push(decoder.decode(value));
        break;
      case O.CONTENT_FORMAT:
        rest.push(`cf=${decodeUint(value)}`);
        break;
      case O.ACCEPT:
        rest.push(`accept=${decodeUint(value)}`);
        break;
      case O.OBSERVE:
        rest.push(`obs=${decodeUint(value)}`);
        break;
      case O.BLOCK1:
        rest.push(`b1=${blockText(value)}`);
        break;
      case O.BLOCK2:
        rest.push(`b2=${blockText(value)}`);
        break;
      case O.SIZE1:
      case O.SIZE2:
      case O.MAX_AGE:
        break;
      default:
        rest.push(`opt${number}`);
    }
  }
  const parts = [
    ...(path || query.length ? [`${path}${query.length ? `?${query.join('&')}` : ''}`] : []),
    ...(location.length ? [`loc=/${location.join('/')}`] : []),
    ...rest,
  ];
  const text = parts.join(' ');
  return text.length > MAX_OPTIONS_TEXT ? `${text.slice(0, MAX_OPTIONS_TEXT - 1)}…` : text;
}

/** Sums `bytes` up; never throws (a datagram that does not decode is kind 'invalid'). */
export function summarizeCoapMessage(bytes: Uint8Array): CoapMessageSummary {
  let msg: CoapMessage;
  try {
    msg = decodeMessage(bytes);
  } catch {
    return {
      type: '?',
      code: '',
      codeName: '',
      messageId: 0,
      token: '',
      options: '',
      payloadBytes: bytes.length,
      kind: 'invalid',
    };
  }
  const code = formatCode(msg.code);
  const kind = msg.code === 0 ? 'empty' : msg.code < 0x20 ? 'request' : 'response';
  const codeName =
    kind === 'request'
      ? (METHODS[msg.code] ?? code)
      : kind === 'response'
        ? `${code} ${RESPONSES[code] ?? ''}`.trim()
        : '';
  return {
    type: MESSAGE_TYPE_NAMES[msg.type],
    code,
    codeName,
    messageId: msg.messageId,
    token: toHex(msg.token),
    options: optionsText(msg),
    payloadBytes: msg.payload.length,
    kind,
  };
}
