// Issue 12, items 1-4: declares every counted limit of an Lwm2mServer with its bound and a reader
// of its current usage (README "Limits"), for `Lwm2mServer.limits()` and the metrics.
import type { CoapEndpoint } from '../coap/CoapEndpoint.js';
import { resolveBlockwiseLimits } from '../coap/blockwise/BlockwiseLimits.js';
import type { DatagramTransport } from '../transport/DatagramTransport.js';
import { grantedReceiveBufferBytes } from '../transport/udp/receiveBufferBytes.js';
import type { LimitCounters } from '../binding/LimitCounters.js';
import type { Lwm2mServerConfig } from './Lwm2mServerOptions.js';
import type { ServerLimitName, ServerLimitsConfig } from './ServerLimits.js';

/** What the usage readers look at. */
export interface LimitUsageSources {
  readonly endpoints: () => readonly CoapEndpoint[];
  readonly transports: () => readonly DatagramTransport[];
  readonly registrations: () => number;
  readonly trackedSources: () => number;
  readonly observations: () => number;
}

/** Defines each ServerLimitName on `counters`. */
export function defineServerLimits(
  counters: LimitCounters<ServerLimitName>,
  limits: ServerLimitsConfig,
  config: Lwm2mServerConfig,
  usage: LimitUsageSources,
): void {
  const sum = (read: (u: ReturnType<CoapEndpoint['usage']>) => number) => (): number =>
    usage.endpoints().reduce((n, e) => n + read(e.usage()), 0);
  const { blockwise } = config.coap;
  const bw = resolveBlockwiseLimits(blockwise ? blockwise.limits : {});
  counters.define('registrations', limits.maxRegistrations, usage.registrations);
  counters.define('registrationBytes', limits.maxRegistrationBytes);
  counters.define('registrationRate', limits.registrationsPerSecondPerSource, usage.trackedSources);
  counters.define('observationsPerClient', limits.maxObservationsPerClient, usage.observations);
  counters.define('notificationRate', limits.maxNotificationsPerSecond);
  counters.define(
    'peers',
    config.coap.limits?.maxPeers ?? 250_000,
    sum((u) => u.peers),
  );
  counters.define(
    'blockwiseBytes',
    bw.maxTotalBytes,
    sum((u) => u.blockwiseBytes),
  );
  counters.define('blockwisePerSource', bw.maxTransfersPerPeer);
  // the kernel does not tell how full a receive buffer is: usage stays 0
  counters.define('udpReceiveBuffer', grantedReceiveBufferBytes(usage.transports()));
}
