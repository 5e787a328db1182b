// RFC 7252 sections 5.8 (methods), 6.4 (URI to options) and 5.10 (options): a request as data,
// and the message built from it. RFC 8132 adds FETCH, PATCH and iPATCH.
import { Code, MessageType, OptionNumber, type CoapMessage, type CoapOption } from './CoapMessage.js';
import { BoundedMemo } from './BoundedMemo.js';
import { CoapRequestError } from './errors.js';
import { encodeUint, uriPathOptions, uriQueryOptions } from './options.js';

/** A method by name or by code. */
export type CoapMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'FETCH' | 'PATCH' | 'IPATCH' | number;

/** A request to send with CoapEndpoint.request / observe. */
export interface CoapRequestOptions {
  readonly method: CoapMethod;
  /** '/3/0/1' or ['3', '0', '1']. */
  readonly path?: string | readonly string[];
  /** Uri-Query arguments, e.g. ['ep=node1', 'lt=300']. */
  readonly query?: readonly string[];
  readonly contentFormat?: number;
  readonly accept?: number;
  /** A string is sent as UTF-8. */
  readonly payload?: Uint8Array | string;
  /** CON (default) or NON. */
  readonly confirmable?: boolean;
  /** Overall deadline for the response. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** More options (ETag, Block1, ...), merged in option-number order. */
  readonly options?: readonly CoapOption[];
}

const METHODS: Readonly<Record<string, number>> = {
  GET: Code.GET,
  POST: Code.POST,
  PUT: Code.PUT,
  DELETE: Code.DELETE,
  FETCH: Code.FETCH,
  PATCH: Code.PATCH,
  IPATCH: Code.IPATCH,
};
const utf8 = new TextEncoder();
const EMPTY = new Uint8Array(0);

/** The code of `method`; throws CoapRequestError for an unknown name or a non-request code. */
export function methodCode(method: CoapMethod): number {
  const c = typeof method === 'number' ? method : METHODS[method];
  if (c === undefined || !Number.isInteger(c) || c < 1 || c > 0x1f)
    throw new CoapRequestError(`not a CoAP request method: ${String(method)}`);
  return c;
}

/** Builds the request message (empty token and MID 0: the layers below assign them). */
export function buildRequest(req: CoapRequestOptions): CoapMessage {
  const code = methodCode(req.method);
  let options: CoapOption[];
  try {
    // The fresh Uri-Path array is the options array (no spread copy per request).
    options =
      req.path !== undefined ? uriPathOptions(typeof req.path === 'string' ? req.path : [...req.path]) : [];
    if (req.query) for (const o of uriQueryOptions([...req.query])) options.push(o);
  } catch (e) {
    throw new CoapRequestError(`bad request path or query: ${(e as Error).message}`, { cause: e });
  }
  if (req.contentFormat !== undefined)
    options.push(uintOption(OptionNumber.CONTENT_FORMAT, req.contentFormat));
  if (req.accept !== undefined) options.push(uintOption(OptionNumber.ACCEPT, req.accept));
  if (req.options) for (const o of req.options) options.push(o);
  if (!inNumberOrder(options)) options.sort(byNumber); // stable: repeated options keep their order
  const payload =
    req.payload === undefined
      ? EMPTY
      : typeof req.payload === 'string'
        ? utf8.encode(req.payload)
        : req.payload;
  return {
    type: req.confirmable === false ? MessageType.NON : MessageType.CON,
    code,
    messageId: 0,
    token: EMPTY,
    options,
    payload,
  };
}

const byNumber = (a: CoapOption, b: CoapOption): number => a.number - b.number;

function inNumberOrder(options: readonly CoapOption[]): boolean {
  for (let i = 1; i < options.length; i++) if (options[i]!.number < options[i - 1]!.number) return false;
  return true;
}

function uintOption(number: number, value: number): CoapOption {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff)
    throw new CoapRequestError(`option ${number} value ${value} is not a 16-bit unsigned integer`);
  // Content-Format and Accept take a handful of values: one shared (immutable) option each.
  return uintOptions.get(number * 0x10000 + value);
}

const uintOptions = new BoundedMemo<number, CoapOption>(256, (key) => ({
  number: Math.floor(key / 0x10000),
  value: encodeUint(key % 0x10000),
}));
