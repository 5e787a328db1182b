// RFC 7252 (CoAP over UDP/DTLS) and RFC 7641 (Observe): one endpoint per datagram transport that
// serves incoming requests through a Router and sends requests to any peer from the same socket
// (DESIGN.md: devices sit behind NAT). It wires MessageLayer (MIDs, CON, dedup) under ExchangeLayer
// (tokens, responses, observe relations) and ObserverRegistry (serving side of observe).
//
// Ports for features built as stages (STYLE.md 4), e.g. block-wise transfer (RFC 7959):
//  - requester side: request() goes through an ExchangeSender; a SenderStage wraps it
//    (`senderStages` option or useSenderStage). The innermost sender is the exchange layer.
//  - responder side: a HandlerStage wraps the router's dispatch (`handlerStages` or
//    useHandlerStage). The first stage given is the outermost one.
//  - observe (requesting side): an ObservationStage wraps the sink of each observation
//    (`observationStages` or useObservationStage); the first stage sees responses first. It gets
//    the registration message and the base sender (the exchange layer, no stages) for follow-ups.
// Unreliable transports only for now (`transport.reliable` must be false).
import type { Peer } from '../transport/Peer.js';
import type { DatagramTransport } from '../transport/DatagramTransport.js';
import { cryptoRandom, systemClock, type Clock, type RandomSource } from './Clock.js';
import { Code, MessageType, OptionNumber, type CoapMessage } from './CoapMessage.js';
import { MessageLayer, type MessageLayerUpper } from './MessageLayer.js';
import { ExchangeLayer, type ExchangeOptions, type ObservationSink } from './ExchangeLayer.js';
import { deriveParams, type BaseTransmissionParams, type TransmissionParams } from './transmissionParams.js';
import {
  Router,
  renderError,
  type HandlerStage,
  type IncomingRequest,
  type OutgoingResponse,
  type RequestHandler,
} from './Router.js';
import { buildRequest, type CoapRequestOptions } from './CoapRequest.js';
import { toCoapResponse, type CoapResponse } from './CoapResponse.js';
import { responseMessage } from './responseMessage.js';
import {
  getUintOption,
  getUriPath,
  getUriQuery,
  rejectsWithBadOption,
  setOption,
  validateRequestOptions,
} from './options.js';
import { CoapObservation } from './observe/CoapObservation.js';
import { ObserverRegistry } from './observe/ObserverRegistry.js';
import type { NotifyOptions, ServerObservation } from './observe/ServerObservation.js';
import { BlockwiseResponder, szxForDatagram } from './blockwise/BlockwiseResponder.js';
import { BlockwiseSender } from './blockwise/BlockwiseSender.js';
import type { BlockwiseLimits } from './blockwise/BlockwiseLimits.js';
import type { Block1Context } from './blockwise/ReassemblyBuffer.js';

/** Sends one request message and resolves with its (final) response: the requester-side port. */
export interface ExchangeSender {
  exchange(peer: Peer, msg: CoapMessage, options: ExchangeOptions): Promise<CoapResponse>;
}

/** Wraps the next ExchangeSender (e.g. block-wise: splits/reassembles, calling `next` per block). */
export type SenderStage = (next: ExchangeSender) => ExchangeSender;

/**
 * Wraps the sink of an observation (e.g. block-wise: completes Block2 notifications). `base`
 * sends plain requests straight to the exchange layer; `registration` is the observe request.
 */
export type ObservationStage = (
  sink: ObservationSink,
  registration: CoapMessage,
  base: ExchangeSender,
) => ObservationSink;

/** Limits that bound memory per endpoint. */
export interface CoapEndpointLimits {
  /** CON requests waiting for an NSTART slot per peer. Default 1024. */
  readonly maxQueuedPerPeer: number;
  /** Byte cap of the duplicate-detection cache. Default 64 MiB. */
  readonly dedupMaxBytes: number;
  /** Notifications buffered per client-side observation. Default 32. */
  readonly maxBufferedNotifications: number;
  /** Peers the message layer keeps per-message state for (see PeerIndex). Default 250 000. */
  readonly maxPeers: number;
}

/** A bound of the endpoint that refused or dropped something (see CoapEndpointOptions.onLimit). */
export type CoapLimitName =
  /** maxPeers: peers were dropped from the message layer's index before they were idle. */
  | 'peers'
  /** Block-wise reassembly bytes: a first block was refused or another transfer dropped. */
  | 'blockwiseBytes'
  /** Block-wise transfers per source: that source's oldest transfer was dropped. */
  | 'blockwisePerSource';

/** Settings of a CoapEndpoint (all optional). */
export interface CoapEndpointOptions {
  readonly clock: Clock;
  /** Source for MIDs, tokens, retransmission jitter, sequence starts. Default cryptoRandom (unpredictable). */
  readonly random: RandomSource;
  /** RFC 7252 4.8 parameters; derived values are recomputed. */
  readonly params: Partial<BaseTransmissionParams>;
  readonly router: Router;
  /** Token length of outgoing requests, 1..8. Default 4. */
  readonly tokenLength: number;
  /** Unanswered CON requests get an empty ACK after this long. Default ackTimeoutMs / 2. */
  readonly separateAckDelayMs: number;
  readonly limits: Partial<CoapEndpointLimits>;
  readonly senderStages: readonly SenderStage[];
  readonly handlerStages: readonly HandlerStage[];
  readonly observationStages: readonly ObservationStage[];
  /** Block-wise transfer settings, or false to turn it off. Default on with its default limits. */
  readonly blockwise: false | BlockwiseOptions;
  /** Called each time a bound bites, with the source address when there is one (or ''). */
  readonly onLimit: (limit: CoapLimitName, source: string) => void;
  /**
   * A response no exchange waits for (separate, NON or notification). Return true to take it
   * (a CON is then ACKed), false to have it rejected with RST (RFC 7252 5.3.2). It is called
   * synchronously; any work it starts is its own. E.g. a server recognizing a notification for an
   * observation it stored before a restart (RFC 7641 3.6 lets it keep the relation). Default: none.
   */
  readonly onUnmatchedResponse: (response: CoapResponse) => boolean;
}

/** Block-wise settings of an endpoint (RFC 7959). */
export interface BlockwiseOptions {
  /** Largest block size exponent (block = 2^(szx+4) bytes); capped by the datagram size. Default 6. */
  readonly maxSzx?: number;
  /** Bounds of Block1 reassembly and the Block2 cache (see DEFAULT_BLOCKWISE_LIMITS). */
  readonly limits?: Partial<BlockwiseLimits>;
  /** Largest body a Block2 download may reassemble. Default 16 MiB. */
  readonly maxBodyBytes?: number;
  /** Who offers a Block1 block (source, registered or not, body limit); see BlockwiseResponder. */
  readonly block1Context?: (req: IncomingRequest) => Block1Context;
}

/** What an endpoint has done and holds (for metrics); totals count from construction. */
export interface CoapEndpointStats {
  /** CON messages sent again for want of an ACK (RFC 7252 4.2). */
  readonly retransmissions: number;
  /** Duplicate messages received, answered from the dedup cache or ignored (4.5). */
  readonly duplicates: number;
  /** Outgoing CON requests refused because the peer's queue was full (limit maxQueuedPerPeer). */
  readonly queueFullRefusals: number;
  /** CON messages awaiting an ACK now. */
  readonly outstandingCons: number;
  /** Entries in the duplicate-detection cache now. */
  readonly dedupEntries: number;
  /** Block1 reassemblies open now (RFC 7959), and the bytes they hold. */
  readonly blockwiseTransfers: number;
  readonly blockwiseBytes: number;
}

/** A CoAP endpoint on one datagram transport: server and client at once. */
export class CoapEndpoint implements MessageLayerUpper {
  readonly router: Router;
  /** Observers of this endpoint's resources (serving side of RFC 7641). */
  readonly observers: ObserverRegistry;
  readonly params: TransmissionParams;
  private readonly clock: Clock;
  private readonly messages: MessageLayer;
  private readonly exchanges: ExchangeLayer;
  private readonly senderStages: SenderStage[];
  private readonly handlerStages: HandlerStage[];
  private readonly observationStages: ObservationStage[];
  private readonly baseSender: ExchangeSender;
  private sender!: ExchangeSender;
  private handler!: RequestHandler;
  private readonly maxBuffered: number;
  private readonly onLimit: (limit: CoapLimitName, source: string) => void;
  private readonly onUnmatchedResponse: ((response: CoapResponse) => boolean) | undefined;
  private responder: BlockwiseResponder | undefined;
  private closed = false;

  constructor(
    readonly transport: DatagramTransport,
    options: Partial<CoapEndpointOptions> = {},
  ) {
    if (transport.reliable)
      throw new RangeError('CoapEndpoint supports unreliable (datagram) transports only');
    this.clock = options.clock ?? systemClock;
    const random = options.random ?? cryptoRandom;
    this.params = deriveParams(options.params);
    this.router = options.router ?? new Router();
    const limits = options.limits ?? {};
    this.maxBuffered = limits.maxBufferedNotifications ?? 32;
    const onLimit = options.onLimit ?? (() => undefined);
    this.onLimit = onLimit;
    this.onUnmatchedResponse = options.onUnmatchedResponse;
    this.messages = new MessageLayer(transport, this, {
      clock: this.clock,
      random,
      params: this.params,
      separateAckDelayMs: options.separateAckDelayMs,
      maxQueuedPerPeer: limits.maxQueuedPerPeer,
      dedupMaxBytes: limits.dedupMaxBytes,
      peerLimits: {
        ...(limits.maxPeers === undefined ? {} : { maxPeers: limits.maxPeers }),
        onEvicted: (n) => {
          for (let i = 0; i < n; i++) onLimit('peers', '');
        },
      },
    });
    this.exchanges = new ExchangeLayer(this.messages, {
      clock: this.clock,
      random,
      params: this.params,
      tokenLength: options.tokenLength,
    });
    this.observers = new ObserverRegistry(this.messages, this.clock, random);
    this.senderStages = [...(options.senderStages ?? [])];
    this.handlerStages = [...(options.handlerStages ?? [])];
    this.observationStages = [...(options.observationStages ?? [])];
    if (options.blockwise !== false) this.installBlockwise(options.blockwise ?? {});
    this.baseSender = { exchange: (peer, msg, opts) => this.exchanges.request(peer, msg, opts) };
    this.rebuildSender();
    this.rebuildHandler();
    transport.onDatagram((bytes, peer) => this.messages.receive(bytes, peer));
  }

  /**
   * Block-wise transfers (RFC 7959) on by default: sized to the transport's datagram, the
   * responder outermost (reassembled bodies reach every other stage), the sender innermost
   * (other stages see one logical request), and large notifications cut to their first block.
   */
  private installBlockwise(options: BlockwiseOptions): void {
    const szx = Math.min(options.maxSzx ?? 6, szxForDatagram(this.transport.maxDatagramSize));
    const responder = new BlockwiseResponder({
      clock: this.clock,
      maxSzx: szx,
      limits: options.limits,
      ...(options.block1Context ? { block1Context: options.block1Context } : {}),
      onLimit: (limit, source) =>
        this.onLimit(limit === 'bytes' ? 'blockwiseBytes' : 'blockwisePerSource', source),
    });
    this.responder = responder;
    const sender = new BlockwiseSender({
      clock: this.clock,
      block1Szx: szx,
      maxBodyBytes: options.maxBodyBytes,
    });
    this.handlerStages.unshift(responder.stage);
    this.senderStages.push(sender.stage);
    this.observationStages.push(sender.observationStage);
    this.observers.notificationStage = responder.notificationStage;
  }

  /** A read-only snapshot of the endpoint's counters and buffer sizes. */
  stats(): CoapEndpointStats {
    const c = this.messages.counters;
    return {
      retransmissions: c.retransmissions,
      duplicates: c.duplicates,
      queueFullRefusals: c.queueFull,
      outstandingCons: this.messages.outstandingCount,
      dedupEntries: this.messages.dedup.size,
      blockwiseTransfers: this.responder?.reassembly.openTransfers ?? 0,
      blockwiseBytes: this.responder?.reassembly.heldBytes ?? 0,
    };
  }

  /** Sends a request and resolves with the response (any code); rejects with a CoapError. */
  request(peer: Peer, req: CoapRequestOptions): Promise<CoapResponse> {
    let msg: CoapMessage;
    try {
      msg = buildRequest(req);
    } catch (e) {
      return Promise.reject(e);
    }
    try {
      return this.sender.exchange(peer, msg, { timeoutMs: req.timeoutMs, signal: req.signal });
    } catch (e) {
      return Promise.reject(e); // a stage that throws synchronously still yields a rejection
    }
  }

  /** Registers an observation (GET/FETCH with Observe=0) and streams its notifications. */
  observe(peer: Peer, req: CoapRequestOptions): CoapObservation {
    const obs = new CoapObservation(this.clock, { maxBuffered: this.maxBuffered });
    let msg: CoapMessage;
    try {
      msg = setOption(buildRequest(req), OptionNumber.OBSERVE, 0);
    } catch (e) {
      obs.onEnd(e as Error);
      return obs;
    }
    let sink: ObservationSink = obs;
    for (let i = this.observationStages.length - 1; i >= 0; i--)
      sink = this.observationStages[i]!(sink, msg, this.baseSender);
    obs.attach(this.exchanges.observe(peer, msg, sink, { timeoutMs: req.timeoutMs, signal: req.signal }));
    return obs;
  }

  /** From inside a handler: accepts the observe registration `req` (see ObserverRegistry.accept). */
  acceptObservation(req: IncomingRequest): ServerObservation | undefined {
    return this.observers.accept(req);
  }

  /** Notifies every observer of `path`; returns how many were notified. */
  notify(path: string | readonly string[], response: OutgoingResponse, options?: NotifyOptions): number {
    return this.observers.notifyPath(path, response, options);
  }

  /** Adds an innermost requester-side stage (closest to the exchange layer). */
  useSenderStage(stage: SenderStage): this {
    this.senderStages.push(stage);
    this.rebuildSender();
    return this;
  }

  /** Adds an innermost responder-side stage (closest to the router). */
  useHandlerStage(stage: HandlerStage): this {
    this.handlerStages.push(stage);
    this.rebuildHandler();
    return this;
  }

  /** Adds an innermost observation stage (closest to the CoapObservation). */
  useObservationStage(stage: ObservationStage): this {
    this.observationStages.push(stage);
    return this;
  }

  /** What the endpoint's bounded per-peer state holds now (for limits and metrics). */
  usage(): { readonly peers: number; readonly maxPeers: number; readonly blockwiseBytes: number } {
    return {
      peers: this.messages.peerCount,
      maxPeers: this.messages.maxPeers,
      blockwiseBytes: this.responder?.reassembly.heldBytes ?? 0,
    };
  }

  /** Local address of the transport. */
  address(): { address: string; port: number; family: 'IPv4' | 'IPv6' } {
    return this.transport.address();
  }

  /** Fails pending requests (CoapClosedError), ends observations, closes the transport. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.exchanges.close();
    this.observers.close();
    this.messages.close();
    await this.transport.close();
  }

  /** MessageLayerUpper: a new request. RFC 7252 5.4.1 option checks run before any handler. */
  onRequest(msg: CoapMessage, peer: Peer): void {
    let bad: boolean;
    try {
      bad = rejectsWithBadOption(validateRequestOptions(msg));
    } catch {
      bad = true;
    }
    if (bad) {
      // 4.02 for a CON; a NON is rejected (RFC 7252 5.4.1, 4.3).
      if (msg.type === MessageType.CON)
        this.messages.respond(peer, msg, responseMessage(msg.token, { code: Code.BAD_OPTION }));
      else this.messages.sendReset(peer, msg.messageId);
      return;
    }
    const req: IncomingRequest = {
      peer,
      method: msg.code,
      path: getUriPath(msg),
      query: getUriQuery(msg),
      contentFormat: safeUint(msg, OptionNumber.CONTENT_FORMAT),
      accept: safeUint(msg, OptionNumber.ACCEPT),
      observe: safeUint(msg, OptionNumber.OBSERVE),
      payload: msg.payload,
      message: msg,
    };
    if (req.observe === 1) this.observers.deregister(peer, msg.token);
    let result: OutgoingResponse | Promise<OutgoingResponse>;
    try {
      result = this.handler(req);
    } catch (e) {
      result = renderError(e);
    }
    if (isPromiseLike(result)) {
      result.then(
        (r) => this.sendResponse(req, r),
        (e: unknown) => this.sendResponse(req, renderError(e)),
      );
    } else this.sendResponse(req, result);
  }

  /** MessageLayerUpper: a response outside an ACK. */
  onResponse(msg: CoapMessage, peer: Peer): boolean {
    if (this.exchanges.onResponse(msg, peer)) return true;
    return this.onUnmatchedResponse !== undefined && this.onUnmatchedResponse(toCoapResponse(msg, peer));
  }

  /** MessageLayerUpper: an RST for no outstanding CON (maybe rejecting a NON notification). */
  onUnmatchedReset(peer: Peer, messageId: number): void {
    this.observers.onReset(peer, messageId);
  }

  private sendResponse(req: IncomingRequest, res: OutgoingResponse): void {
    try {
      this.respond(req, res);
    } finally {
      runAfterSend(res);
    }
  }

  private respond(req: IncomingRequest, res: OutgoingResponse): void {
    if (this.closed) return;
    if (!res || typeof res.code !== 'number' || res.code >> 5 < 2 || res.code > 0xbf)
      res = { code: Code.INTERNAL_SERVER_ERROR };
    const observe = req.observe === 0 ? this.observers.activate(req, res.code) : undefined;
    try {
      this.messages.respond(req.peer, req.message, responseMessage(req.message.token, res, observe));
    } catch {
      // The handler's response could not be encoded (bad option value): answer 5.00 instead.
      if (observe !== undefined) this.observers.deregister(req.peer, req.message.token);
      this.messages.respond(
        req.peer,
        req.message,
        responseMessage(req.message.token, { code: Code.INTERNAL_SERVER_ERROR }),
      );
    }
  }

  private rebuildSender(): void {
    this.sender = this.senderStages.reduceRight<ExchangeSender>(
      (next, stage) => stage(next),
      this.baseSender,
    );
  }

  private rebuildHandler(): void {
    const base: RequestHandler = this.router.dispatch;
    this.handler = this.handlerStages.reduceRight<RequestHandler>((next, stage) => stage(next), base);
  }
}

/** Runs a response's afterSend hook; its failure is the hook owner's, never the endpoint's. */
function runAfterSend(res: OutgoingResponse | undefined): void {
  try {
    res?.afterSend?.();
  } catch {
    // The hook's owner reports its own errors (see OutgoingResponse.afterSend).
  }
}

function safeUint(msg: CoapMessage, number: number): number | undefined {
  try {
    return getUintOption(msg, number);
  } catch {
    return undefined; // a malformed elective option is ignored (RFC 7252 5.4.1, 5.4.5)
  }
}

function isPromiseLike<T>(v: T | Promise<T>): v is Promise<T> {
  return typeof (v as { then?: unknown })?.then === 'function';
}
