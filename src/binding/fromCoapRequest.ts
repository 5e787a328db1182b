// LwM2M Transport TS 1.1.1 sections 6.2, 6.4 and 6.5, client side: the CoAP request a client
// receives from its server or bootstrap server, as the LwM2M request it means (the inverse of
// toCoapRequest). Errors render as the CoAP codes the tables give: 4.04 unknown path, 4.05 method
// not allowed on the path, 4.15 missing/unsupported Content-Format, 4.00 undecodable body.
import { Code } from '../coap/CoapMessage.js';
import type { IncomingRequest } from '../coap/Router.js';
import { ContentFormat } from '../content/ContentFormat.js';
import { parseAttributes } from '../lwm2m/attributes.js';
import {
  BadRequestError,
  MethodNotAllowedError,
  NotFoundError,
  UnsupportedContentFormatError,
} from '../lwm2m/errors.js';
import { InvalidPathError, Lwm2mPath } from '../lwm2m/Lwm2mPath.js';
import * as r from '../lwm2m/requests.js';
import type { BootstrapDownlinkRequest, DownlinkRequest } from '../lwm2m/requests.js';
import type { ModelLookup } from '../model/ObjectModel.js';
import { DecodeError } from '../transport/DecodeError.js';
import type { DecodeLimits } from '../content/decodeLimits.js';
import { decodeNodeBody, decodeNodesBody, decodePathsBody } from './requestBody.js';
import { BOOTSTRAP_PATH, stripRootPath } from './uriPath.js';

/** What fromCoapRequest needs to know on the client. */
export interface ClientRequestContext {
  readonly models: ModelLookup;
  /** True when the request came from the bootstrap server (Bootstrap interface). */
  readonly bootstrap: boolean;
  /** The alternate root path this client registered with (e.g. '/lwm2m'); stripped from requests. */
  readonly rootPath?: string;
  /** Decode limits for request bodies; default DEFAULT_DECODE_LIMITS (raise maxValueBytes for firmware pushes). */
  readonly limits?: DecodeLimits;
}

const METHOD_NAMES: Readonly<Record<number, string>> = {
  [Code.GET]: 'GET',
  [Code.POST]: 'POST',
  [Code.PUT]: 'PUT',
  [Code.DELETE]: 'DELETE',
  [Code.FETCH]: 'FETCH',
  [Code.PATCH]: 'PATCH',
  [Code.IPATCH]: 'iPATCH',
};

function notAllowed(req: IncomingRequest, path: Lwm2mPath): MethodNotAllowedError {
  const method = METHOD_NAMES[req.method] ?? `method ${req.method}`;
  return new MethodNotAllowedError(`${method} is not allowed on ${path.toString()}`);
}

function lwm2mPathOf(segments: readonly string[]): Lwm2mPath {
  try {
    return Lwm2mPath.fromSegments(segments);
  } catch (e) {
    if (e instanceof InvalidPathError) throw new NotFoundError(e.message);
    throw e;
  }
}

const withFormat = (format: number | undefined): { format?: number } =>
  format === undefined ? {} : { format };

/** The LwM2M request `req` carries; throws a Lwm2mError (or DecodeError) that renders as its CoAP code. */
export function fromCoapRequest(
  req: IncomingRequest,
  ctx: ClientRequestContext,
): DownlinkRequest | BootstrapDownlinkRequest {
  if (ctx.bootstrap) return fromBootstrapRequest(req, ctx);
  const path = lwm2mPathOf(stripRootPath(req.path, ctx.rootPath));
  switch (req.method) {
    case Code.GET:
      if (path.isRoot()) throw notAllowed(req, path);
      if (req.observe === 0) return r.observe(path, withFormat(req.accept));
      if (req.observe === 1) return { kind: 'cancelObservation', path, token: req.message.token };
      if (req.accept === ContentFormat.LINK) return r.discover(path, depthOf(req.query));
      return r.read(path, withFormat(req.accept));
    case Code.PUT:
      return fromPut(req, path, ctx);
    case Code.POST:
      return fromPost(req, path, ctx);
    case Code.DELETE:
      if (path.length < 2) throw notAllowed(req, path);
      return r.del(path);
    case Code.FETCH: {
      if (!path.isRoot()) throw notAllowed(req, path);
      const { paths, format: requestFormat } = decodePathsBody(req, 'a composite request');
      if (req.observe === 1)
        return { kind: 'cancelCompositeObservation', paths, token: req.message.token, requestFormat };
      const opts = { requestFormat, ...withFormat(req.accept) };
      return req.observe === 0 ? r.observeComposite(paths, opts) : r.readComposite(paths, opts);
    }
    case Code.IPATCH: {
      if (!path.isRoot()) throw notAllowed(req, path);
      const { nodes, format } = decodeNodesBody(req, ctx, 'Write-Composite');
      return r.writeComposite(nodes, { format });
    }
    default:
      throw notAllowed(req, path);
  }
}

/** Core TS 1.2 5.4.2: `depth` (0 to 3) limits how deep Discover goes. Other query items are ignored. */
function depthOf(query: readonly string[]): { depth?: number } {
  const item = query.find((q) => q === 'depth' || q.startsWith('depth='));
  if (item === undefined) return {};
  const text = item.slice('depth='.length);
  if (!/^[0-3]$/.test(text)) throw new BadRequestError(`depth "${text.slice(0, 10)}" is not 0 to 3`);
  return { depth: Number(text) };
}

function fromPut(req: IncomingRequest, path: Lwm2mPath, ctx: ClientRequestContext): DownlinkRequest {
  if (path.isRoot()) throw notAllowed(req, path);
  // Transport TS 6.4: Write-Attributes is a PUT with Uri-Query and no payload.
  if (req.payload.length === 0 && (req.query.length > 0 || req.contentFormat === undefined))
    return r.writeAttributes(path, parseAttributes(req.query));
  if (req.query.length > 0) throw new BadRequestError('a Write carries no Uri-Query');
  if (path.isObject()) throw notAllowed(req, path);
  const { node, format } = decodeNodeBody(req, path, ctx, 'Write');
  return r.write(path, node, { mode: 'replace', format });
}

function fromPost(req: IncomingRequest, path: Lwm2mPath, ctx: ClientRequestContext): DownlinkRequest {
  if (path.isRoot() || path.isResourceInstance()) throw notAllowed(req, path);
  if (path.isObject()) {
    const { node, format } = decodeNodeBody(req, path, ctx, 'Create');
    if (node.kind !== 'object') throw new DecodeError('Create payload is not an object', 0);
    return r.create(path, node.instances, { format });
  }
  if (path.isResource() && isExecute(req, path, ctx.models)) {
    if (req.contentFormat !== undefined && req.contentFormat !== ContentFormat.TEXT)
      throw new UnsupportedContentFormatError(
        `Execute arguments are text/plain, not format ${req.contentFormat}`,
      );
    return r.execute(path, executeArguments(req.payload));
  }
  // POST on an instance (or, 1.2, on a multiple resource) is a partial update (Core TS 5.4.3).
  const { node, format } = decodeNodeBody(req, path, ctx, 'Write (partial update)');
  return r.write(path, node, { mode: 'update', format });
}

/** POST on a resource executes it, unless the model says it is a writable, non-executable resource. */
function isExecute(req: IncomingRequest, path: Lwm2mPath, models: ModelLookup): boolean {
  const res = models.getObject(path.objectId!)?.resources.get(path.resourceId!);
  if (res === undefined) return req.contentFormat === undefined || req.contentFormat === ContentFormat.TEXT;
  return res.operations.includes('E') || !res.operations.includes('W');
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function executeArguments(payload: Uint8Array): string | undefined {
  if (payload.length === 0) return undefined;
  try {
    return strictUtf8.decode(payload);
  } catch {
    throw new DecodeError('Execute arguments are not UTF-8 text', 0);
  }
}

/** Transport TS 6.2: the Bootstrap interface (no alternate root path applies). */
function fromBootstrapRequest(req: IncomingRequest, ctx: ClientRequestContext): BootstrapDownlinkRequest {
  if (req.method === Code.POST && req.path.length === 1 && req.path[0] === BOOTSTRAP_PATH)
    return r.bootstrapFinish();
  const path = lwm2mPathOf(req.path);
  switch (req.method) {
    case Code.GET:
      if (req.accept === ContentFormat.LINK) return r.bootstrapDiscover(path);
      if (path.isRoot()) throw notAllowed(req, path);
      return r.bootstrapRead(path, withFormat(req.accept));
    case Code.PUT: {
      if (path.isRoot()) throw notAllowed(req, path);
      const { node, format } = decodeNodeBody(req, path, ctx, 'Bootstrap-Write');
      return r.bootstrapWrite(path, node, { format });
    }
    case Code.DELETE:
      return r.bootstrapDelete(path);
    default:
      throw notAllowed(req, path);
  }
}
