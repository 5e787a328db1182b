// LwM2M Core TS 1.1.1 section 5.2.7 (Bootstrap Interface) and Appendix E.1-E.3 (Security,
// Server and Access Control objects): what a Bootstrap-Server writes into one client, as data.
// store/ keeps these per endpoint name; bootstrap/ plans the Bootstrap-Delete/-Write requests.

/** Security Mode (Security object resource 2): 0 PSK, 1 RPK, 2 Certificate, 3 NoSec, 4 Certificate with EST. */
export type SecurityMode = 'psk' | 'rpk' | 'x509' | 'nosec' | 'est';

/** The integer each SecurityMode is written as (Core TS 1.1.1 Appendix E.1, resource 2). */
export const SECURITY_MODE_CODES: Readonly<Record<SecurityMode, number>> = Object.freeze({
  psk: 0,
  rpk: 1,
  x509: 2,
  nosec: 3,
  est: 4,
});

/** One instance of the Security object (0): how to reach and authenticate to one server. */
export interface SecurityInstanceConfig {
  /** Resource 0, LwM2M Server URI, e.g. 'coaps://lwm2m.example.com:5684'. */
  readonly uri: string;
  /** Resource 1: true for the Bootstrap-Server account. */
  readonly bootstrapServer: boolean;
  /** Resource 2. */
  readonly securityMode: SecurityMode;
  /** Resource 3: PSK identity, raw public key or certificate (empty when absent). */
  readonly publicKeyOrIdentity?: Uint8Array;
  /** Resource 4: the server's public key or certificate (empty when absent). */
  readonly serverPublicKey?: Uint8Array;
  /** Resource 5: PSK or private key (empty when absent). */
  readonly secretKey?: Uint8Array;
  /** Resource 10: links this account to the Server instance with the same id (not for the Bootstrap-Server). */
  readonly shortServerId?: number;
  /** Resource 11, seconds. */
  readonly clientHoldOffTime?: number;
  /** Resource 12, seconds. */
  readonly bootstrapServerAccountTimeout?: number;
  /** Resource 15 (Security object 1.1): RFC 6698 Certificate Usage of /0/x/4; absent means 3. */
  readonly certificateUsage?: 0 | 1 | 2 | 3;
}

/** One instance of the Server object (1): registration settings for one LwM2M Server. */
export interface ServerInstanceConfig {
  /** Resource 0, 1..65534. */
  readonly shortServerId: number;
  /** Resource 1, seconds. */
  readonly lifetime: number;
  /** Resource 2, seconds. */
  readonly defaultMinPeriod?: number;
  /** Resource 3, seconds. */
  readonly defaultMaxPeriod?: number;
  /** Resource 5, seconds. */
  readonly disableTimeout?: number;
  /** Resource 6. Default true. */
  readonly notificationStoring?: boolean;
  /** Resource 7, e.g. 'U' or 'UQ'. */
  readonly binding: string;
}

/** One instance of the Access Control object (2): rights of servers on one object instance. */
export interface AclInstanceConfig {
  /** Resource 0. */
  readonly objectId: number;
  /** Resource 1 (65535 for the object itself, to allow Create). */
  readonly objectInstanceId: number;
  /** Resource 2: Short Server ID → rights bit field (1 Read, 2 Write, 4 Execute, 8 Delete, 16 Create). */
  readonly acl: Readonly<Record<number, number>>;
  /** Resource 3: the owning Short Server ID. */
  readonly owner: number;
}

/** A JSON value of some other object's resource, typed by the object model when planned. */
export type JsonValue =
  string | number | boolean | null | readonly JsonValue[] | { readonly [k: string]: JsonValue };

/** Everything a Bootstrap-Server does for one client (or, as the default, for any unknown client). */
export interface BootstrapConfig {
  /** Paths to Bootstrap-Delete first, in order. Default ['/0', '/1'] (DEFAULT_DELETE_PATHS). */
  readonly delete?: readonly string[];
  /** Security object instances to write, by instance id. */
  readonly security: Readonly<Record<number, SecurityInstanceConfig>>;
  /** Server object instances to write, by instance id. */
  readonly servers: Readonly<Record<number, ServerInstanceConfig>>;
  /** Access Control object instances to write, by instance id. */
  readonly acl?: Readonly<Record<number, AclInstanceConfig>>;
  /**
   * Other values to write, by resource path ('/3/0/14') or resource instance path; the resources
   * of one object instance are written together. A multiple resource takes an object of
   * instance id → value. Byte strings (opaque resources) are hex.
   */
  readonly objects?: Readonly<Record<string, JsonValue>>;
  /** Content format of the writes; overrides the client's `pct`. Default: `pct`, else TLV. */
  readonly contentFormat?: number;
  /** Start with a Bootstrap-Discover of '/' (the client's objects and LwM2M version). */
  readonly discover?: boolean;
  /** Bootstrap-Read the Server object (/1) before Bootstrap-Finish (LwM2M 1.1 clients). */
  readonly readServers?: boolean;
}

/**
 * What Bootstrap-Delete removes when a config names nothing: every Security instance but the
 * Bootstrap-Server's and every Server instance (the client keeps its bootstrap account, Core TS
 * 1.1.1 5.2.7.5), as Leshan does; '/' would also drop other objects' instances.
 */
export const DEFAULT_DELETE_PATHS: readonly string[] = Object.freeze(['/0', '/1']);

/** The endpoint name under which a store keeps the default config for unknown endpoints. */
export const DEFAULT_CONFIG_ENDPOINT = '*';
