// LwM2M Core TS 1.1.1 section 5.2.7 (Bootstrap Interface) and Transport TS 1.1.1 section 5.1
// (default ports): the settings of a BootstrapServer, one object with defaults (STYLE.md 11).
import {
  cryptoRandom,
  systemClock,
  systemWallClock,
  type Clock,
  type RandomSource,
  type WallClock,
} from '../coap/Clock.js';
import type { CoapEndpointOptions } from '../coap/CoapEndpoint.js';
import { DEFAULT_TRANSMISSION_PARAMS } from '../coap/transmissionParams.js';
import { createCoreRegistry } from '../model/core/coreModels.js';
import type { ModelLookup } from '../model/ObjectModel.js';
import type { BootstrapConfigStore } from '../store/BootstrapConfigStore.js';
import {
  DEFAULT_BOOTSTRAP_SESSION_HISTORY,
  type BootstrapSessionStore,
} from '../store/BootstrapSessionStore.js';
import { MemoryBootstrapConfigStore } from '../store/memory/MemoryBootstrapConfigStore.js';
import { MemoryBootstrapSessionStore } from '../store/memory/MemoryBootstrapSessionStore.js';
import type { DatagramTransport } from '../transport/DatagramTransport.js';
import type { DtlsListenerOptions } from '../transport/dtls/bindDtlsServer.js';
import type { UdpSocketKind } from '../transport/udp/bindUdp.js';
import { DEFAULT_SERVER_RECEIVE_BUFFER_BYTES } from '../transport/udp/receiveBufferBytes.js';
import type { BootstrapSecurityOptions } from './BootstrapAuthorizer.js';

/** Every setting of a BootstrapServer, resolved. */
export interface BootstrapServerConfig {
  /** Transports to serve on (UDP now, DTLS later). Default: one UDP socket on `address`:`port`. */
  readonly transports: readonly DatagramTransport[] | undefined;
  /** Local address of the default UDP transport. Default '::' (dual stack). */
  readonly address: string;
  /** Local port of the default UDP transport. Default 5783 (the usual Bootstrap-Server port; 5784 with DTLS). */
  readonly port: number;
  /** The default UDP transport's socket, as Lwm2mServerConfig.udpSocket. Default 'auto'. */
  readonly udpSocket: UdpSocketKind;
  /** The kernel receive buffer of its own UDP sockets, as Lwm2mServerConfig.udpReceiveBufferBytes. Default 4 MiB. */
  readonly udpReceiveBufferBytes: number;
  /** Sends on a thread of each socket's own, as Lwm2mServerConfig.udpSendThread. Default true. */
  readonly udpSendThread: boolean;
  /** Monotonic time for timers (step deadlines, durations). */
  readonly clock: Clock;
  /**
   * The times session records and events carry (`startedAt`, `endedAt`, `at`), ms since 1970.
   * Default Date.now(); when only `clock` is given, that clock.
   */
  readonly wallClock: WallClock;
  readonly random: RandomSource;
  /** Bootstrap configs by endpoint name. Default: an empty MemoryBootstrapConfigStore. */
  readonly configStore: BootstrapConfigStore;
  /** Object models `objects` values are typed by and responses decoded against. Default: the core objects. */
  readonly models: ModelLookup;
  /**
   * Deadline of each step of a session. Default MAX_TRANSMIT_WAIT (93 s with the default CoAP
   * parameters): the longest a confirmable request can wait for its response (RFC 7252 4.8.2).
   */
  readonly stepTimeoutMs: number;
  /**
   * Answer Bootstrap-Pack-Requests (GET /bspack, LwM2M 1.2) with a pack. Default true; false
   * answers 4.05 Method Not Allowed, which sends the client on to the Bootstrap-Request (Core TS 1.2).
   */
  readonly bootstrapPack: boolean;
  /**
   * Where ended (finished or failed) sessions go; sessions() lists them, then the running ones.
   * Default: a MemoryBootstrapSessionStore keeping `maxSessionHistory` sessions
   * (an SQLite one keeps them across restarts).
   */
  readonly sessionStore: BootstrapSessionStore;
  /** Ended sessions the default `sessionStore` keeps (a given store has its own bound). Default 1 000. */
  readonly maxSessionHistory: number;
  /**
   * Makes session ids. Default 'bs-1', 'bs-2', ..., counting on from the highest such id in
   * `sessionStore`, so a restarted server does not reuse the ids of the sessions it kept.
   */
  readonly sessionIds: () => string;
  /** Settings passed to every CoAP endpoint (clock and random are taken from above). */
  readonly coap: Partial<Omit<CoapEndpointOptions, 'clock' | 'random' | 'router'>>;
  /**
   * Credentials by endpoint and policy: a Bootstrap-Request or Bootstrap-Pack-Request must come
   * with the identity configured for its `ep` (4.00 on a mismatch, 4.03 when refused, e.g. in
   * clear for an endpoint with credentials or with `requireSecurity`). Default none: no check.
   */
  readonly security: BootstrapSecurityOptions | undefined;
  /**
   * Also serve CoAP over DTLS on a UDP socket of its own: port default 5784, address default
   * `address`, plus DtlsTransport tuning. PSKs and known raw public keys come from
   * `security.store` (required with this option); removing or changing an endpoint's PSK closes
   * the connections made with the old one. With `certificate` (our P-256 key, and chain for
   * X.509) the ECDHE_ECDSA suites are on too, admitting RPK clients whose key the store has and
   * X.509 clients whose chain leads to `clientTrust.trustAnchors`. Default none.
   */
  readonly dtls: DtlsListenerOptions | undefined;
}

/** The argument of BootstrapServer.start: any subset of the settings. */
export type BootstrapServerOptions = Partial<Readonly<BootstrapServerConfig>>;

/** Counter ids: 'bs-1', 'bs-2', ... (or from `after` + 1 on). */
export function counterSessionIds(prefix = 'bs-', after = 0): () => string {
  let n = after;
  return () => `${prefix}${++n}`;
}

/** Counter ids that go on after the highest `prefix`N id `store` holds. */
export async function resumedSessionIds(store: BootstrapSessionStore, prefix = 'bs-'): Promise<() => string> {
  let highest = 0;
  for (const r of await store.list()) {
    if (!r.id.startsWith(prefix)) continue;
    const n = Number(r.id.slice(prefix.length));
    if (Number.isSafeInteger(n) && n > highest) highest = n;
  }
  return counterSessionIds(prefix, highest);
}

/** The settings with every default applied. */
export function resolveBootstrapOptions(options: BootstrapServerOptions = {}): BootstrapServerConfig {
  const defined = Object.fromEntries(
    Object.entries(options).filter(([, v]) => v !== undefined),
  ) as BootstrapServerOptions;
  return {
    transports: undefined,
    address: '::',
    port: 5783,
    udpSocket: 'auto',
    udpReceiveBufferBytes: DEFAULT_SERVER_RECEIVE_BUFFER_BYTES,
    udpSendThread: true,
    clock: systemClock,
    wallClock: defined.wallClock ?? defined.clock ?? systemWallClock,
    random: cryptoRandom,
    configStore: defined.configStore ?? new MemoryBootstrapConfigStore(),
    models: defined.models ?? createCoreRegistry(),
    stepTimeoutMs: DEFAULT_TRANSMISSION_PARAMS.maxTransmitWaitMs,
    bootstrapPack: true,
    maxSessionHistory: DEFAULT_BOOTSTRAP_SESSION_HISTORY.maxSessions,
    sessionStore:
      defined.sessionStore ??
      new MemoryBootstrapSessionStore({
        maxSessions: defined.maxSessionHistory ?? DEFAULT_BOOTSTRAP_SESSION_HISTORY.maxSessions,
      }),
    sessionIds: defined.sessionIds ?? counterSessionIds(),
    coap: {},
    security: undefined,
    dtls: undefined,
    ...defined,
  };
}
