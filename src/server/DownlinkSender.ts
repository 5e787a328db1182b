// LwM2M Core TS 1.1.1 sections 5.4 (Device Management and Service Enablement) and 5.5
// (Information Reporting): the port through which the server sends a downlink request to one
// registered client. RequestSender implements it over CoAP; QueueModeSender decorates it.
import type { CoapObservation } from '../coap/observe/CoapObservation.js';
import type { ResponseFor } from '../binding/toLwm2mResponse.js';
import type { Registration } from '../lwm2m/Registration.js';
import type { DownlinkRequest, ObserveCompositeRequest, ObserveRequest } from '../lwm2m/requests.js';
import type { CompositeContentResponse, ContentResponse, ResponseBase } from '../lwm2m/responses.js';

/** Per-request settings of a downlink request. */
export interface SendOptions {
  /**
   * Overall deadline in ms, from the call: it covers time spent queued for a sleeping Queue Mode
   * client. Default: Lwm2mServerConfig.requestTimeoutMs once sent, queuedRequestTimeoutMs while queued.
   */
  readonly timeoutMs?: number;
  /** Aborts the request; it resolves with failure 'cancelled'. */
  readonly signal?: AbortSignal;
  /** For a sleeping Queue Mode client: false answers at once with failure 'sleeping' instead of queuing. */
  readonly queue?: boolean;
  /** Called with the id of its QueuedRequestStore entry once the request is queued (and stored) for a sleeping client. */
  readonly onQueued?: (id: string) => void;
}

/** An observe request of either kind. */
export type AnyObserveRequest = ObserveRequest | ObserveCompositeRequest;

/** The outcome of starting an observation: the client's answer, and the relation when it accepted. */
export interface ObserveStart {
  readonly response: ContentResponse | CompositeContentResponse;
  /** Present when the client accepted the observation (2.05 with Observe). */
  readonly relation?: CoapObservation;
}

/** Sends downlink requests to a registered client; every outcome is a typed response, never a rejection. */
export interface DownlinkSender {
  send<R extends DownlinkRequest>(reg: Registration, req: R, options?: SendOptions): Promise<ResponseFor<R>>;
  observe(reg: Registration, req: AnyObserveRequest, options?: SendOptions): Promise<ObserveStart>;
  /**
   * Active cancel of `relation` (RFC 7641 3.6) as a downlink request: a sender that knows Queue
   * Mode holds it while the client sleeps. Without it, the cancel is sent at once.
   */
  cancelObservation?(
    reg: Registration,
    relation: CoapObservation,
    options?: SendOptions,
  ): Promise<ResponseBase>;
}

/** A response for a request that never reached the client (or got no answer). */
export function localFailure(
  failure: NonNullable<ResponseBase['failure']>,
  diagnostic: string,
): ResponseBase {
  return { code: 0, ok: false, failure, diagnostic };
}
