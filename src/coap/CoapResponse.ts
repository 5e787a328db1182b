// RFC 7252 section 5.2: a response as the requesting side sees it, built from the response message.
import type { Peer } from '../transport/Peer.js';
import type { CoapMessage, CoapOption } from './CoapMessage.js';
import { getContentFormat } from './options.js';

/** A response to a request this endpoint sent (also each notification of an observation). */
export interface CoapResponse {
  /** Response code byte, e.g. 0x45 for 2.05 Content. */
  readonly code: number;
  readonly options: readonly CoapOption[];
  readonly payload: Uint8Array;
  /** The Content-Format option, when present. */
  readonly contentFormat?: number;
  /** Who answered. */
  readonly peer: Peer;
  /** The whole response message (ACK, CON or NON). */
  readonly message: CoapMessage;
}

/** Builds the CoapResponse view of a response message (a malformed Content-Format is left out). */
export function toCoapResponse(message: CoapMessage, peer: Peer): CoapResponse {
  let contentFormat: number | undefined;
  try {
    contentFormat = getContentFormat(message);
  } catch {
    contentFormat = undefined;
  }
  return {
    code: message.code,
    options: message.options,
    payload: message.payload,
    contentFormat,
    peer,
    message,
  };
}
