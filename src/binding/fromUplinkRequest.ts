// LwM2M Transport TS 1.1.1 sections 6.2 (Bootstrap-Request: POST /bs?ep=..&pct=..), 6.3
// (Register POST /rd?ep=.., Update POST /rd/{id}, De-register DELETE /rd/{id}) and 6.5 (Send:
// POST /dp with SenML or LwM2M CBOR), and Transport TS 1.2 (Bootstrap-Pack-Request: GET
// /bspack?ep=..), server side: which uplink an incoming request is. Errors render as their CoAP
// codes (4.00, 4.04, 4.05, 4.15) through the router.
import { Code } from '../coap/CoapMessage.js';
import type { IncomingRequest } from '../coap/Router.js';
import type { Lwm2mVersion } from '../lwm2m/bindingMode.js';
import { BadRequestError, MethodNotAllowedError, NotFoundError } from '../lwm2m/errors.js';
import type { TimestampedNodes } from '../lwm2m/Lwm2mNode.js';
import {
  parseRegisterRequest,
  parseUpdateRequest,
  type RegisterRequest,
  type RegistrationRequestOptions,
  type UpdateRequest,
} from '../lwm2m/registrationRequest.js';
import type { ModelLookup } from '../model/ObjectModel.js';
import { decodeTimestampedBody } from './requestBody.js';
import { BOOTSTRAP_PACK_PATH, BOOTSTRAP_PATH, REGISTRATION_PATH, SEND_PATH } from './uriPath.js';

/** An uplink request a server or bootstrap server receives. */
export type UplinkRequest =
  | { readonly kind: 'register'; readonly request: RegisterRequest }
  | { readonly kind: 'update'; readonly registrationId: string; readonly update: UpdateRequest }
  | { readonly kind: 'deregister'; readonly registrationId: string }
  | { readonly kind: 'send'; readonly data: readonly TimestampedNodes[]; readonly format: number }
  | {
      readonly kind: 'bootstrapRequest';
      readonly endpoint: string;
      /** Preferred Content Format (`pct`, 1.1+). */
      readonly preferredFormat?: number;
    }
  | {
      readonly kind: 'bootstrapPackRequest';
      readonly endpoint: string;
      /** The Accept option: the format the client wants the pack in (LwM2M 1.2). */
      readonly accept?: number;
    };

/** What classifying an uplink needs. */
export interface UplinkContext extends RegistrationRequestOptions {
  readonly models: ModelLookup;
  /**
   * The LwM2M version of registration `id`, or undefined when there is no such registration
   * (an Update for it is then 4.04, Core TS 6.2.2). Needed for Update only.
   */
  readonly registrationVersion?: (id: string) => Lwm2mVersion | undefined;
}

/** The uplink `req` carries; throws BadRequestError, NotFoundError, MethodNotAllowedError or UnsupportedContentFormatError. */
export function fromUplinkRequest(req: IncomingRequest, ctx: UplinkContext): UplinkRequest {
  const [first, ...rest] = req.path;
  if (first === REGISTRATION_PATH) return fromRegistrationRequest(req, rest, ctx);
  if (first === SEND_PATH && rest.length === 0) {
    if (req.method !== Code.POST) throw new MethodNotAllowedError('Send is a POST to /dp');
    const { data, format } = decodeTimestampedBody(req, ctx.models, 'Send');
    return { kind: 'send', data, format };
  }
  if (first === BOOTSTRAP_PACK_PATH && rest.length === 0) {
    if (req.method !== Code.GET)
      throw new MethodNotAllowedError('Bootstrap-Pack-Request is a GET to /bspack');
    const { endpoint } = bootstrapRequestOf(req.query, 'Bootstrap-Pack-Request');
    return req.accept === undefined
      ? { kind: 'bootstrapPackRequest', endpoint }
      : { kind: 'bootstrapPackRequest', endpoint, accept: req.accept };
  }
  if (first === BOOTSTRAP_PATH && rest.length === 0) {
    if (req.method !== Code.POST) throw new MethodNotAllowedError('Bootstrap-Request is a POST to /bs');
    return bootstrapRequestOf(req.query);
  }
  throw new NotFoundError(`no LwM2M interface at /${req.path.join('/').slice(0, 60)}`);
}

function fromRegistrationRequest(
  req: IncomingRequest,
  rest: readonly string[],
  ctx: UplinkContext,
): UplinkRequest {
  if (rest.length === 0) {
    if (req.method !== Code.POST) throw new MethodNotAllowedError('Register is a POST to /rd');
    return { kind: 'register', request: parseRegisterRequest(req.query, payloadText(req), req.peer, ctx) };
  }
  if (rest.length !== 1) throw new NotFoundError(`no registration at /rd/${rest.join('/').slice(0, 60)}`);
  const registrationId = rest[0]!;
  if (req.method === Code.DELETE) return { kind: 'deregister', registrationId };
  if (req.method !== Code.POST) throw new MethodNotAllowedError('Update is a POST, De-register a DELETE');
  const version = ctx.registrationVersion?.(registrationId);
  if (version === undefined) throw new NotFoundError(`no registration ${registrationId.slice(0, 40)}`);
  const update = parseUpdateRequest(req.query, payloadText(req), version, ctx);
  return { kind: 'update', registrationId, update };
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function payloadText(req: IncomingRequest): string {
  try {
    return strictUtf8.decode(req.payload);
  } catch {
    throw new BadRequestError('the registration payload is not UTF-8 text');
  }
}

/**
 * Core TS 1.1.1 6.1.1: `ep` names the client; `pct` (1.1) its preferred content format. A
 * Bootstrap-Pack-Request (1.2) is read by the same rules; unknown parameters are ignored.
 */
function bootstrapRequestOf(
  query: readonly string[],
  operation = 'Bootstrap-Request',
): { kind: 'bootstrapRequest'; endpoint: string; preferredFormat?: number } {
  let endpoint: string | undefined;
  let preferredFormat: number | undefined;
  for (const item of query) {
    const eq = item.indexOf('=');
    const name = eq < 0 ? item : item.slice(0, eq);
    const value = eq < 0 ? '' : item.slice(eq + 1);
    if (name === 'ep') {
      if (endpoint !== undefined) throw new BadRequestError('parameter ep appears more than once');
      endpoint = value;
    } else if (name === 'pct') {
      if (!/^[0-9]{1,5}$/.test(value) || Number(value) > 0xffff)
        throw new BadRequestError(`pct "${value.slice(0, 10)}" is not a content format`);
      preferredFormat = Number(value);
    }
  }
  if (endpoint === undefined || endpoint === '') throw new BadRequestError(`${operation} needs ep`);
  return preferredFormat === undefined
    ? { kind: 'bootstrapRequest', endpoint }
    : { kind: 'bootstrapRequest', endpoint, preferredFormat };
}
