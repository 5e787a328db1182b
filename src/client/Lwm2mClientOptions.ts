// LwM2M Core TS 1.1.1 (Client role): the settings of an Lwm2mClient, one object with documented
// defaults (STYLE.md 11), and the server and bootstrap accounts it starts with.
import type { Clock } from '../coap/Clock.js';
import type { BaseTransmissionParams } from '../coap/transmissionParams.js';
import type { BootstrapConfig } from '../lwm2m/BootstrapConfig.js';
import type { ObjectModel } from '../model/ObjectModel.js';
import type { DatagramTransport } from '../transport/DatagramTransport.js';
import type { DtlsClientOptions, DtlsClientPsk } from '../transport/dtls/DtlsTransportOptions.js';
import type { UdpBindOptions } from '../transport/udp/UdpTransport.js';
import type { ContentFormatAnnouncement } from './announcedFormats.js';
import type { ClientStateStore } from './bootstrap/ClientStateStore.js';
import type { ClientCertificateConfig } from './certificateCredentials.js';
import type { ObjectInstance } from './ObjectInstance.js';
import type { RetryPolicy } from './planRetry.js';
import type { DeviceOptions } from './objects/deviceInstance.js';
import type { ServerInstanceOptions } from './objects/serverInstance.js';

/** One LwM2M Server the client registers to (a Security and a Server instance are made for it). */
export interface ServerConfig extends Omit<ServerInstanceOptions, 'id' | 'model'> {
  /** coap://HOST:PORT (NoSec) or, with `psk` or `certificate`, coaps://HOST:PORT (DTLS). */
  readonly uri: string;
  /** PSK identity and key: the account's Security instance gets Security Mode 0 (PSK). */
  readonly psk?: DtlsClientPsk;
  /**
   * Our key, and chain for X.509, with the server's key or certificate: the Security instance
   * gets Security Mode 1 (RPK, no chain) or 2 (certificate). Not with `psk`.
   */
  readonly certificate?: ClientCertificateConfig;
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
  /**
   * Most notifications kept per observation while its server is offline or asleep (Server
   * resource 6 true); the oldest is dropped (and counted in status()) past it. A server's hqmax
   * may lower it. Default 32.
   */
  readonly maxStoredNotifications?: number;
  /** Answer DM requests from any peer (default: only when there is no server account). */
  readonly serveAnyPeer?: boolean;
  /**
   * The datagram transport under the client (default a UdpTransport from `bind`). The client puts
   * a PlainAndDtlsTransport over it: coap:// servers get plain CoAP, coaps:// ones DTLS (PSK, RPK
   * or X.509) with the credentials of their Security instance.
   */
  readonly transport?: DatagramTransport;
  /**
   * DTLS client settings for coaps:// servers (handshake deadline, flight retransmission, CID,
   * suites; see DtlsClientOptions). Default: DtlsTransport's defaults.
   */
  readonly dtls?: Omit<DtlsClientOptions, 'role' | 'psk' | 'certificate'>;
  /**
   * CA certificates (DER) this client trusts for servers whose Security instance has Certificate
   * Usage 0 or 1 (/0/x/15: the server's chain must lead to one of them). Default none.
   */
  readonly trustAnchors?: readonly Uint8Array[];
  readonly bind?: UdpBindOptions;
  readonly clock?: Clock;
  /** Per-exchange timeout of registration requests, ms (default: CoAP's own). */
  readonly requestTimeoutMs?: number;
  /**
   * CoAP transmission parameters of the client's endpoint (RFC 7252 4.8: ACK_TIMEOUT,
   * ACK_RANDOM_FACTOR, MAX_RETRANSMIT, NSTART...), e.g. a longer ACK_TIMEOUT on a slow cellular
   * link. Default: the RFC's values.
   */
  readonly transmission?: Partial<BaseTransmissionParams>;
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
  /**
   * Content formats a 1.1+ Register announces with `ct` on its root link: 'preferred' (default)
   * one unquoted value, `preferredFormat` when it is a multi-value format, else SenML CBOR, which
   * every server parses; 'all' the quoted list of every format the client encodes (RFC 7252
   * 7.2.1), which some servers (e.g. Wakaama) refuse with 4.00. A 1.0 client announces none.
   */
  readonly announceContentFormats?: ContentFormatAnnouncement;
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
   * Back-off after a failed bootstrap when the client has no server account to fall back on
   * (Core TS 6.2.1.1 retry settings): default 5 attempts 60 s apart, doubling, then a new sequence
   * every 86 400 s without end (sequenceRetryCount Infinity).
   */
  readonly bootstrapRetry?: Partial<RetryPolicy>;
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
  /** PSK identity and key for a coaps:// Bootstrap-Server (Security Mode 0). */
  readonly psk?: DtlsClientPsk;
  /** Raw public key or certificate credentials for a coaps:// Bootstrap-Server (Security Mode 1 or 2). */
  readonly certificate?: ClientCertificateConfig;
}
