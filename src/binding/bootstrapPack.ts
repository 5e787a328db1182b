// LwM2M Core TS 1.2 (Bootstrap Interface: Bootstrap-Pack-Request) and Transport TS 1.2 section 6
// (Operation to Method and URI Mapping, Bootstrap Interface): GET /bspack?ep={Endpoint Client
// Name} with Accept SenML CBOR, SenML JSON or LwM2M CBOR, answered 2.05 Content with the
// Bootstrap-Pack: the object instances the Bootstrap-Server would otherwise Bootstrap-Write, in
// one multi-path payload (records of /{o}/{i}/{r}[/{ri}]). Both halves: the request and the
// response a client reads, and the response a Bootstrap-Server builds.
import { Code } from '../coap/CoapMessage.js';
import type { CoapRequestOptions } from '../coap/CoapRequest.js';
import type { CoapResponse } from '../coap/CoapResponse.js';
import type { OutgoingResponse } from '../coap/Router.js';
import { getMultiNodeCodec } from '../content/contentCodecs.js';
import { ContentFormat } from '../content/ContentFormat.js';
import type { DecodeLimits } from '../content/decodeLimits.js';
import { DecodeError, NotAcceptableError } from '../lwm2m/errors.js';
import type { ObjectNode, PathNode } from '../lwm2m/Lwm2mNode.js';
import { Lwm2mPath } from '../lwm2m/Lwm2mPath.js';
import { buildTree } from '../lwm2m/nodes.js';
import type { ModelLookup } from '../model/ObjectModel.js';
import { decodeText } from './diagnostic.js';
import { BOOTSTRAP_PACK_PATH } from './uriPath.js';

/** The formats a Bootstrap-Pack travels in (Transport TS 1.2): SenML CBOR, SenML JSON, LwM2M CBOR. */
export const BOOTSTRAP_PACK_FORMATS: readonly number[] = Object.freeze([
  ContentFormat.SENML_CBOR,
  ContentFormat.SENML_JSON,
  ContentFormat.LWM2M_CBOR,
]);

/** True when `format` can carry a Bootstrap-Pack. */
export const isBootstrapPackFormat = (format: number): boolean =>
  BOOTSTRAP_PACK_FORMATS.includes(format) && getMultiNodeCodec(format) !== undefined;

/** Bootstrap-Pack-Request: GET /bspack?ep=.. with Accept when `accept` is given. */
export function bootstrapPackRequest(endpoint: string, accept?: number): CoapRequestOptions {
  return {
    method: 'GET',
    path: [BOOTSTRAP_PACK_PATH],
    query: [`ep=${endpoint}`],
    ...(accept === undefined ? {} : { accept }),
  };
}

/** The pack's records: every instance of every object at its instance path, in the given order. */
export function encodeBootstrapPack(
  objects: readonly ObjectNode[],
  format: number,
  models: ModelLookup,
): Uint8Array {
  const codec = getMultiNodeCodec(format);
  if (!codec || !isBootstrapPackFormat(format))
    throw new NotAcceptableError(`a Bootstrap-Pack is SenML CBOR, SenML JSON or LwM2M CBOR, not ${format}`);
  const nodes: PathNode[] = objects.flatMap((o) =>
    o.instances.map((i) => ({ path: Lwm2mPath.of(o.id, i.id), node: i })),
  );
  return codec.encodeNodes(nodes, models);
}

/** 2.05 Content with the pack in `format` (one of BOOTSTRAP_PACK_FORMATS, else 4.06). */
export function bootstrapPackResponse(
  objects: readonly ObjectNode[],
  format: number,
  models: ModelLookup,
): OutgoingResponse {
  return { code: Code.CONTENT, contentFormat: format, payload: encodeBootstrapPack(objects, format, models) };
}

/**
 * The objects of a pack, in the order they first appear, each with its instances (records of one
 * object need not be contiguous). Throws DecodeError for a payload that does not decode, a record
 * that is not a resource or resource instance, or two values for one path.
 */
export function decodeBootstrapPack(
  payload: Uint8Array,
  format: number,
  models: ModelLookup,
  limits?: DecodeLimits,
): ObjectNode[] {
  const codec = getMultiNodeCodec(format);
  if (!codec || !isBootstrapPackFormat(format))
    throw new DecodeError(`content format ${format} is not a Bootstrap-Pack format`, 0);
  const byObject = new Map<number, PathNode[]>();
  for (const leaf of codec.decodeNodes(payload, models, limits)) {
    const oid = leaf.path.objectId!;
    let list = byObject.get(oid);
    if (!list) byObject.set(oid, (list = []));
    list.push(leaf);
  }
  return [...byObject].map(([oid, leaves]) => buildTree(Lwm2mPath.of(oid), leaves, models) as ObjectNode);
}

/** What a client makes of the answer to its Bootstrap-Pack-Request. */
export type BootstrapPackResult =
  | { readonly ok: true; readonly format: number; readonly objects: readonly ObjectNode[] }
  | { readonly ok: false; readonly code: number; readonly diagnostic?: string };

/**
 * Reads the response to a Bootstrap-Pack-Request: 2.05 with a pack, else the code and the
 * diagnostic payload. A 2.05 without Content-Format is read as the format asked for with Accept
 * (liberal in what we accept); throws DecodeError for a 2.05 whose pack does not decode.
 */
export function parseBootstrapPackResponse(
  res: CoapResponse,
  models: ModelLookup,
  accept?: number,
  limits?: DecodeLimits,
): BootstrapPackResult {
  if (res.code !== Code.CONTENT) {
    const diagnostic = decodeText(res.payload);
    return diagnostic === undefined
      ? { ok: false, code: res.code }
      : { ok: false, code: res.code, diagnostic };
  }
  const format = res.contentFormat ?? accept ?? ContentFormat.SENML_CBOR;
  return { ok: true, format, objects: decodeBootstrapPack(res.payload, format, models, limits) };
}
