// LwM2M Transport TS 1.1.1 section 6 (response codes of each operation) and Core TS 1.1.1
// section 5: the CoAP response to a downlink request, as the typed LwM2M response of its kind.
// A response whose payload does not decode is `{ ok: false, failure: 'decode' }`, never a throw.
import type { CoapResponse } from '../coap/CoapResponse.js';
import { OptionNumber } from '../coap/CoapMessage.js';
import { getMultiNodeCodec, getNodeCodec } from '../content/contentCodecs.js';
import { ContentFormat } from '../content/ContentFormat.js';
import { DecodeError } from '../transport/DecodeError.js';
import { parseDiscoverResponse } from '../lwm2m/linkFormat.js';
import { Lwm2mPath } from '../lwm2m/Lwm2mPath.js';
import type { BootstrapDownlinkRequest, DownlinkRequest } from '../lwm2m/requests.js';
import {
  isSuccess,
  type CompositeContentResponse,
  type ContentResponse,
  type CreateResponse,
  type DiscoverResponse,
  type EmptyResponse,
  type ResponseBase,
} from '../lwm2m/responses.js';
import type { ModelLookup } from '../model/ObjectModel.js';
import { decodeText } from './diagnostic.js';

/** The typed response of each request kind. */
export interface ResponseByKind {
  read: ContentResponse;
  discover: DiscoverResponse;
  write: EmptyResponse;
  writeAttributes: EmptyResponse;
  execute: EmptyResponse;
  create: CreateResponse;
  delete: EmptyResponse;
  readComposite: CompositeContentResponse;
  writeComposite: EmptyResponse;
  observe: ContentResponse;
  observeComposite: CompositeContentResponse;
  cancelObservation: EmptyResponse;
  cancelCompositeObservation: EmptyResponse;
  bootstrapRead: ContentResponse;
  bootstrapDiscover: DiscoverResponse;
  bootstrapWrite: EmptyResponse;
  bootstrapDelete: EmptyResponse;
  bootstrapFinish: EmptyResponse;
}

/** The response type for a request type, e.g. `ResponseFor<ReadRequest>` is ContentResponse. */
export type ResponseFor<R extends DownlinkRequest | BootstrapDownlinkRequest> = ResponseByKind[R['kind']];

/** A response whose payload could not be read: the code as received, `failure: 'decode'`. */
export function decodeFailure(code: number, e: unknown): ResponseBase {
  const diagnostic = e instanceof Error ? e.message : String(e);
  return { code, ok: false, failure: 'decode', diagnostic };
}

function errorResponse(res: CoapResponse): ResponseBase {
  const diagnostic = decodeText(res.payload);
  return diagnostic === undefined ? { code: res.code, ok: false } : { code: res.code, ok: false, diagnostic };
}

/**
 * The typed response to `req` carried by `res`. Error codes keep their diagnostic payload as
 * text; content is decoded with the codec of the response's Content-Format (text/plain when a
 * single-path response names none, as 1.0 clients do).
 */
export function toLwm2mResponse<R extends DownlinkRequest | BootstrapDownlinkRequest>(
  req: R,
  res: CoapResponse,
  models: ModelLookup,
): ResponseFor<R> {
  return decodeResponse(req, res, models) as ResponseFor<R>;
}

function decodeResponse(
  req: DownlinkRequest | BootstrapDownlinkRequest,
  res: CoapResponse,
  models: ModelLookup,
): ResponseBase {
  if (!isSuccess(res.code)) return errorResponse(res);
  const ok = { code: res.code, ok: true };
  try {
    switch (req.kind) {
      case 'read':
      case 'observe':
      case 'bootstrapRead':
        return decodeContent(req.path, res, models);
      case 'readComposite':
      case 'observeComposite':
        return decodeComposite(res, models);
      case 'discover':
      case 'bootstrapDiscover': {
        if (res.contentFormat !== undefined && res.contentFormat !== ContentFormat.LINK)
          return decodeFailure(
            res.code,
            new DecodeError(`Discover answered in content format ${res.contentFormat}`, 0),
          );
        const text = new TextDecoder('utf-8', { fatal: true }).decode(res.payload);
        const discovered: DiscoverResponse = { ...ok, links: parseDiscoverResponse(text) };
        return discovered;
      }
      case 'create': {
        const location = createdLocation(req.path, res);
        const created: CreateResponse = location === undefined ? ok : { ...ok, location };
        return created;
      }
      default:
        return ok;
    }
  } catch (e) {
    return decodeFailure(res.code, e);
  }
}

function decodeContent(path: Lwm2mPath, res: CoapResponse, models: ModelLookup): ContentResponse {
  if (res.contentFormat === undefined && res.payload.length === 0) return { code: res.code, ok: true };
  const format = res.contentFormat ?? ContentFormat.TEXT;
  const codec = getNodeCodec(format);
  if (!codec) return decodeFailure(res.code, new DecodeError(`no codec for content format ${format}`, 0));
  // A literal, not a spread of a base object: this runs for every Read and notification.
  return { code: res.code, ok: true, content: codec.decode(res.payload, path, models), format };
}

function decodeComposite(res: CoapResponse, models: ModelLookup): CompositeContentResponse {
  const format = res.contentFormat;
  const codec = format === undefined ? undefined : getMultiNodeCodec(format);
  if (!codec || format === undefined)
    return decodeFailure(
      res.code,
      new DecodeError(`content format ${format ?? 'none'} cannot carry several paths`, 0),
    );
  return { code: res.code, ok: true, content: codec.decodeNodes(res.payload, models), format };
}

/**
 * The new instance's path from Location-Path (Core TS 5.4.6: `/{Object ID}/{Instance ID}`, after
 * the client's alternate root path if it has one); undefined when the client sent none.
 */
function createdLocation(path: Lwm2mPath, res: CoapResponse): Lwm2mPath | undefined {
  const segments = res.options
    .filter((o) => o.number === OptionNumber.LOCATION_PATH)
    .map((o) => new TextDecoder().decode(o.value));
  if (segments.length === 0) return undefined;
  if (segments.length < 2) throw new DecodeError(`Location-Path /${segments.join('/')} names no instance`, 0);
  const location = Lwm2mPath.fromSegments(segments.slice(-2));
  if (location.objectId !== path.objectId)
    throw new DecodeError(`Location-Path ${location.toString()} is not an instance of ${path.toString()}`, 0);
  return location;
}
