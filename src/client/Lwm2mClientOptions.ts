// LwM2M Core TS 1.1.1 (Client role): the settings of an Lwm2mClient, one object with documented
// defaults (STYLE.md 11), and the server and bootstrap accounts it starts with.
import type { Clock } from '../coap/Clock.js';
import type { BootstrapConfig } from '../lwm2m/BootstrapConfig.js';
import type { ObjectModel } from '../model/ObjectModel.js';
import type { DatagramTransport } from '../transport/DatagramTransport.js';
import type { UdpBindOptions } from '../transport/udp/UdpTransport.js';
import type { ClientStateStore } from './bootstrap/ClientStateStore.js';
import type { ObjectInstance } from './ObjectInstance.js';
import type { DeviceOptions } from './objects/deviceInstance.js';
import type { ServerInstanceOptions } from './objects/serverInstance.js';

/** One LwM2M Server the client registers to (a Security and a Server instance are made for it). */
export interface ServerConfig extends Omit<ServerInstanceOptions, 'id' | 'model'> {
  readonly uri: string;
}

/** Options of Lwm2mClient. */
export interface Lwm2mClientOptions {
  /** Endpoint Client Name. */
  readonly endpoint: string;
  readonly servers?: readonly ServerConfig[];
  /** Device object settings (used unless `objects` holds a Device instance). */
  readonly device?: DeviceOptions;
  /** More instances (any object). */
  readonly objects?: readonly ObjectInstance[];
  /** Objects supported with no instance yet (announced, and creatable by servers). */
  readonly models?: readonly ObjectModel[];
  readonly lwm2mVersion?: '1.0' | '1.1' | '1.2';
  readonly queueMode?: boolean;
  /** Queue mode awake time, ms (default 93 000). */
  readonly awakeTimeMs?: number;
  /** Answer DM requests from any peer (default: only when there is no server account). */
  readonly serveAnyPeer?: boolean;
  readonly transport?: DatagramTransport;
  readonly bind?: UdpBindOptions;
  readonly clock?: Clock;
  /** Per-exchange timeout of registration requests, ms (default: CoAP's own). */
  readonly requestTimeoutMs?: number;
  /**
   * Largest request body the client accepts: the bound of block-wise (Block1) reassembly and of
   * one decoded value, e.g. a firmware package pushed to /5/0/0. Default 16 MiB; larger → 4.13.
   */
  readonly maxRequestBodyBytes?: number;
  /**
   * Content format for multi-value content answered to requests without Accept, notifications of
   * it, and Send (e.g. 112 SenML CBOR, 11542 TLV), used when it can carry the content; single
   * values keep text/plain. Default: the policy of content/formatSelection (SenML CBOR or TLV).
   */
  readonly preferredFormat?: number;
  /** The Bootstrap-Server account (a Security instance with Bootstrap-Server true). */
  readonly bootstrapServer?: BootstrapServerAccount;
  /** Factory bootstrap information (Core TS 6.1.1), e.g. from loadClientConfigFile. */
  readonly factoryConfig?: BootstrapConfig;
  /** Keeps the bootstrapped state across restarts (default: none). */
  readonly stateStore?: ClientStateStore;
  /** Deadline of a bootstrap session, ms (default 247 000, CoAP's EXCHANGE_LIFETIME). */
  readonly bootstrapTimeoutMs?: number;
  /** `pct` of the Bootstrap-Request (1.1+; default SenML CBOR, 112). */
  readonly bootstrapFormat?: number;
  /**
   * LwM2M 1.2 only: bootstrap with a Bootstrap-Pack-Request (GET /bspack, Accept the
   * `bootstrapFormat` when it is SenML CBOR/JSON or LwM2M CBOR, else SenML CBOR) before the
   * Bootstrap-Request, which follows when the Bootstrap-Server answers an error code. Default false.
   */
  readonly bootstrapPack?: boolean;
}

/** The Bootstrap-Server a client may bootstrap from. */
export interface BootstrapServerAccount {
  /** e.g. coap://127.0.0.1:5783. */
  readonly uri: string;
  /** Client Hold Off Time (Security resource 11): seconds to wait before the Bootstrap-Request. */
  readonly holdOffS?: number;
}
