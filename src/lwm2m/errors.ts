// One small error tree with stable codes (DESIGN.md conventions, STYLE.md 13). Each error carries
// the CoAP response code it renders as, so coap/'s router can answer with it without importing lwm2m/.
export { DecodeError } from '../transport/DecodeError.js';
export type { DecodeErrorKind } from '../transport/DecodeError.js';
export { InvalidPathError } from './Lwm2mPath.js';

/** Base of LwM2M errors: a stable `code` and the CoAP response code to answer with. */
export class Lwm2mError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly coapCode: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** 4.00 Bad Request. */
export class BadRequestError extends Lwm2mError {
  constructor(message: string) {
    super(message, 'LWM2M_BAD_REQUEST', 0x80);
  }
}
/** 4.01 Unauthorized (access control). */
export class UnauthorizedError extends Lwm2mError {
  constructor(message: string) {
    super(message, 'LWM2M_UNAUTHORIZED', 0x81);
  }
}
/** 4.04 Not Found. */
export class NotFoundError extends Lwm2mError {
  constructor(message: string) {
    super(message, 'LWM2M_NOT_FOUND', 0x84);
  }
}
/** 4.05 Method Not Allowed (operation not allowed on this resource). */
export class MethodNotAllowedError extends Lwm2mError {
  constructor(message: string) {
    super(message, 'LWM2M_METHOD_NOT_ALLOWED', 0x85);
  }
}
/** 4.06 Not Acceptable: the requested format cannot carry this content. */
export class NotAcceptableError extends Lwm2mError {
  constructor(message: string) {
    super(message, 'LWM2M_NOT_ACCEPTABLE', 0x86);
  }
}
/** 4.15 Unsupported Content-Format: no codec, or the format cannot carry this node (thrown by encoders too). */
export class UnsupportedContentFormatError extends Lwm2mError {
  constructor(message: string) {
    super(message, 'LWM2M_UNSUPPORTED_CONTENT_FORMAT', 0x8f);
  }
}
/** 5.00 Internal Server Error. */
export class InternalError extends Lwm2mError {
  constructor(message: string) {
    super(message, 'LWM2M_INTERNAL', 0xa0);
  }
}
/** A request got no answer in time (local error, never sent on the wire). */
export class TimeoutError extends Error {
  readonly code = 'LWM2M_TIMEOUT';
  constructor(message: string) {
    super(message);
    this.name = 'TimeoutError';
  }
}
