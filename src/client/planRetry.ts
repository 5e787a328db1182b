// LwM2M Core TS 1.1.1 section 6.2.1.1 (registration procedure, communication retries) with the
// Server object resources 17-20: attempts in sequences with exponential back-off, sequences
// separated by the sequence delay; when every sequence failed the registration has failed.

/** The four retry resources of a Server instance, with the spec's defaults. */
export interface RetryPolicy {
  /** Resource 17: attempts per sequence (default 5). */
  readonly retryCount: number;
  /** Resource 18: base delay between attempts, seconds (default 60), doubled per attempt. */
  readonly retryTimerS: number;
  /** Resource 19: delay between sequences, seconds (default 86400). */
  readonly sequenceDelayS: number;
  /** Resource 20: number of sequences (default 1). */
  readonly sequenceRetryCount: number;
}

/** Defaults of Core TS 1.1.1 table 6.2.1.1-1. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  retryCount: 5,
  retryTimerS: 60,
  sequenceDelayS: 86_400,
  sequenceRetryCount: 1,
});

/** After a failure: try again after `delayMs`, or give up (then fall back to bootstrap). */
export type RetryStep = { readonly kind: 'retry'; readonly delayMs: number } | { readonly kind: 'giveUp' };

/**
 * The step after the `failures`-th failed attempt in a row (1-based). Within a sequence the
 * wait after attempt a is retryTimer × 2^(a−1); after the last attempt of a sequence the next
 * sequence starts after the sequence delay; after the last sequence: give up.
 */
export function planRetry(policy: RetryPolicy, failures: number): RetryStep {
  const count = Math.max(1, policy.retryCount);
  const attempt = ((failures - 1) % count) + 1;
  const sequence = Math.floor((failures - 1) / count) + 1;
  if (attempt < count) return { kind: 'retry', delayMs: policy.retryTimerS * 1000 * 2 ** (attempt - 1) };
  if (sequence < Math.max(1, policy.sequenceRetryCount))
    return { kind: 'retry', delayMs: policy.sequenceDelayS * 1000 };
  return { kind: 'giveUp' };
}
