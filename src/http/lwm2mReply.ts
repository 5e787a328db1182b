// Transport TS 1.1.1 section 6 (LwM2M response codes over CoAP, RFC 7252 section 5.9) mapped to
// RFC 9110 HTTP status codes for the REST API. The device's answer is proxied, so a CoAP 5.xx of the
// device is 502 Bad Gateway (5.03 stays 503, 5.04 stays 504) and an unanswered request is 504.

import type { RequestFailure, ResponseBase } from '../lwm2m/responses.js';
import { formatCode } from '../coap/CoapMessage.js';

/** An HTTP status with its JSON body. */
export interface HttpReply {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** The "c.dd" text of a CoAP code byte, e.g. 0x84 → "4.04" (coap's formatCode). */
export const coapCodeText = formatCode;

const BY_COAP_CODE: Readonly<Record<number, number>> = {
  0x80: 400, // 4.00 Bad Request
  0x81: 403, // 4.01 Unauthorized: LwM2M access control denied it (HTTP 401 means HTTP authentication)
  0x82: 400, // 4.02 Bad Option
  0x83: 403, // 4.03 Forbidden
  0x84: 404, // 4.04 Not Found
  0x85: 405, // 4.05 Method Not Allowed
  0x86: 406, // 4.06 Not Acceptable
  0x88: 400, // 4.08 Request Entity Incomplete
  0x8c: 412, // 4.12 Precondition Failed
  0x8d: 413, // 4.13 Request Entity Too Large
  0x8f: 415, // 4.15 Unsupported Content-Format
  0xa3: 503, // 5.03 Service Unavailable
  0xa4: 504, // 5.04 Gateway Timeout
};

/** The HTTP status for an LwM2M error code: table above, other 4.xx → 400, other 5.xx → 502. */
export function httpStatusForCoapCode(code: number): number {
  return BY_COAP_CODE[code] ?? (code >> 5 === 4 ? 400 : 502);
}

const BY_FAILURE: Readonly<Record<RequestFailure, readonly [number, string]>> = {
  timeout: [504, 'timeout'],
  sleeping: [503, 'client sleeping'],
  deregistered: [404, 'unknown endpoint'],
  reset: [502, 'reset by client'],
  decode: [502, 'undecodable response'],
  cancelled: [503, 'cancelled'],
  limit: [429, 'server limit reached'],
};

/** The HTTP status and short error text for a request that got no LwM2M answer. */
export function httpStatusForFailure(failure: RequestFailure): readonly [number, string] {
  return BY_FAILURE[failure];
}

/**
 * The reply for an LwM2M response: `success(res)` with `{ code, ...fields }` for 2.xx (status
 * `okStatus`), else `{ error, coapCode?, message }` with the mapped status. A response that could not
 * be sent (code 0, no failure) is a 500.
 */
export function replyFor<R extends ResponseBase>(
  res: R,
  success: (res: R) => Record<string, unknown>,
  okStatus = 200,
): HttpReply {
  if (res.ok) return { status: okStatus, body: { code: coapCodeText(res.code), ...success(res) } };
  if (res.failure !== undefined) {
    const [status, error] = httpStatusForFailure(res.failure);
    const coap = res.code === 0 ? {} : { coapCode: coapCodeText(res.code) };
    if (res.failure === 'timeout')
      // The request may have reached the device and been carried out, its answer lost (issue 12 item 8).
      return {
        status,
        body: {
          error,
          ...coap,
          outcome: 'unknown',
          message: `${res.diagnostic ?? 'no answer in time'}; whether the device carried out the request is unknown`,
        },
      };
    return { status, body: { error, ...coap, message: res.diagnostic ?? error } };
  }
  if (res.code === 0)
    return { status: 500, body: { error: 'not sent', message: res.diagnostic ?? 'request not sent' } };
  const status = httpStatusForCoapCode(res.code);
  const coapCode = coapCodeText(res.code);
  return {
    status,
    body: { error: 'lwm2m error', coapCode, message: res.diagnostic ?? `the client answered ${coapCode}` },
  };
}
