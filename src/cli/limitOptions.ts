// Issue 12, items 1-4: the `lwm2m server` flags an operator tunes the server's bounds with (README
// "Limits"); unset flags keep the library defaults.
import { type Command, InvalidArgumentError } from 'commander';
import type { Lwm2mServerOptions } from '../server/Lwm2mServerOptions.js';

/** Parsed limit flags of `lwm2m server`. */
export interface LimitCliOptions {
  readonly maxRegistrations?: number;
  readonly registrationsPerSecond?: number;
  readonly maxObservationsPerClient?: number;
  readonly maxNotificationsPerSecond?: number;
  readonly maxPeers?: number;
}

const positive = (value: string): number => {
  const n = Number(value);
  if (!(Number.isFinite(n) && n > 0)) throw new InvalidArgumentError('must be a number > 0');
  return n;
};

/** Adds the limit flags to `cmd`. */
export function withLimitOptions(cmd: Command): Command {
  return cmd
    .option('--max-registrations <n>', 'registrations held at once (default 100000)', positive)
    .option(
      '--registrations-per-second <n>',
      'Registers per source address per second (default 10)',
      positive,
    )
    .option('--max-observations-per-client <n>', 'observations per registered client (default 64)', positive)
    .option(
      '--max-notifications-per-second <n>',
      'notifications decoded per second (default 20000)',
      positive,
    )
    .option('--max-peers <n>', 'peers with CoAP message state at once (default 250000)', positive);
}

/** The server options the flags set. */
export function limitServerOptions(o: LimitCliOptions): Pick<Lwm2mServerOptions, 'limits' | 'coap'> {
  return {
    limits: {
      maxRegistrations: o.maxRegistrations,
      registrationsPerSecondPerSource: o.registrationsPerSecond,
      maxObservationsPerClient: o.maxObservationsPerClient,
      maxNotificationsPerSecond: o.maxNotificationsPerSecond,
    },
    coap: o.maxPeers === undefined ? {} : { limits: { maxPeers: o.maxPeers } },
  };
}
