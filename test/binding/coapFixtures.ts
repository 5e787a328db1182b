// Test helpers for binding/: CoapRequestOptions → IncomingRequest (through coap/'s buildRequest,
// as the endpoint would see it) and OutgoingResponse → CoapResponse (through responseMessage).
import { buildRequest, type CoapRequestOptions } from '../../src/coap/CoapRequest.js';
import { toCoapResponse, type CoapResponse } from '../../src/coap/CoapResponse.js';
import { OptionNumber } from '../../src/coap/CoapMessage.js';
import { getUintOption, getUriPath, getUriQuery } from '../../src/coap/options.js';
import { renderError, type IncomingRequest, type OutgoingResponse } from '../../src/coap/Router.js';
import { responseMessage } from '../../src/coap/responseMessage.js';
import { makePeer } from '../../src/transport/Peer.js';
import { createCoreRegistry } from '../../src/model/core/index.js';

/** The peer every fixture request comes from. */
export const PEER = makePeer('192.0.2.7', 5683);

/** The built-in object models. */
export const models = createCoreRegistry();

/** The request `opts` describes, as a handler receives it (with `token` when given). */
export function incoming(opts: CoapRequestOptions, token?: Uint8Array): IncomingRequest {
  const message = buildRequest(opts);
  if (token) message.token = token;
  return {
    peer: PEER,
    method: message.code,
    path: getUriPath(message),
    query: getUriQuery(message),
    contentFormat: getUintOption(message, OptionNumber.CONTENT_FORMAT),
    accept: getUintOption(message, OptionNumber.ACCEPT),
    observe: getUintOption(message, OptionNumber.OBSERVE),
    payload: message.payload,
    message,
  };
}

/** The response `out` describes, as the requester receives it (`observe` adds the Observe option). */
export function received(out: OutgoingResponse, observe?: number): CoapResponse {
  return toCoapResponse(responseMessage(new Uint8Array([1]), out, observe), PEER);
}

/** The CoAP code `fn`'s error renders as (fails when `fn` does not throw). */
export function renderedCode(fn: () => unknown): number {
  try {
    fn();
  } catch (e) {
    return renderError(e).code;
  }
  throw new Error('expected an error');
}

const utf8 = new TextEncoder();
/** UTF-8 bytes of `s`. */
export const bytes = (s: string): Uint8Array => utf8.encode(s);
/** Text of `b`. */
export const text = (b: Uint8Array | string | undefined): string =>
  b === undefined ? '' : typeof b === 'string' ? b : new TextDecoder().decode(b);
