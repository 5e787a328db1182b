// The typed events of an Lwm2mClient (STYLE.md 12): registration lifecycle (Core TS 6.2),
// bootstrap (6.1), queue mode and what servers do to the device.
import type { DmRequestEvent } from './createDmHandler.js';
import type { UpdatePlan } from './planRegistrationUpdate.js';

/** Typed events of Lwm2mClient. */
export interface Lwm2mClientEvents {
  registered: [{ ssid: number; location: readonly string[] }];
  updated: [{ ssid: number; plan: UpdatePlan }];
  deregistered: [{ ssid: number }];
  registrationFailed: [{ ssid: number; reason: string }];
  bootstrapRequired: [{ reason: string }];
  bootstrapStarted: [{ reason: string }];
  /** Bootstrap-Finish succeeded; registration to the new servers follows. */
  bootstrapped: [];
  bootstrapFailed: [{ reason: string }];
  /** A failure with no caller to report to (e.g. the state store could not save). */
  warning: [Error];
  sleeping: [{ ssid: number }];
  request: [DmRequestEvent];
  reboot: [];
  factoryReset: [];
}
