// LwM2M Core TS 1.1.1 section 5 (operation results) and Transport TS 1.1.1 section 6 (their
// CoAP response codes): the typed result of every downlink request. A result is data: a failed
// operation is a response with `ok: false`, never a thrown error; only local failures (timeout,
// sleeping client, cancelled) are reported through `failure`.
import type { DiscoverLink } from './linkFormat.js';
import type { Lwm2mNode, PathNode, TimestampedNodes } from './Lwm2mNode.js';
import type { Lwm2mPath } from './Lwm2mPath.js';
import { Code } from '../coap/CoapMessage.js';

/**
 * LwM2M response codes: the CoAP codes themselves (Transport TS 1.1.1 section 6 tables name each
 * operation's codes by their CoAP names, e.g. 2.05 Content, 4.04 Not Found).
 */
export const ResponseCode = Code;

/** Every RequestFailure, for readers of stored records. */
export const REQUEST_FAILURES = Object.freeze([
  'timeout',
  'reset',
  'cancelled',
  'sleeping',
  'deregistered',
  'decode',
  /** A server limit refused the request locally (e.g. maxObservationsPerClient). */
  'limit',
] as const);

/** Why a request got no LwM2M response at all. */
export type RequestFailure = (typeof REQUEST_FAILURES)[number];

/** What every response carries. */
export interface ResponseBase {
  /** CoAP response code byte (0 when `failure` is set). */
  readonly code: number;
  /** True for a 2.xx code. */
  readonly ok: boolean;
  /** Diagnostic payload of an error response, or the local failure's message. */
  readonly diagnostic?: string;
  /** Set when no response arrived (timeout, RST, ...) or its payload did not decode. */
  readonly failure?: RequestFailure;
}

/** Read, Bootstrap-Read, Observe: a node. */
export interface ContentResponse extends ResponseBase {
  readonly content?: Lwm2mNode;
  readonly format?: number;
}
/** Read-Composite and Observe-Composite: nodes at their paths. */
export interface CompositeContentResponse extends ResponseBase {
  readonly content?: readonly PathNode[];
  readonly format?: number;
}
/** Discover, Bootstrap-Discover: links with attributes. */
export interface DiscoverResponse extends ResponseBase {
  readonly links?: readonly DiscoverLink[];
}
/** Create: where the new instance lives (from Location-Path, when the client chose the id). */
export interface CreateResponse extends ResponseBase {
  readonly location?: Lwm2mPath;
}
/** Write, Write-Attributes, Execute, Delete, Write-Composite, Bootstrap-* and cancel. */
export type EmptyResponse = ResponseBase;

/** A notification of an observation (single or composite), possibly with historical values. */
export interface Notification {
  readonly content?: Lwm2mNode | readonly PathNode[];
  /** Timestamped values (historical notifications, SenML with times). */
  readonly timestamped?: readonly TimestampedNodes[];
  readonly format?: number;
  /** CoAP Observe sequence number. */
  readonly sequence?: number;
}

/** True when `code` is a 2.xx success. */
export const isSuccess = (code: number): boolean => code >> 5 === 2;
