// LwM2M Core TS 1.1.1 section 6.2 (Client Registration Interface), its Queue Mode Operation and
// Transport TS 1.1.1 (CoAP parameters): the settings of an Lwm2mServer, one object with defaults
// (STYLE.md 11). Every option is optional; resolveServerOptions fills in the documented defaults.
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
import type { RegistrationRequestLimits } from '../lwm2m/registrationRequest.js';
import { randomRegistrationIds, type RegistrationIdGenerator } from '../lwm2m/registrationId.js';
import { createCoreRegistry } from '../model/core/coreModels.js';
import type { ModelRegistry } from '../model/ModelRegistry.js';
import { MemoryRegistrationStore } from '../store/memory/MemoryRegistrationStore.js';
import type { RegistrationStore } from '../store/RegistrationStore.js';
import { MemoryQueuedRequestStore } from '../store/memory/MemoryQueuedRequestStore.js';
import type { QueuedRequestStore } from '../store/QueuedRequestStore.js';
import type { DatagramTransport } from '../transport/DatagramTransport.js';
import type { DtlsListenerOptions } from '../transport/dtls/bindDtlsServer.js';
import type { UdpSocketKind } from '../transport/udp/bindUdp.js';
import { DEFAULT_SERVER_RECEIVE_BUFFER_BYTES } from '../transport/udp/receiveBufferBytes.js';
import type { ServerLimitsConfig } from './ServerLimits.js';
import type { CoapMessageLogLimits } from './CoapMessageLog.js';
import type { ServerSecurityOptions } from './UplinkAuthorizer.js';

/** Every setting of an Lwm2mServer, resolved. */
export interface Lwm2mServerConfig {
  /**
   * Transports to serve on, one CoAP endpoint each (UDP now, DTLS later). Default: one UDP socket
   * bound to `address`:`port`. Requests to a client go out through the transport it registered on.
   */
  readonly transports: readonly DatagramTransport[] | undefined;
  /** Local address of the default UDP transport. Default '::' (dual stack). */
  readonly address: string;
  /** Local port of the default UDP transport. Default 5683 (Transport TS 1.1.1 section 5.1). */
  readonly port: number;
  /**
   * The default UDP transport's socket: 'auto' (default) the batched recvmmsg/sendmmsg one
   * (native/udp.c, Linux, built on install) when it loads, else node:dgram; 'dgram' always
   * node:dgram; 'batched' the batched one or an error. LWM2M_NATIVE_UDP=0 makes 'auto' dgram.
   */
  readonly udpSocket: UdpSocketKind;
  /**
   * The kernel receive buffer the server's own UDP sockets (plain and DTLS) ask for, in bytes: a
   * burst that overflows it is dropped before the server sees it, counted by the batched socket as
   * the `udpReceiveBuffer` limit. Default 4 MiB (the system's own is 208 KiB on Linux: 3 datagrams
   * of 60 kB); 0 keeps the system's. Linux grants at most net.core.rmem_max (`limits()` tells).
   */
  readonly udpReceiveBufferBytes: number;
  /**
   * The batched socket's sendmmsg calls run on a thread of each socket's own (plain and DTLS),
   * off the event loop, which then serves more requests (native/udp.c: on loopback about a
   * quarter of the server's CPU per Read was sendmmsg). Default true; false keeps them on the
   * event loop. node:dgram ignores it.
   */
  readonly udpSendThread: boolean;
  /** Monotonic time for timers (expiry sweep, awake windows, deadlines). Default performance.now(). */
  readonly clock: Clock;
  /**
   * The times records carry (`registeredAt`, `lastUpdate`, `expiresAt`, observations' `createdAt`),
   * ms since 1970, so they mean the same after a restart (DESIGN.md, Persistence). Expiry compares
   * them with this clock. Default Date.now(); when only `clock` is given, that clock (a test's
   * ManualClock then drives both).
   */
  readonly wallClock: WallClock;
  readonly random: RandomSource;
  /** Registrations and their observations. Default: a new MemoryRegistrationStore. */
  readonly store: RegistrationStore;
  /** Object models notifications, reads and Send payloads are decoded against. Default: the core objects. */
  readonly models: ModelRegistry;
  /** Makes the `{id}` of `/rd/{id}`. Default: 80 random bits from crypto.randomBytes. */
  readonly registrationIds: RegistrationIdGenerator;
  /** Bounds on Register/Update requests (lwm2m/registrationRequest.ts defaults). */
  readonly registrationLimits: Partial<RegistrationRequestLimits>;
  /**
   * How long past `lifetime` a registration is kept before it expires. Default 30 s: a client
   * updates shortly before its lifetime ends and its Update may be retransmitted for up to
   * MAX_TRANSMIT_SPAN (45 s) on a lossy link; 30 s covers the common case without keeping dead
   * clients long. Core TS 6.2.2 leaves the exact moment of removal to the server.
   */
  readonly expiryGraceMs: number;
  /** Interval of the one expiry sweep over the store's expiry index. Default 1 000 ms. */
  readonly expirySweepIntervalMs: number;
  /**
   * How long a Queue Mode client stays reachable after it was last heard from. Default 93 s:
   * LwM2M 1.1's Queue Mode Operation has the client stay awake MAX_TRANSMIT_WAIT (93 s
   * with the default CoAP parameters).
   */
  readonly awakeWindowMs: number;
  /** Deadline of a downlink request when the caller gives none. Default MAX_TRANSMIT_WAIT (93 s). */
  readonly requestTimeoutMs: number;
  /** Deadline of a request queued for a sleeping client when the caller gives none. Default 5 min. */
  readonly queuedRequestTimeoutMs: number;
  /** Requests queued per sleeping client; more are refused with failure 'sleeping'. Default 32. */
  readonly maxQueuedPerClient: number;
  /** Requests held for sleeping clients, with status and history (issue 14). Default: a new MemoryQueuedRequestStore. */
  readonly queuedRequestStore: QueuedRequestStore;
  /**
   * Settings passed to every CoAP endpoint (clock and random are taken from above), among them
   * `limits.maxPeers` and `blockwise.limits` (README "Limits").
   */
  readonly coap: Partial<Omit<CoapEndpointOptions, 'clock' | 'random' | 'router' | 'onLimit'>>;
  /** Bounds on registrations, observations and notifications (ServerLimits.ts defaults, README "Limits"). */
  readonly limits: Partial<ServerLimitsConfig>;
  /**
   * Credentials by endpoint and policy: a Register, Update or De-register must come with the
   * identity configured for its endpoint (4.00 on a mismatch, 4.03 when refused). Default none:
   * no check (a NoSec deployment).
   */
  readonly security: ServerSecurityOptions | undefined;
  /**
   * Also serve CoAP over DTLS on a UDP socket of its own, beside the plain transports: port
   * default 5684 (RFC 7252 6.2), address default `address`, plus DtlsTransport tuning. PSKs and
   * known raw public keys come from `security.store` (required with this option); removing or
   * changing an endpoint's PSK closes the connections made with the old one. With `certificate`
   * (our P-256 key, and chain for X.509) the ECDHE_ECDSA suites are on too, admitting RPK clients
   * whose key the store has and X.509 clients whose chain leads to `clientTrust.trustAnchors`
   * (the Authorizer then requires the endpoint's own key, or a certificate whose CN or SAN is the
   * endpoint name). Default none (no DTLS port).
   */
  readonly dtls: DtlsListenerOptions | undefined;
  /** Bounds of the per-client CoAP message log (`server.messageLog`). Default 200 messages × 20 endpoints, watches of 5 min. */
  readonly messageLog: Partial<CoapMessageLogLimits>;
}

/** The argument of Lwm2mServer.start: any subset of the settings. */
export type Lwm2mServerOptions = Partial<Readonly<Lwm2mServerConfig>>;

/** The settings with every default applied. */
export function resolveServerOptions(options: Lwm2mServerOptions = {}): Lwm2mServerConfig {
  const defined = Object.fromEntries(
    Object.entries(options).filter(([, v]) => v !== undefined),
  ) as Lwm2mServerOptions;
  const maxTransmitWait = DEFAULT_TRANSMISSION_PARAMS.maxTransmitWaitMs;
  return {
    transports: undefined,
    address: '::',
    port: 5683,
    udpSocket: 'auto',
    udpReceiveBufferBytes: DEFAULT_SERVER_RECEIVE_BUFFER_BYTES,
    udpSendThread: true,
    clock: systemClock,
    wallClock: defined.wallClock ?? defined.clock ?? systemWallClock,
    random: cryptoRandom,
    store: defined.store ?? new MemoryRegistrationStore(),
    models: defined.models ?? createCoreRegistry(),
    registrationIds: defined.registrationIds ?? randomRegistrationIds(),
    queuedRequestStore: defined.queuedRequestStore ?? new MemoryQueuedRequestStore(),
    registrationLimits: {},
    expiryGraceMs: 30_000,
    expirySweepIntervalMs: 1_000,
    awakeWindowMs: maxTransmitWait,
    requestTimeoutMs: maxTransmitWait,
    queuedRequestTimeoutMs: 300_000,
    maxQueuedPerClient: 32,
    coap: {},
    limits: {},
    security: undefined,
    dtls: undefined,
    messageLog: {},
    ...defined,
  };
}
