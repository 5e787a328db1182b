// LwM2M Transport TS 1.1.1 sections 6.2, 6.3 and 6.5, client side: the uplink requests a client
// sends (Bootstrap-Request, Register, Update, De-register, Send) and the reading of the Register
// response's Location-Path.
import { Code, OptionNumber } from '../coap/CoapMessage.js';
import type { CoapRequestOptions } from '../coap/CoapRequest.js';
import type { CoapResponse } from '../coap/CoapResponse.js';
import { requireMultiNodeCodec } from '../content/contentCodecs.js';
import { ContentFormat } from '../content/ContentFormat.js';
import type { Lwm2mVersion } from '../lwm2m/bindingMode.js';
import { formatRegistrationPayload, type RegistrationObjects } from '../lwm2m/linkFormat.js';
import type { PathNode, TimestampedNodes } from '../lwm2m/Lwm2mNode.js';
import { InvalidRequestError } from '../lwm2m/requestErrors.js';
import { isSuccess, type ResponseBase } from '../lwm2m/responses.js';
import type { ModelLookup } from '../model/ObjectModel.js';
import { decodeText } from './diagnostic.js';
import { BOOTSTRAP_PATH, REGISTRATION_PATH, SEND_PATH } from './uriPath.js';

/** What a client registers with (Core TS 6.2.1). */
export interface RegisterParams {
  readonly endpoint: string;
  /** Seconds (`lt`); omitted means the default 86400. */
  readonly lifetime?: number;
  readonly lwm2mVersion: Lwm2mVersion;
  /** Binding letters (`b`), e.g. "U"; omitted means "U". */
  readonly binding?: string;
  /** MSISDN (`sms`). */
  readonly sms?: string;
  /** Queue Mode (`Q`, LwM2M 1.1+; a 1.0 client puts Q in `binding` instead). */
  readonly queueMode?: boolean;
  /** The Objects and Object Instances payload. */
  readonly objects: RegistrationObjects;
}

/** What changed since the last Register or Update (Core TS 6.2.2: only these are sent). */
export interface UpdateParams {
  readonly lifetime?: number;
  readonly binding?: string;
  readonly sms?: string;
  readonly objects?: RegistrationObjects;
}

const linkPayload = (
  objects: RegistrationObjects,
): Pick<CoapRequestOptions, 'contentFormat' | 'payload'> => ({
  contentFormat: ContentFormat.LINK,
  payload: formatRegistrationPayload(objects),
});

/** Register: POST /rd?ep=..&lt=..&lwm2m=..&b=..&sms=..&Q with the objects as link format. */
export function registerRequest(p: RegisterParams): CoapRequestOptions {
  if (p.queueMode && p.lwm2mVersion === '1.0')
    throw new InvalidRequestError('a LwM2M 1.0 client signals queue mode with binding "UQ", not Q');
  const query = [`ep=${p.endpoint}`];
  if (p.lifetime !== undefined) query.push(`lt=${p.lifetime}`);
  query.push(`lwm2m=${p.lwm2mVersion}`);
  if (p.binding !== undefined) query.push(`b=${p.binding}`);
  if (p.sms !== undefined) query.push(`sms=${p.sms}`);
  if (p.queueMode) query.push('Q');
  return { method: 'POST', path: [REGISTRATION_PATH], query, ...linkPayload(p.objects) };
}

/** Update: POST to the registration's location with the changed parameters (none: a plain refresh). */
export function updateRequest(location: readonly string[], changed: UpdateParams = {}): CoapRequestOptions {
  const query: string[] = [];
  if (changed.lifetime !== undefined) query.push(`lt=${changed.lifetime}`);
  if (changed.binding !== undefined) query.push(`b=${changed.binding}`);
  if (changed.sms !== undefined) query.push(`sms=${changed.sms}`);
  return {
    method: 'POST',
    path: location,
    ...(query.length > 0 ? { query } : {}),
    ...(changed.objects ? linkPayload(changed.objects) : {}),
  };
}

/** De-register: DELETE the registration's location. */
export const deregisterRequest = (location: readonly string[]): CoapRequestOptions => ({
  method: 'DELETE',
  path: location,
});

/** Send (1.1): POST /dp with the nodes, timestamped groups or plain nodes, in a multi-path format. */
export function sendRequest(
  data: readonly TimestampedNodes[] | readonly PathNode[],
  format: number,
  models: ModelLookup,
): CoapRequestOptions {
  const codec = requireMultiNodeCodec(format);
  const payload = isTimestamped(data)
    ? codec.encodeTimestamped(data, models)
    : codec.encodeNodes(data, models);
  return { method: 'POST', path: [SEND_PATH], contentFormat: format, payload };
}

const isTimestamped = (
  data: readonly TimestampedNodes[] | readonly PathNode[],
): data is readonly TimestampedNodes[] => data.length > 0 && 'nodes' in data[0]!;

/** Bootstrap-Request: POST /bs?ep=..(&pct=.. for 1.1+). */
export function bootstrapRequest(endpoint: string, preferredFormat?: number): CoapRequestOptions {
  const query = [`ep=${endpoint}`];
  if (preferredFormat !== undefined) query.push(`pct=${preferredFormat}`);
  return { method: 'POST', path: [BOOTSTRAP_PATH], query };
}

/** The result of a Register: the location to Update and De-register, or why it failed. */
export interface RegisterResult extends ResponseBase {
  /** Location-Path segments, e.g. ['rd', '5a3f']. */
  readonly location?: readonly string[];
}

/** Reads a Register response: 2.01 with Location-Path, else the error code and diagnostic. */
export function parseRegisterResponse(res: CoapResponse): RegisterResult {
  if (!isSuccess(res.code)) {
    const diagnostic = decodeText(res.payload);
    return diagnostic === undefined
      ? { code: res.code, ok: false }
      : { code: res.code, ok: false, diagnostic };
  }
  const location = res.options
    .filter((o) => o.number === OptionNumber.LOCATION_PATH)
    .map((o) => new TextDecoder().decode(o.value));
  if (res.code !== Code.CREATED || location.length === 0)
    return {
      code: res.code,
      ok: false,
      failure: 'decode',
      diagnostic: 'Register response has no Location-Path',
    };
  return { code: res.code, ok: true, location };
}
