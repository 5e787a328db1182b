// RFC 7252 sections 4.7, 4.8 and 4.8.2: CoAP transmission parameters and the time values derived
// from them, in one object (STYLE.md 5). All times are in milliseconds.

/** The configurable base parameters of RFC 7252 section 4.8 (plus MAX_LATENCY, section 4.8.2). */
export interface BaseTransmissionParams {
  /** ACK_TIMEOUT: initial retransmission timeout of a CON message. Default 2000. */
  readonly ackTimeoutMs: number;
  /** ACK_RANDOM_FACTOR: initial timeout is random in [ACK_TIMEOUT, ACK_TIMEOUT * factor]. Default 1.5. */
  readonly ackRandomFactor: number;
  /** MAX_RETRANSMIT: retransmissions of a CON message before giving up. Default 4. */
  readonly maxRetransmit: number;
  /** NSTART: outstanding CON requests allowed per peer (section 4.7). Default 1. */
  readonly nstart: number;
  /** MAX_LATENCY: longest time a datagram may take to arrive. Default 100 000. */
  readonly maxLatencyMs: number;
  /** PROCESSING_DELAY: time a node takes to turn a CON around into its ACK. Defaults to ACK_TIMEOUT. */
  readonly processingDelayMs: number;
}

/** Base parameters plus the values RFC 7252 section 4.8.2 derives from them. */
export interface TransmissionParams extends BaseTransmissionParams {
  /** MAX_TRANSMIT_SPAN: first to last transmission of one CON (45 s by default). */
  readonly maxTransmitSpanMs: number;
  /** MAX_TRANSMIT_WAIT: first transmission to giving up on an ACK (93 s by default). */
  readonly maxTransmitWaitMs: number;
  /** MAX_RTT: 2 * MAX_LATENCY + PROCESSING_DELAY (202 s by default). */
  readonly maxRttMs: number;
  /** EXCHANGE_LIFETIME: how long a CON message ID stays in use (247 s by default). */
  readonly exchangeLifetimeMs: number;
  /** NON_LIFETIME: how long a NON message ID stays in use (145 s by default). */
  readonly nonLifetimeMs: number;
}

const BASE_DEFAULTS: BaseTransmissionParams = {
  ackTimeoutMs: 2_000,
  ackRandomFactor: 1.5,
  maxRetransmit: 4,
  nstart: 1,
  maxLatencyMs: 100_000,
  processingDelayMs: 2_000,
};

/**
 * Completes `partial` with the RFC defaults and computes the derived values. PROCESSING_DELAY
 * follows ACK_TIMEOUT unless given. Throws RangeError for values the formulas cannot use.
 */
export function deriveParams(partial: Partial<BaseTransmissionParams> = {}): TransmissionParams {
  const ackTimeoutMs = partial.ackTimeoutMs ?? BASE_DEFAULTS.ackTimeoutMs;
  const base: BaseTransmissionParams = {
    ...BASE_DEFAULTS,
    processingDelayMs: ackTimeoutMs,
    ...stripUndefined(partial),
  };
  check(base.ackTimeoutMs > 0, 'ackTimeoutMs must be > 0');
  check(base.ackRandomFactor >= 1, 'ackRandomFactor must be >= 1');
  check(
    Number.isInteger(base.maxRetransmit) && base.maxRetransmit >= 0,
    'maxRetransmit must be an integer >= 0',
  );
  check(Number.isInteger(base.nstart) && base.nstart >= 1, 'nstart must be an integer >= 1');
  check(base.maxLatencyMs >= 0 && base.processingDelayMs >= 0, 'latencies must be >= 0');
  // Section 4.8.2 formulas.
  const maxTransmitSpanMs = base.ackTimeoutMs * (2 ** base.maxRetransmit - 1) * base.ackRandomFactor;
  const maxTransmitWaitMs = base.ackTimeoutMs * (2 ** (base.maxRetransmit + 1) - 1) * base.ackRandomFactor;
  const maxRttMs = 2 * base.maxLatencyMs + base.processingDelayMs;
  const exchangeLifetimeMs = maxTransmitSpanMs + 2 * base.maxLatencyMs + base.processingDelayMs;
  const nonLifetimeMs = maxTransmitSpanMs + base.maxLatencyMs;
  return Object.freeze({
    ...base,
    maxTransmitSpanMs,
    maxTransmitWaitMs,
    maxRttMs,
    exchangeLifetimeMs,
    nonLifetimeMs,
  });
}

/** The RFC 7252 defaults: EXCHANGE_LIFETIME 247 s, NON_LIFETIME 145 s, MAX_TRANSMIT_WAIT 93 s. */
export const DEFAULT_TRANSMISSION_PARAMS: TransmissionParams = deriveParams();

function stripUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

function check(ok: boolean, message: string): void {
  if (!ok) throw new RangeError(`invalid CoAP transmission parameters: ${message}`);
}
