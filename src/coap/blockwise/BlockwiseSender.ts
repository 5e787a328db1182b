// RFC 7959 sections 2.3-2.6 and 2.9 (requester side): the sender stage that sends large request
// bodies as Block1 blocks and reassembles Block2 responses, plus the completion of notifications
// that carry only their first block (section 2.6).

import type { Peer } from '../../transport/Peer.js';
import { systemClock, type Clock } from '../Clock.js';
import { Code, OptionNumber, type CoapMessage } from '../CoapMessage.js';
import { getOption } from '../options.js';
import { blockSize } from './blockOption.js';
import { toCoapResponse, type CoapResponse } from '../CoapResponse.js';
import type { ExchangeSender, ObservationStage, SenderStage } from '../CoapEndpoint.js';
import type { ExchangeOptions, ObservationSink } from '../ExchangeLayer.js';
import { CoapTimeoutError } from '../errors.js';
import { getBlock1, getBlock2 } from './blockMessages.js';
import {
  DEFAULT_REQUESTER_OPTIONS,
  completeBlock2,
  requestBlockwise,
  type BlockwiseRequesterOptions,
  type Exchange,
} from './blockwiseRequester.js';

/** Settings of a BlockwiseSender: the requester options plus the clock for overall deadlines. */
export interface BlockwiseSenderOptions extends Partial<BlockwiseRequesterOptions> {
  /** Measures a request's `timeoutMs` across all its blocks. Defaults to the system clock. */
  readonly clock?: Clock;
}

/** Block-wise transfers on the requesting side, as a stage around an ExchangeSender. */
export class BlockwiseSender {
  /** The options in force. */
  readonly options: BlockwiseRequesterOptions;
  private readonly clock: Clock;

  constructor(options: BlockwiseSenderOptions = {}) {
    const { clock, ...rest } = options;
    this.clock = clock ?? systemClock;
    this.options = { ...DEFAULT_REQUESTER_OPTIONS, ...stripUndefined(rest) };
  }

  /** The stage for CoapEndpoint's `senderStages`. */
  readonly stage: SenderStage = (next) => ({
    exchange: (peer, msg, opts) =>
      this.isPlain(msg)
        ? this.plainExchange(next, peer, msg, opts)
        : this.blockwiseExchange(next, peer, msg, opts),
  });

  /** A request that needs nothing block-wise of its own: no Block option, a body within one block. */
  private isPlain(msg: CoapMessage): boolean {
    return (
      this.options.preferredBlock2Szx === undefined &&
      msg.payload.length <= blockSize(this.options.block1Szx) &&
      getOption(msg, OptionNumber.BLOCK1) === undefined &&
      getOption(msg, OptionNumber.BLOCK2) === undefined
    );
  }

  /**
   * Fast path (almost every request): one exchange, returned as is unless the response starts a
   * Block2 transfer (completed here) or asks for the body block-wise with 4.13 + Block1 (section
   * 2.9.3: the request was not processed, so it is sent again block-wise).
   */
  private async plainExchange(
    next: ExchangeSender,
    peer: Peer,
    msg: CoapMessage,
    opts: ExchangeOptions,
  ): Promise<CoapResponse> {
    const started = this.clock.now();
    const res = await next.exchange(peer, msg, opts);
    const asksBlock1 = res.code === Code.REQUEST_ENTITY_TOO_LARGE && msg.payload.length > 0 && hasBlock1(res);
    if (!asksBlock1 && getOption(res.message, OptionNumber.BLOCK2) === undefined) return res;
    const rest: ExchangeOptions = {
      signal: opts.signal,
      timeoutMs: opts.timeoutMs === undefined ? undefined : opts.timeoutMs - (this.clock.now() - started),
    };
    if (asksBlock1) return this.blockwiseExchange(next, peer, msg, rest);
    const step = this.stepper(next, res.peer, rest);
    return toCoapResponse(
      await completeBlock2(step.exchange, msg, res.message, this.options),
      step.lastPeer(),
    );
  }

  /** The general path: Block1 upload and/or Block2 download as the request and responses need. */
  private async blockwiseExchange(
    next: ExchangeSender,
    peer: Peer,
    msg: CoapMessage,
    opts: ExchangeOptions,
  ): Promise<CoapResponse> {
    const step = this.stepper(next, peer, opts);
    return toCoapResponse(await requestBlockwise(step.exchange, msg, this.options), step.lastPeer());
  }

  /** The stage for CoapEndpoint's `observationStages`: notifications reach the observation whole. */
  readonly observationStage: ObservationStage = (sink, registration, base) =>
    this.observationSink(base, registration, sink);

  /**
   * Section 2.6: completes a notification (or any response to `registration`) that carries
   * Block2 with M=1 by fetching the other blocks with plain requests (no Observe) through
   * `next`; resolves with the notification and the whole body. Others resolve unchanged.
   */
  async completeNotification(
    next: ExchangeSender,
    registration: CoapMessage,
    notification: CoapResponse,
    opts: ExchangeOptions = {},
  ): Promise<CoapResponse> {
    if (!hasMoreBlocks(notification)) return notification;
    const step = this.stepper(next, notification.peer, opts);
    const whole = await completeBlock2(step.exchange, registration, notification.message, this.options);
    return toCoapResponse(whole, notification.peer);
  }

  /**
   * Wraps an observation's sink so that notifications carrying Block2 M=1 reach it whole. Only
   * the newest incomplete notification is fetched; an older fetch still running is aborted.
   * A notification that cannot be completed is dropped (the next one brings the state again).
   */
  observationSink(next: ExchangeSender, registration: CoapMessage, sink: ObservationSink): ObservationSink {
    let current: AbortController | undefined;
    let pending: Promise<void> = Promise.resolve();
    return {
      onNotification: (response, observe) => {
        if (!hasMoreBlocks(response)) {
          sink.onNotification(response, observe);
          return;
        }
        current?.abort();
        const ctl = (current = new AbortController());
        pending = this.completeNotification(next, registration, response, { signal: ctl.signal }).then(
          (whole) => {
            if (!ctl.signal.aborted) sink.onNotification(whole, observe);
          },
          () => undefined,
        );
      },
      onEnd: (error) => {
        // A final response may be the one still being completed: deliver it before the end.
        void pending.then(() => sink.onEnd(error));
      },
    };
  }

  /** Per-transfer exchange function with one overall deadline; remembers who answered last. */
  private stepper(
    next: ExchangeSender,
    peer: Peer,
    opts: ExchangeOptions,
  ): { exchange: Exchange; lastPeer(): Peer } {
    const deadline = opts.timeoutMs === undefined ? undefined : this.clock.now() + opts.timeoutMs;
    let last = peer;
    const exchange: Exchange = async (m) => {
      const timeoutMs = deadline === undefined ? undefined : deadline - this.clock.now();
      if (timeoutMs !== undefined && timeoutMs <= 0)
        throw new CoapTimeoutError('block-wise transfer timed out');
      const res = await next.exchange(peer, m, { timeoutMs, signal: opts.signal });
      last = res.peer;
      return res.message;
    };
    return { exchange, lastPeer: () => last };
  }
}

/** Whether a response carries a well-formed Block1 option (a 4.13 suggesting a block size). */
function hasBlock1(response: CoapResponse): boolean {
  try {
    return getBlock1(response.message) !== undefined;
  } catch {
    return false;
  }
}

/** Whether a response carries Block2 with M=1; a malformed Block2 counts as absent here. */
function hasMoreBlocks(response: CoapResponse): boolean {
  try {
    return getBlock2(response.message)?.more === true;
  } catch {
    return false;
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] !== undefined) out[k] = o[k];
  return out;
}
