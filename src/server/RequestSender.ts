// LwM2M Transport TS 1.1.1 section 6.4 / 6.5 over RFC 7252: a downlink request goes out as the
// CoAP request binding/toCoapRequest builds (content format chosen from the client's LwM2M
// version and announced formats unless the request names one), through the endpoint of the
// transport the client registered on, and comes back as the typed response of binding/
// toLwm2mResponse. Timeouts, Reset and cancellation become responses with `failure` set.
import type { CoapEndpoint } from '../coap/CoapEndpoint.js';
import type { CoapRequestOptions } from '../coap/CoapRequest.js';
import { CoapTimeoutError } from '../coap/errors.js';
import { Code } from '../coap/CoapMessage.js';
import type { Clock } from '../coap/Clock.js';
import { chooseFallbackFormat } from '../binding/chooseFormat.js';
import { failureResponse } from '../binding/failureResponse.js';
import { toCoapRequest, type DownlinkContext } from '../binding/toCoapRequest.js';
import { downlinkContext } from './modelsFor.js';
import { toLwm2mResponse, type ResponseFor } from '../binding/toLwm2mResponse.js';
import type { Registration } from '../lwm2m/Registration.js';
import type { DownlinkRequest, ObserveRequest, ReadRequest } from '../lwm2m/requests.js';
import type { CompositeContentResponse, ContentResponse, ResponseBase } from '../lwm2m/responses.js';
import type { ModelRegistry } from '../model/ModelRegistry.js';
import type { AnyObserveRequest, DownlinkSender, ObserveStart, SendOptions } from './DownlinkSender.js';

/** Settings of a RequestSender. */
export interface RequestSenderOptions {
  readonly models: ModelRegistry;
  /** The endpoint that reaches `reg` (the transport it registered on). */
  readonly endpointFor: (reg: Registration) => CoapEndpoint;
  /** Deadline of a request whose caller gives none. */
  readonly requestTimeoutMs: number;
  /** Called with the registration whenever the client answered (any response: it is awake). */
  readonly onAnswer?: (reg: Registration) => void;
  /**
   * Measures what is left of a request's deadline when it is asked again in another format;
   * without it the second attempt gets the whole deadline.
   */
  readonly clock?: Clock;
}

/** The format-choice and encoding context of a registration (cached per payload: modelsFor.ts). */
export { downlinkContext };

/** Sends downlink requests over CoAP. */
export class RequestSender implements DownlinkSender {
  constructor(private readonly options: RequestSenderOptions) {}

  async send<R extends DownlinkRequest>(
    reg: Registration,
    req: R,
    options: SendOptions = {},
  ): Promise<ResponseFor<R>> {
    const ctx = downlinkContext(reg, this.options.models);
    const coap = this.build(req, ctx, options);
    if (!('method' in coap)) return coap as ResponseFor<R>;
    const started = this.options.clock?.now();
    try {
      const res = await this.options.endpointFor(reg).request(reg.peer, coap);
      this.options.onAnswer?.(reg);
      const retry = req.kind === 'read' ? this.fallback(req, res.code, coap.accept, ctx) : undefined;
      const rest = retry && this.remaining(options, started);
      if (rest) return await this.send(reg, retry as R, rest);
      return toLwm2mResponse(req, res, ctx.models);
    } catch (e) {
      return failed(e, req) as ResponseFor<R>;
    }
  }

  async observe(reg: Registration, req: AnyObserveRequest, options: SendOptions = {}): Promise<ObserveStart> {
    const ctx = downlinkContext(reg, this.options.models);
    const coap = this.build(req, ctx, options);
    if (!('method' in coap)) return { response: coap };
    const started = this.options.clock?.now();
    const relation = this.options.endpointFor(reg).observe(reg.peer, coap);
    try {
      const first = await relation.response;
      this.options.onAnswer?.(reg);
      const response = toLwm2mResponse(req, first, ctx.models) as ContentResponse | CompositeContentResponse;
      if (!response.ok || relation.isEnded) {
        relation.forget();
        const retry = req.kind === 'observe' ? this.fallback(req, first.code, coap.accept, ctx) : undefined;
        const rest = retry && this.remaining(options, started);
        return rest ? await this.observe(reg, retry!, rest) : { response };
      }
      return { response, relation };
    } catch (e) {
      relation.forget();
      return { response: failed(e, req) };
    }
  }

  /**
   * The same Read or Observe in another format, when the client answered 4.06 Not Acceptable to
   * the format this server chose itself (the caller named none): e.g. a 1.1 client that serves a
   * resource instance in SenML CBOR only, not as text/plain (binding/chooseFormat's fallback).
   * Asked once: the retry names its format, so a second 4.06 is the answer.
   */
  private fallback<T extends ReadRequest | ObserveRequest>(
    req: T,
    code: number,
    tried: number | undefined,
    ctx: DownlinkContext,
  ): T | undefined {
    if (code !== Code.NOT_ACCEPTABLE || req.format !== undefined || tried === undefined) return undefined;
    const format = chooseFallbackFormat(req.kind, req.path, ctx, tried);
    return format === undefined ? undefined : { ...req, format };
  }

  /** `options` with the time left of its deadline (SendOptions.timeoutMs counts from the first call). */
  private remaining(options: SendOptions, started: number | undefined): SendOptions | undefined {
    const clock = this.options.clock;
    if (!clock || started === undefined) return options;
    const left = (options.timeoutMs ?? this.options.requestTimeoutMs) - (clock.now() - started);
    return left > 0 ? { ...options, timeoutMs: left } : undefined;
  }

  /** The CoAP request, or a response explaining why it cannot be sent (e.g. 4.15: no format fits). */
  private build(
    req: DownlinkRequest,
    ctx: DownlinkContext,
    options: SendOptions,
  ): CoapRequestOptions | ResponseBase {
    try {
      // toCoapRequest returns a fresh object: completing it in place saves a copy per request
      // (optimisation, bench server, issue 4).
      const coap: Mutable<CoapRequestOptions> = toCoapRequest(req, ctx);
      coap.timeoutMs = options.timeoutMs ?? this.options.requestTimeoutMs;
      coap.signal = options.signal;
      return coap;
    } catch (e) {
      const coapCode = (e as { coapCode?: unknown }).coapCode;
      return {
        code: typeof coapCode === 'number' ? coapCode : 0,
        ok: false,
        diagnostic: `not sent: ${(e as Error).message}`,
      };
    }
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A local failure as a response; an unexpected error becomes one too (never a rejection). */
function failed(e: unknown, req: DownlinkRequest): ResponseBase {
  try {
    return explainUnanswered(failureResponse(e), e, req);
  } catch {
    return { code: 0, ok: false, diagnostic: `not sent: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** The 1.1 operations a 1.0 client, or a 1.1 client that left them out, may acknowledge and never answer. */
const COMPOSITE_NAMES: Partial<Record<DownlinkRequest['kind'], string>> = {
  readComposite: 'Read-Composite',
  writeComposite: 'Write-Composite',
  observeComposite: 'Observe-Composite',
};

/**
 * A timeout after the client's empty ACK says so; for a composite operation it adds that the
 * client may not support it. Core TS 1.1.1 5.4.8-5.4.9 and 5.5.2 define FETCH/iPATCH on "/", which
 * a client without them should answer 4.05 or 4.04, yet stacks exist that acknowledge such a
 * request and drop it: only the deadline ends it, so the diagnostic names the likely cause.
 */
function explainUnanswered(res: ResponseBase, e: unknown, req: DownlinkRequest): ResponseBase {
  if (!(e instanceof CoapTimeoutError && e.acknowledged)) return res;
  const name = COMPOSITE_NAMES[req.kind];
  const diagnostic =
    name === undefined
      ? 'the client acknowledged the request but sent no response before the deadline'
      : `the client acknowledged the ${name} request but sent no response before the deadline: ` +
        `it may not support ${name}`;
  return { ...res, diagnostic };
}
