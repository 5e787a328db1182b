// LwM2M Core TS 1.1.1 section 5 (operation results): a request that got no LwM2M response at
// all (RFC 7252 section 4.2: retransmissions exhausted, Reset; a cancelled exchange) as a
// ResponseBase with `failure` set, so every request resolves to data (responses.ts).
import {
  CoapAbortError,
  CoapClosedError,
  CoapQueueFullError,
  CoapResetError,
  CoapTimeoutError,
} from '../coap/errors.js';
import { TimeoutError } from '../lwm2m/errors.js';
import type { RequestFailure, ResponseBase } from '../lwm2m/responses.js';
import { DecodeError } from '../transport/DecodeError.js';

function failureOf(error: unknown): RequestFailure | undefined {
  if (error instanceof CoapTimeoutError || error instanceof TimeoutError) return 'timeout';
  if (error instanceof CoapResetError) return 'reset';
  if (error instanceof DecodeError) return 'decode';
  if (
    error instanceof CoapAbortError ||
    error instanceof CoapClosedError ||
    error instanceof CoapQueueFullError ||
    (error instanceof Error && error.name === 'AbortError')
  )
    return 'cancelled';
  return undefined;
}

/**
 * The response for a request that failed locally: CoapTimeoutError/TimeoutError → 'timeout',
 * CoapResetError → 'reset', DecodeError → 'decode', an abort, a closed endpoint or a full queue →
 * 'cancelled'. Any other error is a bug (e.g. CoapRequestError for a request that cannot be
 * built) and is rethrown.
 */
export function failureResponse(error: unknown): ResponseBase {
  const failure = failureOf(error);
  if (failure === undefined) throw error;
  return { code: 0, ok: false, failure, diagnostic: (error as Error).message };
}
