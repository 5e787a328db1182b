// LwM2M Core TS 1.1.1 section 6.4.7 (Send, LwM2M 1.1+) and Transport TS 1.1.1 section 6.5: a
// registered client POSTs data to /dp in a multi-path format (SenML JSON/CBOR, LwM2M CBOR); the
// server answers 2.04 Changed and emits it decoded against the client's object models. A sender
// with no registration is answered 4.04 (the server has no client to attribute the data to), a
// payload that does not decode 4.00 with a diagnostic, a format that cannot carry it 4.15
// (decoding: binding/fromUplinkRequest). With an authorizer, the sender must be authenticated as
// the registration's endpoint, as for Register (Transport TS 1.1.1 5.2): 4.00 for another
// identity, 4.03 in clear for an endpoint with credentials or where security is required.
import { Code } from '../coap/CoapMessage.js';
import { renderError, type IncomingRequest, type OutgoingResponse } from '../coap/Router.js';
import { fromUplinkRequest } from '../binding/fromUplinkRequest.js';
import { SEND_PATH } from '../binding/uriPath.js';
import { BadRequestError } from '../lwm2m/errors.js';
import type { Registration } from '../lwm2m/Registration.js';
import type { ModelRegistry } from '../model/ModelRegistry.js';
import type { RegistrationStore } from '../store/RegistrationStore.js';
import { DecodeError } from '../transport/DecodeError.js';
import type { SendEvent } from './Lwm2mServerEvents.js';
import { modelsFor } from './modelsFor.js';
import type { UplinkAuthorizer } from './UplinkAuthorizer.js';

/** The Uri-Path of the Send operation. */
export const DP_PATH = SEND_PATH;

/** Settings of a SendService. */
export interface SendServiceOptions {
  readonly store: RegistrationStore;
  readonly models: ModelRegistry;
  readonly onSend: (e: SendEvent) => void;
  /** The client sent something: it is awake (Queue Mode). */
  readonly onHeard: (reg: Registration) => void;
  /** Endpoint-name binding to the transport's authenticated identity; none when absent. */
  readonly authorizer?: UplinkAuthorizer;
}

const encoder = new TextEncoder();

/** Serves POST /dp. */
export class SendService {
  constructor(private readonly options: SendServiceOptions) {}

  /** Handles a request routed to `/dp`. */
  async handle(req: IncomingRequest): Promise<OutgoingResponse> {
    if (req.path.length !== 1) return { code: Code.NOT_FOUND };
    if (req.method !== Code.POST) return { code: Code.METHOD_NOT_ALLOWED };
    const reg = await this.options.store.getByPeer(req.peer.key);
    if (!reg) return { code: Code.NOT_FOUND, payload: encoder.encode('no registration for this address') };
    const denied = await this.options.authorizer?.refusal(reg.endpoint, req.peer);
    if (denied) return denied;
    this.options.onHeard(reg);
    try {
      const uplink = fromUplinkRequest(req, { models: modelsFor(reg, this.options.models) });
      if (uplink.kind !== 'send') return { code: Code.NOT_FOUND };
      this.options.onSend({ registration: reg, data: uplink.data, format: uplink.format });
      return { code: Code.CHANGED };
    } catch (e) {
      if (e instanceof DecodeError) return renderError(new BadRequestError(`Send payload: ${e.message}`));
      return renderError(e);
    }
  }
}
