// RFC 7252 section 5.3 (request/response matching by token), 5.2.1-5.2.3 (piggybacked, separate
// and NON responses) and RFC 7641 sections 3.1-3.6 on the requesting side: tokens, timeouts,
// abort signals and the observe relations of this endpoint.
//
// Timers: an exchange gets a deadline only when it needs one: the caller's timeoutMs; or,
// without one, after an empty ACK (wait EXCHANGE_LIFETIME for the separate response) and for a
// NON request (wait MAX_TRANSMIT_WAIT). A CON answered in its ACK needs only the retransmit timer.
// Deadlines are entries of the message layer's DeadlineQueue (no Node timer or closure each).
import type { Peer } from '../transport/Peer.js';
import type { Clock, RandomSource } from './Clock.js';
import type { Deadline, DeadlineQueue } from './DeadlineQueue.js';
import { MessageType, OptionNumber, type CoapMessage } from './CoapMessage.js';
import type { MessageLayer, ConListener, ConTransmission } from './MessageLayer.js';
import type { TransmissionParams } from './transmissionParams.js';
import {
  CoapAbortError,
  CoapBadResponseError,
  CoapClosedError,
  CoapRequestError,
  CoapTimeoutError,
  type CoapError,
} from './errors.js';
import { toCoapResponse, type CoapResponse } from './CoapResponse.js';
import { randomToken } from './tokens.js';
import { PeerTokenMap } from './PeerTokenMap.js';
import { getObserve, optionDefinition, setOption } from './options.js';

/** Per-request controls. */
export interface ExchangeOptions {
  /** Overall deadline for the response, from now. */
  readonly timeoutMs?: number;
  /** Aborts the exchange: it rejects with CoapAbortError and stops retransmitting. */
  readonly signal?: AbortSignal;
}

/** Receives the responses of an observe relation (RFC 7641 3.2-3.4). */
export interface ObservationSink {
  /** A response; `observe` is its Observe value, undefined on a final (non-notification) response. */
  onNotification(response: CoapResponse, observe: number | undefined): void;
  /** The relation ended: no error after a final response or an active cancel. */
  onEnd(error?: Error): void;
}

/** The exchange layer's handle on one observe relation. */
export interface ObservationControl {
  /** Active cancel (RFC 7641 3.6): GET with Observe=1 and the same token; resolves when answered. */
  cancel(): Promise<void>;
  /** Passive cancel: forget the relation; the next notification is answered with RST. */
  forget(): void;
  /** Moves the relation to `peer` (the remote's address changed); false when it cannot be moved. */
  rebind?(peer: Peer): boolean;
}

/** Settings of an ExchangeLayer. */
export interface ExchangeLayerOptions {
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly params: TransmissionParams;
  /** Token length of requests this endpoint makes, 1..8. Default 4 (RFC 7252 5.3.1). */
  readonly tokenLength?: number;
}

class Exchange implements ConListener, ObservationControl, Deadline {
  con: ConTransmission | undefined;
  deadlineAt = 0;
  deadlineSeq = 0;
  deadlineSlot = -1;
  onAbort: (() => void) | undefined;
  settled = false;
  cancelling: ((v: void) => void) | undefined;
  /** The peer sent an empty ACK: it has the request and owes a separate response. */
  acknowledged = false;
  /** The token it is registered under (kept even if `request.token` is reassigned later). */
  readonly token: Uint8Array;

  constructor(
    readonly layer: ExchangeLayer,
    /** The remote; moved by ExchangeLayer.moveExchange only. */
    public peer: Peer,
    readonly request: CoapMessage,
    readonly resolve: ((r: CoapResponse) => void) | undefined,
    readonly reject: ((e: Error) => void) | undefined,
    readonly sink: ObservationSink | undefined,
    readonly signal: AbortSignal | undefined,
  ) {
    this.token = request.token;
  }

  onAck(ack: CoapMessage): void {
    this.layer.onAck(this, ack);
  }
  onFail(error: CoapError): void {
    this.layer.fail(this, error);
  }
  cancel(): Promise<void> {
    return this.layer.cancelObservation(this);
  }
  forget(): void {
    this.layer.fail(this, undefined);
  }
  rebind(peer: Peer): boolean {
    return this.layer.moveExchange(this, peer);
  }
  /** The exchange's deadline passed (called by the DeadlineQueue). */
  onDeadline(): void {
    const error = this.acknowledged
      ? new CoapTimeoutError('CoAP request acknowledged (empty ACK) but never answered', true)
      : new CoapTimeoutError();
    this.layer.fail(this, error);
  }
}

/** Matches responses to requests by (peer, token); owns the requesting side of observe. */
export class ExchangeLayer {
  private readonly exchanges = new PeerTokenMap<Exchange>();
  private readonly tokenLength: number;
  private readonly deadlines: DeadlineQueue;
  private closed = false;

  constructor(
    private readonly messages: MessageLayer,
    private readonly opts: ExchangeLayerOptions,
  ) {
    this.deadlines = messages.deadlines;
    this.tokenLength = opts.tokenLength ?? 4;
    if (!(this.tokenLength >= 1 && this.tokenLength <= 8)) throw new RangeError('tokenLength must be 1..8');
  }

  /** Number of exchanges waiting for a response (observations included). */
  get size(): number {
    return this.exchanges.size;
  }

  /**
   * Sends `msg` (CON or NON as its `type` says; MID assigned below) and resolves with the
   * response. An empty token is replaced by a fresh random one; a given token must be free.
   */
  request(peer: Peer, msg: CoapMessage, options: ExchangeOptions = {}): Promise<CoapResponse> {
    return new Promise<CoapResponse>((resolve, reject) => {
      this.start(peer, msg, options, resolve, reject, undefined);
    });
  }

  /** Starts an observe relation with `msg` (which carries Observe=0); responses go to `sink`. */
  observe(
    peer: Peer,
    msg: CoapMessage,
    sink: ObservationSink,
    options: ExchangeOptions = {},
  ): ObservationControl {
    const ex = this.start(peer, msg, options, undefined, undefined, sink);
    return ex ?? { cancel: () => Promise.resolve(), forget: () => undefined };
  }

  /** A response from outside an ACK (separate, NON, notification). False when nobody waits for it. */
  onResponse(msg: CoapMessage, peer: Peer): boolean {
    const ex = this.exchanges.get(peer.key, msg.token);
    // RFC 7252 5.4.1: a response with an unrecognized critical option is rejected (RST for a CON).
    if (!ex || unrecognizedCritical(msg) !== undefined) return false;
    // RFC 7252 5.2.2: a separate response may overtake the empty ACK; it acknowledges the request.
    if (ex.con) {
      this.messages.cancel(ex.con);
      ex.con = undefined;
    }
    this.deliver(ex, msg, peer);
    return true;
  }

  /** ACK of the CON carrying an exchange's request (called through Exchange). */
  onAck(ex: Exchange, ack: CoapMessage): void {
    ex.con = undefined;
    if (ack.code !== 0 && equalBytes(ack.token, ex.request.token)) {
      const bad = unrecognizedCritical(ack);
      // RFC 7252 5.4.1: a piggybacked response with an unrecognized critical option is rejected.
      if (bad !== undefined)
        this.fail(ex, new CoapBadResponseError(`response has unrecognized critical option ${bad}`));
      else this.deliver(ex, ack, ex.peer);
      return;
    }
    // Empty ACK (5.2.2): the response follows separately.
    ex.acknowledged = true;
    if (!this.deadlines.has(ex)) this.deadlines.schedule(ex, this.opts.params.exchangeLifetimeMs);
  }

  /** Ends `ex`: rejects it (or ends its observation) with `error`; no error means quietly. */
  fail(ex: Exchange, error: Error | undefined): void {
    if (ex.settled) return;
    this.cleanup(ex);
    if (ex.sink) ex.sink.onEnd(error);
    else if (error) ex.reject!(error);
    else ex.reject!(new CoapAbortError());
    if (ex.cancelling) ex.cancelling();
  }

  /** RFC 7641 3.6: re-sends the registration with Observe=1 and the same token. */
  cancelObservation(ex: Exchange): Promise<void> {
    if (ex.settled || this.closed) return Promise.resolve();
    if (ex.cancelling) {
      const first = ex.cancelling;
      return new Promise<void>((r) => void (ex.cancelling = chain(first, r)));
    }
    return new Promise<void>((resolve) => {
      ex.cancelling = resolve;
      if (ex.con) this.messages.cancel(ex.con);
      const msg: CoapMessage = { ...ex.request, options: [...ex.request.options], messageId: 0 };
      setOption(msg, OptionNumber.OBSERVE, 1);
      if (!this.deadlines.has(ex)) this.deadlines.schedule(ex, this.opts.params.exchangeLifetimeMs);
      ex.con = this.messages.sendCon(ex.peer, msg, ex);
    });
  }

  /**
   * Re-keys `ex` under `peer`: the remote moved (e.g. NAT rebinding, observed by a layer above).
   * RFC 7252 5.3.2 matches responses on endpoint and token, so responses from the old endpoint no
   * longer match; a CON still being retransmitted goes to `peer` from now on. False when `ex`
   * ended or its token is already in use with `peer`.
   */
  moveExchange(ex: Exchange, peer: Peer): boolean {
    if (ex.settled || this.closed) return false;
    if (peer.key === ex.peer.key) {
      ex.peer = peer;
      return true;
    }
    if (this.exchanges.has(peer.key, ex.token)) return false;
    this.exchanges.deleteIf(ex.peer.key, ex.token, ex);
    ex.peer = peer;
    this.exchanges.set(peer.key, ex.token, ex);
    if (ex.con) {
      const msg: CoapMessage = { ...ex.con.message, messageId: 0 };
      this.messages.cancel(ex.con);
      ex.con = this.messages.sendCon(peer, msg, ex);
    }
    return true;
  }

  /** Fails every exchange with CoapClosedError. */
  close(): void {
    this.closed = true;
    for (const ex of this.exchanges.values()) this.fail(ex, new CoapClosedError());
  }

  private start(
    peer: Peer,
    msg: CoapMessage,
    options: ExchangeOptions,
    resolve: ((r: CoapResponse) => void) | undefined,
    reject: ((e: Error) => void) | undefined,
    sink: ObservationSink | undefined,
  ): Exchange | undefined {
    if (this.closed) return failEarly(sink, reject, new CoapClosedError());
    const signal = options.signal;
    if (signal?.aborted) return failEarly(sink, reject, new CoapAbortError(signal.reason));
    if (msg.token.length === 0) msg.token = this.freshToken(peer);
    else if (this.exchanges.has(peer.key, msg.token))
      return failEarly(sink, reject, new CoapRequestError('token already in use with this peer'));
    const ex = new Exchange(this, peer, msg, resolve, reject, sink, signal);
    this.exchanges.set(peer.key, msg.token, ex);
    const p = this.opts.params;
    const nonDefault = msg.type === MessageType.NON ? p.maxTransmitWaitMs : undefined;
    const deadline = options.timeoutMs ?? nonDefault;
    // One clock read for the exchange's deadline and its CON (the queue's clock drives both).
    const now = this.deadlines.now();
    if (deadline !== undefined) this.deadlines.schedule(ex, deadline, now);
    if (signal) {
      ex.onAbort = () => this.fail(ex, new CoapAbortError(signal.reason));
      signal.addEventListener('abort', ex.onAbort, { once: true });
    }
    try {
      if (msg.type === MessageType.NON) this.messages.sendNon(peer, msg);
      else ex.con = this.messages.sendCon(peer, msg, ex, true, now);
    } catch (e) {
      this.fail(ex, new CoapRequestError(`cannot send request: ${(e as Error).message}`, { cause: e }));
    }
    return ex;
  }

  private deliver(ex: Exchange, msg: CoapMessage, peer: Peer): void {
    if (ex.settled) return;
    const response = toCoapResponse(msg, peer);
    if (!ex.sink) {
      this.cleanup(ex);
      ex.resolve!(response);
      return;
    }
    let observe: number | undefined;
    try {
      observe = getObserve(msg);
    } catch {
      observe = undefined;
    }
    if (ex.cancelling && observe !== undefined && msg.type !== MessageType.ACK) return; // late notification
    if (observe !== undefined && msg.code >> 5 === 2 && !ex.cancelling) {
      // A notification: the relation stands; the registration's deadline no longer applies.
      this.deadlines.cancel(ex);
      ex.sink.onNotification(response, observe);
      return;
    }
    // A final response (no Observe, an error, or the answer to the deregistration) ends it.
    this.cleanup(ex);
    if (!ex.cancelling) ex.sink.onNotification(response, undefined);
    ex.sink.onEnd();
    if (ex.cancelling) ex.cancelling();
  }

  private cleanup(ex: Exchange): void {
    ex.settled = true;
    this.exchanges.deleteIf(ex.peer.key, ex.token, ex);
    this.deadlines.cancel(ex);
    if (ex.con) this.messages.cancel(ex.con);
    ex.con = undefined;
    if (ex.onAbort) ex.signal!.removeEventListener('abort', ex.onAbort);
  }

  /**
   * A token no exchange with `peer` holds (RFC 7252 5.3.1), drawn again a few times to be one no
   * other peer holds either, which keeps its entry on PeerTokenMap's numeric path. With short
   * tokens (tokenLength 1) and many exchanges, a token free for this peer alone does.
   */
  private freshToken(peer: Peer): Uint8Array {
    for (let tries = 0; ; tries++) {
      const t = randomToken(this.opts.random, this.tokenLength);
      if (tries < 8 ? this.exchanges.isFree(peer.key, t) : !this.exchanges.has(peer.key, t)) return t;
    }
  }
}

/** Fails a request before it became an exchange (a module function: no closure per request). */
function failEarly(
  sink: ObservationSink | undefined,
  reject: ((e: Error) => void) | undefined,
  e: Error,
): undefined {
  if (sink) sink.onEnd(e);
  else reject!(e);
  return undefined;
}

function chain(a: (v: void) => void, b: (v: void) => void): (v: void) => void {
  return () => {
    a();
    b();
  };
}

/** The first option of `msg` that is critical (odd) and unknown, if any. */
function unrecognizedCritical(msg: CoapMessage): number | undefined {
  for (const o of msg.options)
    if ((o.number & 1) === 1 && optionDefinition(o.number) === undefined) return o.number;
  return undefined;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
