// LwM2M Core TS 1.1.1 section 6.2.1.1 (registration procedure) with Server object resources 13-15
// (Appendix E.2): in which order a client registers to its servers. Accounts with a Registration
// Priority Order (13) register one after another in increasing order of it (ties by Short Server
// ID); each waits for the previous one to be registered, or to have failed (its retries exhausted)
// without a Registration Failure Block (15), and then for its own Initial Registration Delay Timer
// (14). Accounts without resource 13 are "not impacted by other server registrations": they start
// at once (after their own delay, if they have one: the spec leaves it open, and a delay the
// server asked for is honoured). Pure.
import type { ServerAccount } from './serverAccounts.js';

/** The registration order of a set of accounts. */
export interface RegistrationOrder {
  /** Accounts that register independently, right away. */
  readonly independent: readonly ServerAccount[];
  /** Accounts that register in sequence, first to last. */
  readonly sequence: readonly ServerAccount[];
}

/** Splits `accounts` into independent ones and the priority sequence. */
export function planRegistrationOrder(accounts: readonly ServerAccount[]): RegistrationOrder {
  const independent = accounts.filter((a) => a.priorityOrder === undefined);
  const sequence = accounts
    .filter((a) => a.priorityOrder !== undefined)
    .sort((a, b) => a.priorityOrder! - b.priorityOrder! || a.ssid - b.ssid);
  return { independent, sequence };
}

/** What follows the end of a sequenced account's registration procedure. */
export type SequenceStep =
  | { readonly kind: 'next'; readonly account: ServerAccount; readonly delayMs: number }
  | { readonly kind: 'block'; readonly blocked: readonly ServerAccount[] }
  | { readonly kind: 'done' };

/**
 * The step after `sequence[index]` ended, `registered` or failed: the next account (after its
 * Initial Registration Delay Timer), or, when it failed with Registration Failure Block set, every
 * remaining account blocked.
 */
export function nextInSequence(
  sequence: readonly ServerAccount[],
  index: number,
  outcome: 'registered' | 'failed',
): SequenceStep {
  const rest = sequence.slice(index + 1);
  if (rest.length === 0) return { kind: 'done' };
  if (outcome === 'failed' && sequence[index]!.failureBlock) return { kind: 'block', blocked: rest };
  return { kind: 'next', account: rest[0]!, delayMs: initialDelayMs(rest[0]!) };
}

/** Server resource 14 in ms (0 when absent). */
export const initialDelayMs = (a: ServerAccount): number => (a.initialDelayS ?? 0) * 1000;
