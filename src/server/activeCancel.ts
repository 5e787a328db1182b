// RFC 7641 section 3.6 (active cancel: GET with Observe=1 and the relation's token) and LwM2M
// Core TS 1.1.1 section 5.5.3 (Cancel Observation) as one downlink attempt with a typed outcome,
// so a QueueModeSender can hold it for a sleeping client like any other request (Core TS 6.5).
import type { Clock } from '../coap/Clock.js';
import type { CoapObservation } from '../coap/observe/CoapObservation.js';
import { failureResponse } from '../binding/failureResponse.js';
import type { Registration } from '../lwm2m/Registration.js';
import type { ResponseBase } from '../lwm2m/responses.js';
import { localFailure, type SendOptions } from './DownlinkSender.js';

/** The outcome of a cancel that needed no answer from the client (passive, or nothing left to cancel). */
export const CANCELLED_LOCALLY: ResponseBase = { code: 0, ok: true };

/**
 * Sends the active cancel of `relation` to the current address of `reg` and resolves when the
 * client answered (`ok`, code 0: the exchange layer does not keep the answer's code) or with the
 * local failure: 'timeout' (no answer, or `options.timeoutMs` passed) or 'cancelled' (aborted).
 * Either way the relation is over locally afterwards. Never rejects.
 */
export async function cancelActively(
  relation: CoapObservation,
  reg: Registration,
  options: SendOptions,
  clock: Clock,
): Promise<ResponseBase> {
  if (relation.isEnded) return endedOutcome(relation.endedWith);
  relation.rebind(reg.peer); // the client may have moved while the cancel waited (no-op otherwise)
  let local: ResponseBase | undefined;
  const stop = (outcome: ResponseBase): void => {
    local ??= outcome;
    relation.forget();
  };
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : clock.setTimer(options.timeoutMs, () =>
          stop(localFailure('timeout', 'the client did not answer the cancel')),
        );
  const onAbort = (): void => stop(localFailure('cancelled', 'the cancel was aborted'));
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });
  await relation.cancel();
  timer?.cancel();
  options.signal?.removeEventListener('abort', onAbort);
  return local ?? endedOutcome(relation.endedWith);
}

/** The outcome for a relation that is over: OK after a clean end, else its error as a failure. */
function endedOutcome(error: Error | undefined): ResponseBase {
  if (!error) return CANCELLED_LOCALLY;
  try {
    return failureResponse(error);
  } catch {
    return localFailure('cancelled', `the relation failed: ${error.message}`);
  }
}
