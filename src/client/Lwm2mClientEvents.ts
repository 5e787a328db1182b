// The typed events of an Lwm2mClient (STYLE.md 12): registration lifecycle (Core TS 6.2),
// bootstrap (6.1), queue mode and what servers do to the device.
import type { AttemptFailure } from './attemptFailure.js';
import type { DmRequestEvent } from './createDmHandler.js';
import type { UpdatePlan } from './planRegistrationUpdate.js';

/** Typed events of Lwm2mClient. */
export interface Lwm2mClientEvents {
  registered: [{ ssid: number; location: readonly string[] }];
  updated: [{ ssid: number; plan: UpdatePlan }];
  deregistered: [{ ssid: number }];
  /** Every attempt failed as the retry settings allow (Core TS 6.2.1.1). */
  registrationFailed: [{ ssid: number; reason: string }];
  /** One Register or Update attempt failed: why, and when the next attempt is due. */
  registrationAttemptFailed: [AttemptFailure];
  bootstrapRequired: [{ reason: string }];
  bootstrapStarted: [{ reason: string }];
  /** Bootstrap-Finish succeeded; registration to the new servers follows. */
  bootstrapped: [];
  bootstrapFailed: [{ reason: string }];
  /** The Bootstrap-Server account was purged: its Account Timeout (/0/x/12) ran out after bootstrap. */
  bootstrapAccountPurged: [];
  /** One Bootstrap-Request attempt (or bootstrap session) failed: why, and when the next is due. */
  bootstrapAttemptFailed: [AttemptFailure];
  /**
   * A failure with no caller to report to (e.g. the state store could not save, or a listener of
   * another event threw or rejected: an Error naming the event, with the failure as `cause`).
   */
  warning: [Error];
  sleeping: [{ ssid: number }];
  request: [DmRequestEvent];
  reboot: [];
  factoryReset: [];
}
