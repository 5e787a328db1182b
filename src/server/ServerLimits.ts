// Issue 12, items 1-4: the bounds on what remote peers can make an Lwm2mServer keep or do, their
// documented defaults (README "Limits"), and the names under which each is counted.

/** The name of each counted limit (see README "Limits"). */
export type ServerLimitName =
  /** Registrations held at once (maxRegistrations): a Register over it gets 5.03 + Max-Age. */
  | 'registrations'
  /** Estimated heap bytes of one registration (maxRegistrationBytes): 4.13. */
  | 'registrationBytes'
  /** Registers per source address per second (token bucket): 5.03 + Max-Age. */
  | 'registrationRate'
  /** Observations per registered client (maxObservationsPerClient): refused locally. */
  | 'observationsPerClient'
  /** Notifications decoded per second, all clients together: the excess is ACKed and dropped. */
  | 'notificationRate'
  /** Peers (address and port) the CoAP message layer keeps state for, per transport. */
  | 'peers'
  /** Bytes of Block1 reassembly, per transport: a first block over it gets 5.03. */
  | 'blockwiseBytes'
  /** Open Block1 transfers per source address, per transport: the oldest is dropped. */
  | 'blockwisePerSource'
  /**
   * The kernel receive buffers of the server's UDP sockets (udpReceiveBufferBytes, as granted):
   * each hit is a datagram the kernel dropped because one was full (batched sockets count them).
   */
  | 'udpReceiveBuffer';

/** The bounds of an Lwm2mServer. */
export interface ServerLimitsConfig {
  /** Registrations held at once. Default 100 000. */
  readonly maxRegistrations: number;
  /**
   * Estimated heap bytes one registration may keep (its links, attributes and parsed objects;
   * see registrationBytes.ts). Default 64 KiB: a realistic 1 kB Register is estimated at ~5 KiB
   * (the benchmark measured ~1.3 KiB of heap), a 60 kB one of 1 000 links at ~23 KiB (measured ~23 KiB).
   */
  readonly maxRegistrationBytes: number;
  /** Registers accepted per source IP address per second (refill rate). Default 10. */
  readonly registrationsPerSecondPerSource: number;
  /** Registers a quiet source address may send at once (bucket size). Default 50. */
  readonly registrationBurstPerSource: number;
  /** Source addresses whose Register rate is tracked at once. Default 10 000. */
  readonly maxTrackedSources: number;
  /** Max-Age (s) of the 5.03 sent while maxRegistrations is reached. Default 60. */
  readonly registrationRetryAfterS: number;
  /** Observations held per registered client. Default 64. */
  readonly maxObservationsPerClient: number;
  /** Notifications decoded per second over all clients (burst: one second's worth). Default 20 000. */
  readonly maxNotificationsPerSecond: number;
  /** Least time between two `limit` events of one limit. Default 1 000 ms. */
  readonly limitEventIntervalMs: number;
}

/** The defaults of ServerLimitsConfig. */
export const DEFAULT_SERVER_LIMITS: ServerLimitsConfig = Object.freeze({
  maxRegistrations: 100_000,
  maxRegistrationBytes: 64 * 1024,
  registrationsPerSecondPerSource: 10,
  registrationBurstPerSource: 50,
  maxTrackedSources: 10_000,
  registrationRetryAfterS: 60,
  maxObservationsPerClient: 64,
  maxNotificationsPerSecond: 20_000,
  limitEventIntervalMs: 1_000,
});

/** Fills unset limits with the defaults; every limit must be a positive number. */
export function resolveServerLimits(partial: Partial<ServerLimitsConfig> = {}): ServerLimitsConfig {
  const defined = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined));
  const limits = { ...DEFAULT_SERVER_LIMITS, ...defined } as ServerLimitsConfig;
  for (const [name, value] of Object.entries(limits)) {
    if (!(typeof value === 'number' && value > 0)) throw new RangeError(`server limit ${name} must be > 0`);
  }
  return limits;
}
