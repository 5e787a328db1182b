// RFC 7252 sections 5.7-5.9 (server side): dispatches incoming requests to handlers by Uri-Path,
// the longest matching path prefix winning; a default handler answers 4.04 Not Found. Errors a
// handler throws render as responses (5.5.2 diagnostic payload; STYLE.md 13).
import type { Peer } from '../transport/Peer.js';
import { Code, type CoapMessage, type CoapOption } from './CoapMessage.js';
import { isRenderableError } from './errors.js';

/** A request as a handler sees it. */
export interface IncomingRequest {
  readonly peer: Peer;
  /** Method code, e.g. 0x01 GET. */
  readonly method: number;
  /** Uri-Path segments. */
  readonly path: string[];
  /** Uri-Query arguments. */
  readonly query: string[];
  readonly contentFormat?: number;
  readonly accept?: number;
  /** The Observe option: 0 asks to register, 1 to deregister (RFC 7641 2). */
  readonly observe?: number;
  readonly payload: Uint8Array;
  /** The whole request message. */
  readonly message: CoapMessage;
}

/** What a handler answers. The endpoint adds token, type, message ID (and Observe if accepted). */
export interface OutgoingResponse {
  /** Response code, e.g. 0x45 2.05 Content. */
  code: number;
  payload?: Uint8Array;
  contentFormat?: number;
  /** More options (e.g. ETag, Location-Path, Block2); Content-Format goes in `contentFormat`. */
  options?: CoapOption[];
  /**
   * Called once, right after the endpoint handed this response to the transport (or dropped it
   * because the endpoint closed): side effects that send to the same peer run here, so the peer
   * gets the answer to its request first. Stages that copy a response keep it; its throw is ignored.
   */
  afterSend?: () => void;
}

/** Serves one request. */
export type RequestHandler = (req: IncomingRequest) => OutgoingResponse | Promise<OutgoingResponse>;

/** A stage around request dispatch (STYLE.md 4), e.g. block-wise responses: `next` is the rest. */
export type HandlerStage = (next: RequestHandler) => RequestHandler;

interface RouteNode {
  handler?: RequestHandler;
  children?: Map<string, RouteNode>;
}

const notFound: RequestHandler = () => ({ code: Code.NOT_FOUND });
const utf8 = new TextEncoder();
const MAX_DIAGNOSTIC_CHARS = 200;

/** Longest-prefix router over Uri-Path segments. */
export class Router {
  private readonly root: RouteNode = {};
  private fallback: RequestHandler = notFound;

  /** Routes requests whose path starts with `prefix` ('/3/0', ['3', '0'], '' for all) to `handler`. */
  use(prefix: string | readonly string[], handler: RequestHandler): this {
    let node = this.root;
    for (const seg of segments(prefix)) {
      node.children ??= new Map();
      let next = node.children.get(seg);
      if (!next) node.children.set(seg, (next = {}));
      node = next;
    }
    node.handler = handler;
    return this;
  }

  /** Removes the handler registered for exactly `prefix`; true if there was one. */
  remove(prefix: string | readonly string[]): boolean {
    let node: RouteNode | undefined = this.root;
    for (const seg of segments(prefix)) node = node?.children?.get(seg);
    if (!node?.handler) return false;
    node.handler = undefined;
    return true;
  }

  /** Sets the handler for requests no route matches (default: 4.04 Not Found). */
  setDefault(handler: RequestHandler): this {
    this.fallback = handler;
    return this;
  }

  /** The handler for `path`: the one registered for its longest prefix, or the default. */
  match(path: readonly string[]): RequestHandler {
    let node: RouteNode | undefined = this.root;
    let best = this.root.handler ?? this.fallback;
    for (let i = 0; i < path.length && node; i++) {
      node = node.children?.get(path[i]!);
      if (node?.handler) best = node.handler;
    }
    return best;
  }

  /** Dispatches `req` to its handler. Handlers' errors propagate; see `renderError`. */
  readonly dispatch: RequestHandler = (req) => this.match(req.path)(req);
}

/**
 * The response for an error a handler threw: its `coapCode` with the message as diagnostic
 * payload (RFC 7252 5.5.2) when it is a RenderableError, else 5.00 with no details.
 */
export function renderError(e: unknown): OutgoingResponse {
  if (isRenderableError(e)) {
    const text = String(e.message ?? '').slice(0, MAX_DIAGNOSTIC_CHARS);
    return text ? { code: e.coapCode, payload: utf8.encode(text) } : { code: e.coapCode };
  }
  return { code: Code.INTERNAL_SERVER_ERROR };
}

function segments(prefix: string | readonly string[]): readonly string[] {
  if (typeof prefix !== 'string') return prefix;
  const s = prefix.startsWith('/') ? prefix.slice(1) : prefix;
  return s === '' ? [] : s.split('/');
}
