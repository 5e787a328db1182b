// Errors of the CoAP layer (DESIGN.md conventions, STYLE.md 13): each has a stable `code`.
// coap/ never imports lwm2m/, so these stand alone; upper layers may translate them.

/** Base of local CoAP errors (never sent on the wire). */
export class CoapError extends Error {
  constructor(
    message: string,
    /** Stable machine-readable code, e.g. `COAP_TIMEOUT`. */
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** No response in time: CON retransmissions exhausted (RFC 7252 4.2) or the request's timeout passed. */
export class CoapTimeoutError extends CoapError {
  /**
   * @param acknowledged true when the peer sent an empty ACK (RFC 7252 5.2.2: a separate response
   * would follow) and then no response: the peer got the request but never answered it.
   */
  constructor(
    message = 'CoAP request timed out',
    readonly acknowledged = false,
  ) {
    super(message, 'COAP_TIMEOUT');
    this.name = 'TimeoutError';
  }
}

/** The peer answered the request with a Reset message (RFC 7252 4.2). */
export class CoapResetError extends CoapError {
  constructor(message = 'CoAP peer reset the exchange') {
    super(message, 'COAP_RESET');
  }
}

/** The caller's AbortSignal fired; `cause` holds the signal's reason. */
export class CoapAbortError extends CoapError {
  constructor(cause?: unknown) {
    super('CoAP request aborted', 'COAP_ABORTED', { cause });
    this.name = 'AbortError';
  }
}

/** The response carried an unrecognized critical option and was rejected (RFC 7252 5.4.1). */
export class CoapBadResponseError extends CoapError {
  constructor(message: string) {
    super(message, 'COAP_BAD_RESPONSE');
  }
}

/** The per-peer queue behind NSTART (RFC 7252 4.7) is full. */
export class CoapQueueFullError extends CoapError {
  constructor(limit: number) {
    super(
      `more than ${limit} CoAP requests queued for one peer (raise limits.maxQueuedPerPeer)`,
      'COAP_QUEUE_FULL',
    );
  }
}

/** The transport refused the message for good (e.g. the DTLS handshake was refused); `cause` says why. */
export class CoapSendError extends CoapError {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), 'COAP_SEND_FAILED', { cause });
  }
}

/** The endpoint was closed while the request was pending, or a request was made after close(). */
export class CoapClosedError extends CoapError {
  constructor() {
    super('CoAP endpoint closed', 'COAP_CLOSED');
  }
}

/** A request could not be built or sent as given (bad option, datagram too large, ...). */
export class CoapRequestError extends CoapError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'COAP_BAD_REQUEST_OPTIONS', options);
  }
}

/** What coap/Router renders as a response: any error with a CoAP response code (STYLE.md 13). */
export interface RenderableError {
  readonly coapCode: number;
  readonly message: string;
}

/** Whether `e` carries a response code the router can answer with (a 4.xx or 5.xx code). */
export function isRenderableError(e: unknown): e is RenderableError {
  if (typeof e !== 'object' || e === null) return false;
  const c = (e as { coapCode?: unknown }).coapCode;
  return typeof c === 'number' && Number.isInteger(c) && c >= 0x80 && c <= 0xbf;
}
