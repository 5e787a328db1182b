// LwM2M Transport TS 1.1.1 section 6.4 (DM interface over CoAP) and RFC 7641 (Observe), client
// side: the router handler that turns a CoAP request into a DM operation (binding/fromCoapRequest),
// runs it (DeviceManagement) and answers in the Accept'ed format (binding/toCoapResponse), and that
// hands accepted observations to the ObserveEngine.
import {
  renderError,
  type IncomingRequest,
  type OutgoingResponse,
  type RequestHandler,
} from '../coap/Router.js';
import type { ServerObservation } from '../coap/observe/ServerObservation.js';
import { fromCoapRequest } from '../binding/fromCoapRequest.js';
import type { DecodeLimits } from '../content/decodeLimits.js';
import {
  changedResponse,
  compositeContentResponse,
  contentResponse,
  createdResponse,
  deletedResponse,
  discoverResponse,
  type ClientResponseContext,
} from '../binding/toCoapResponse.js';
import { canonicalFormat } from '../content/contentCodecs.js';
import { FORMATS_BY_VERSION } from '../content/formatSelection.js';
import {
  MethodNotAllowedError,
  NotAcceptableError,
  UnauthorizedError,
  UnsupportedContentFormatError,
} from '../lwm2m/errors.js';
import type { Lwm2mNode, PathNode } from '../lwm2m/Lwm2mNode.js';
import type { Lwm2mPath } from '../lwm2m/Lwm2mPath.js';
import type { DownlinkRequest } from '../lwm2m/requests.js';
import { ResponseCode } from '../lwm2m/responses.js';
import type { Peer } from '../transport/Peer.js';
import type { AnswerFirst, Captured } from './AnswerFirst.js';
import type { DeviceManagement, DmCaller, DmResult } from './DeviceManagement.js';
import type { ObserveEngine } from './ObserveEngine.js';
import type { ObjectTree } from './ObjectTree.js';

/** One request a server made, as reported by the client's 'request' event. */
export interface DmRequestEvent {
  readonly peer: Peer;
  readonly ssid: number;
  readonly request?: DownlinkRequest;
  readonly code: number;
}

/** What the DM handler composes. */
export interface DmHandlerDeps {
  readonly tree: ObjectTree;
  readonly dm: DeviceManagement;
  readonly observe: ObserveEngine;
  readonly lwm2mVersion: '1.0' | '1.1' | '1.2';
  /** Who a peer is; undefined when the client must not answer it (4.01). */
  callerOf(peer: Peer): DmCaller | undefined;
  /** Accepts an observe registration on the CoAP endpoint. */
  acceptObservation(req: IncomingRequest): ServerObservation | undefined;
  /** Reports each handled request. */
  onRequest?(e: DmRequestEvent): void;
  /** Decode limits of request bodies (default DEFAULT_DECODE_LIMITS); the client raises maxValueBytes for firmware. */
  readonly limits?: DecodeLimits;
  /** Format of content answered to a request without Accept, when it can carry it (else the default choice). */
  readonly preferredFormat?: number;
  /** Defers the reactions to a request (e.g. the Update a Write of the lifetime causes) after its answer. */
  readonly answerFirst?: AnswerFirst;
}

/** Builds the router handler serving the DM and Information Reporting interfaces. */
export function createDmHandler(deps: DmHandlerDeps): RequestHandler {
  const ctx: ClientResponseContext = { models: deps.tree, lwm2mVersion: deps.lwm2mVersion };
  return async (req) => {
    const caller = deps.callerOf(req.peer);
    let request: DownlinkRequest | undefined;
    let captured: Captured<DmResult> | undefined;
    try {
      if (!caller) throw new UnauthorizedError('not a server of this client');
      // Transport TS 1.1.1 6.4: a body in a format this client's LwM2M version lacks is 4.15.
      if (req.contentFormat !== undefined && !speaks(deps.lwm2mVersion, req.contentFormat))
        throw new UnsupportedContentFormatError(
          `content format ${req.contentFormat} is not part of LwM2M ${deps.lwm2mVersion}`,
        );
      const parsed = fromCoapRequest(req, { models: deps.tree, bootstrap: false, limits: deps.limits });
      if (!isDownlink(parsed)) throw new MethodNotAllowedError('not a DM request');
      request = parsed;
      const dmRequest = parsed;
      const serve = (): Promise<DmResult> => deps.dm.handle(dmRequest, caller);
      captured = deps.answerFirst?.capture(serve);
      const result = await (captured ? captured.result : serve());
      if (request.kind === 'writeAttributes') deps.observe.attributesChanged(caller.ssid, request.path);
      const res = render(request, result, req, ctx, deps.preferredFormat);
      if (request.kind === 'observe' || request.kind === 'observeComposite')
        watch(deps, req, request, caller, result, ctx);
      deps.onRequest?.({ peer: req.peer, ssid: caller.ssid, request, code: res.code });
      const afterSend = captured?.afterSend();
      return afterSend ? { ...res, afterSend } : res;
    } catch (e) {
      const code =
        typeof (e as { coapCode?: unknown }).coapCode === 'number'
          ? (e as { coapCode: number }).coapCode
          : 0xa0;
      deps.onRequest?.({ peer: req.peer, ssid: caller?.ssid ?? 0, ...(request ? { request } : {}), code });
      // What the request deferred still follows its answer, an error answer included.
      const afterSend = captured?.afterSend();
      if (afterSend) return { ...renderError(e), afterSend };
      throw e;
    }
  };
}

/** True when `format` is one of the formats LwM2M `version` defines (legacy 1.0 numbers included). */
function speaks(version: '1.0' | '1.1' | '1.2', format: number): boolean {
  return FORMATS_BY_VERSION[version].includes(canonicalFormat(format));
}

function isDownlink(r: { kind: string }): r is DownlinkRequest {
  return !r.kind.startsWith('bootstrap');
}

/**
 * Encodes in the Accept'ed format; without Accept, in the client's preferred format when that can
 * carry the content, else in the default choice (Transport TS 6.4: without Accept the client picks).
 */
function encodeIn(
  accept: number | undefined,
  preferred: number | undefined,
  encode: (format: number | undefined) => OutgoingResponse,
): OutgoingResponse {
  if (accept !== undefined || preferred === undefined) return encode(accept);
  try {
    return encode(preferred);
  } catch (e) {
    if (e instanceof NotAcceptableError) return encode(undefined);
    throw e;
  }
}

/** The preference applies to trees (and composite content); a single value keeps the default, text/plain. */
function treeOnly(node: Lwm2mNode, preferred: number | undefined): number | undefined {
  return node.kind === 'resource' || node.kind === 'resourceInstance' ? undefined : preferred;
}

function render(
  request: DownlinkRequest,
  result: DmResult,
  req: IncomingRequest,
  ctx: ClientResponseContext,
  preferred: number | undefined,
): OutgoingResponse {
  switch (result.kind) {
    case 'node': {
      const node = result.content;
      return encodeIn(req.accept, treeOnly(node, preferred), (f) =>
        contentResponse(pathOf(request), node, f, ctx),
      );
    }
    case 'nodes': {
      const nodes = result.content;
      return encodeIn(req.accept, preferred, (f) => compositeContentResponse(nodes, f, ctx));
    }
    case 'links':
      return discoverResponse(result.links);
    case 'created':
      return result.location ? createdResponse(result.location) : { code: ResponseCode.CREATED };
    case 'deleted':
      return deletedResponse();
    case 'changed':
      return changedResponse();
  }
}

function pathOf(request: DownlinkRequest): Lwm2mPath {
  if (!('path' in request)) throw new MethodNotAllowedError('no path');
  return request.path;
}

function watch(
  deps: DmHandlerDeps,
  req: IncomingRequest,
  request: DownlinkRequest & { kind: 'observe' | 'observeComposite' },
  caller: DmCaller,
  result: DmResult,
  ctx: ClientResponseContext,
): void {
  const obs = deps.acceptObservation(req);
  if (!obs) return;
  const composite = request.kind === 'observeComposite';
  const initial: readonly PathNode[] =
    result.kind === 'nodes'
      ? result.content
      : result.kind === 'node' && request.kind === 'observe'
        ? [{ path: request.path, node: result.content }]
        : [];
  if (initial.length === 0) return;
  deps.observe.add(
    {
      key: obs.key,
      ssid: caller.ssid,
      paths: initial.map((n) => n.path),
      composite,
      send: (content, confirmable) => {
        const preferred = Array.isArray(content)
          ? deps.preferredFormat
          : treeOnly(content as Lwm2mNode, deps.preferredFormat);
        const res = encodeIn(req.accept, preferred, (f) =>
          Array.isArray(content)
            ? compositeContentResponse(content as readonly PathNode[], f, ctx)
            : contentResponse(initial[0]!.path, content as Lwm2mNode, f, ctx),
        );
        obs.notify(res, { confirmable });
      },
      gone: (code) => obs.end({ code }),
    },
    initial.map((n) => n.node),
  );
  // An outage keeps the observation (see ObserveEngine.undelivered).
  obs.onNotificationTimeout = () => deps.observe.undelivered(obs.key);
  void obs.ended.then(() => deps.observe.remove(obs.key));
}
