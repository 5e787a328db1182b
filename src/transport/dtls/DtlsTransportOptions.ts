// The options of DtlsTransport, with their defaults, and its counters.

import type { Peer } from '../Peer.js';
import type { DtlsClock } from './DtlsClock.js';
import type { FlightOptions } from './handshake/Flight.js';
import type { DtlsSession } from './session/DtlsSession.js';
import type { SessionCache } from './session/SessionCache.js';
import type { CipherSuite } from './suites.js';

/** Options both roles share. */
export interface DtlsCommonOptions {
  /** Suites, in preference order (default: TLS_PSK_WITH_AES_128_CCM_8 only). */
  readonly suites?: readonly CipherSuite[];
  /** Refuse peers without extended_master_secret (RFC 7627; default false: accepted). */
  readonly requireExtendedMasterSecret?: boolean;
  /** Time source (default the system clock). */
  readonly clock?: DtlsClock;
  /** Random bytes (default node:crypto's CSPRNG, drawn in 4 KiB batches: RandomPool.ts). */
  readonly random?: (n: number) => Uint8Array;
  /** Largest datagram sent on the inner transport, bytes (default: its maxDatagramSize, 1152 for UDP). */
  readonly mtu?: number;
  /** Flight retransmission (default 1 s doubling to 60 s, 6 retransmissions; RFC 6347 4.2.4.1). */
  readonly flight?: Omit<FlightOptions, 'mtu'>;
  /** Most handshakes in progress at once (default 1024); more are dropped (server) or refused (client). */
  readonly maxHandshakes?: number;
  /** Deadline of a handshake, ms (default 60 000). */
  readonly handshakeTimeoutMs?: number;
  /** Most established connections (default 100 000). */
  readonly maxConnections?: number;
  /** A connection silent this long may be evicted when the table is full, ms (default 30 min). */
  readonly staleAfterMs?: number;
  /**
   * Resumable sessions kept (RFC 5246 7.3): a server caches the sessions its full handshakes
   * make (default 100 000), a client the last session per server (default 64); the oldest goes
   * first. 0: no resumption. Only sessions with the extended master secret are kept.
   */
  readonly maxSessions?: number;
  /** Lifetime of a cached session from the handshake that made it, ms (default 24 h). */
  readonly sessionLifetimeMs?: number;
  /**
   * Called with one NSS key log line per completed handshake (`CLIENT_RANDOM <random>
   * <master secret>`, the SSLKEYLOGFILE format Wireshark reads). Default: off. The line is secret.
   * `sslKeyLogFileWriter()` (keyLog.ts) appends to the file SSLKEYLOGFILE names.
   */
  readonly keyLog?: (line: string) => void;
}

/** A DTLS server: accepts PSK handshakes. */
export interface DtlsServerOptions extends DtlsCommonOptions {
  readonly role: 'server';
  /** The key of a PSK identity, or undefined when unknown (the handshake then fails). */
  readonly pskFor: (identity: string, peer: Peer) => Promise<Uint8Array | undefined> | Uint8Array | undefined;
  /** HelloVerifyRequest cookie secret rotation, ms (default 60 000). */
  readonly cookieRotationMs?: number;
  /**
   * Length of the random Connection IDs issued to clients that offer connection_id (RFC 9146),
   * bytes (default 6; 0 = off: no CID, as before). With a CID the delivered peer's key is
   * `dtls-cid:<hex>` and stays the same when the client's address changes.
   */
  readonly connectionIdLength?: number;
}

/** A client's PSK identity (UTF-8 on the wire) and key. */
export interface DtlsClientPsk {
  readonly identity: string;
  readonly key: Uint8Array;
}

/** A DTLS client: handshakes with each peer it sends to. */
export interface DtlsClientOptions extends DtlsCommonOptions {
  readonly role: 'client';
  /**
   * Our PSK identity and key, or a function choosing them for each server at the start of its
   * handshake (undefined: no credentials for that server, and the send fails).
   */
  readonly psk: DtlsClientPsk | ((peer: Peer) => DtlsClientPsk | undefined);
  /** Datagrams queued per peer while its handshake runs (default 16). */
  readonly maxQueuedDatagrams?: number;
  /**
   * Where the client keeps its sessions (default: its own cache bounded by `maxSessions` and
   * `sessionLifetimeMs`). Pass one cache to successive transports to resume across a restart.
   */
  readonly sessionCache?: SessionCache<DtlsSession>;
  /**
   * Offer connection_id (RFC 9146) asking the server for a CID to send, with a random CID of
   * this length for the server to send us (0: an empty one, we only send CIDs). Default: not
   * offered. A server that issues one lets this client change address without a new handshake.
   */
  readonly connectionIdLength?: number;
}

/** Options of a DtlsTransport. */
export type DtlsTransportOptions = DtlsServerOptions | DtlsClientOptions;

/** Counters for tests and metrics. */
export interface DtlsStats {
  handshakesCompleted: number;
  handshakesFailed: number;
  helloVerifyRequests: number;
  /** Datagrams or records dropped (malformed, unauthenticated, replayed, over a bound). */
  dropped: number;
  sendErrors: number;
  /** Abbreviated handshakes completed (sessions resumed). */
  sessionsResumed: number;
  /** Cached sessions dropped to make room (maxSessions). */
  sessionsEvicted: number;
  /** Cached sessions dropped for age (sessionLifetimeMs). */
  sessionsExpired: number;
}

/** The counters of a DtlsTransport with what it holds now (for metrics). */
export interface DtlsUsage extends Readonly<DtlsStats> {
  readonly handshakesInProgress: number;
  readonly connections: number;
  /** Resumable sessions cached (server: by session id; client: by server). */
  readonly cachedSessions: number;
}
