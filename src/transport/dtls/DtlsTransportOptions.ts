// The options of DtlsTransport, with their defaults, and its counters.

import type { KeyObject } from 'node:crypto';
import type { Peer } from '../Peer.js';
import type { HandshakeCryptoChoice } from './crypto/lazyHandshakeCrypto.js';
import type { DtlsClock } from './DtlsClock.js';
import type { FlightOptions } from './handshake/Flight.js';
import type { DtlsSession } from './session/DtlsSession.js';
import type { SessionCache } from './session/SessionCache.js';
import type { CipherSuite } from './suites.js';
import type { ServerCertificateRule } from './x509/serverCertificateUsage.js';

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
  /**
   * Where the public-key work of ECDHE_ECDSA handshakes runs (ECDH, ECDSA signing and checking):
   * `'inline'` (the default, both roles) on the event loop, at most 2 ms of it per event-loop
   * turn (crypto/TurnBudget.ts); `'workers'` on a WorkerHandshakeCrypto pool the transport
   * starts on its first certificate handshake and stops when it closes (each operation then
   * costs a round trip of messages, about as much as the operation: crypto/lazyHandshakeCrypto.ts
   * has the figures); or an application's HandshakeCrypto (shared between transports, never
   * closed by them).
   */
  readonly handshakeCrypto?: HandshakeCryptoChoice;
}

/**
 * Our own credentials for the ECDHE_ECDSA suites (RFC 7251, RFC 7925 section 4.4): a P-256
 * private key and, for X.509, its certificate chain. The raw public key sent (RFC 7250: a DER
 * SubjectPublicKeyInfo) is derived from the private key.
 */
export interface DtlsOwnCertificate {
  /** Our P-256 (secp256r1) private key. Never logged. */
  readonly privateKey: KeyObject;
  /** Our certificate chain, DER, leaf first (the trust anchor may be left out); absent: raw public key only. */
  readonly chain?: readonly Uint8Array[];
}

/** How a server admits clients that authenticate with a raw public key or a certificate. */
export interface DtlsClientTrust {
  /** CA certificates (DER) a client's X.509 chain must lead to; absent or empty: X.509 clients refused. */
  readonly trustAnchors?: readonly Uint8Array[];
  /**
   * True when a client's raw public key (DER SubjectPublicKeyInfo) belongs to a known device;
   * absent: raw-public-key clients refused. Which endpoint it may act for is the application's
   * check on the delivered peer identity.
   */
  readonly knownRawPublicKey?: (spki: Uint8Array, peer: Peer) => boolean | Promise<boolean>;
}

/** A DTLS server: accepts PSK handshakes and, with `certificate`, ECDHE_ECDSA ones. */
export interface DtlsServerOptions extends DtlsCommonOptions {
  readonly role: 'server';
  /** The key of a PSK identity, or undefined when unknown (the handshake then fails); absent: no PSK. */
  readonly pskFor?: (
    identity: string,
    peer: Peer,
  ) => Promise<Uint8Array | undefined> | Uint8Array | undefined;
  /**
   * Our key and certificate chain: with it the server negotiates the ECDHE_ECDSA suites (default
   * suites: DEFAULT_CIPHER_SUITES then DEFAULT_CERTIFICATE_SUITES) and sends its raw public key or
   * its chain as the client asks (RFC 7250 server_certificate_type); it always requests the
   * client's certificate (mutual authentication, LwM2M Transport TS 5.2.2).
   */
  readonly certificate?: DtlsOwnCertificate;
  /** How clients' raw public keys and certificates are admitted (default: none are). */
  readonly clientTrust?: DtlsClientTrust;
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

/**
 * A client's certificate credentials for one server (LwM2M Security object, Core TS E.1: /0/x/2
 * mode, /0/x/3 our public key or certificate, /0/x/4 the server's, /0/x/5 our private key,
 * /0/x/15 certificate usage).
 */
export type DtlsClientCertificate =
  | {
      /** Raw public keys both ways (RFC 7250): ours from `privateKey`, the server's pinned. */
      readonly mode: 'rpk';
      readonly privateKey: KeyObject;
      /** The server's raw public key, DER SubjectPublicKeyInfo (/0/x/4): any other key fails the handshake. */
      readonly serverPublicKey: Uint8Array;
    }
  | {
      /** Certificates both ways. */
      readonly mode: 'x509';
      readonly privateKey: KeyObject;
      /** Our chain, DER, leaf first (/0/x/3 holds the leaf). */
      readonly chain: readonly Uint8Array[];
      /** How the server's chain is accepted: /0/x/4, /0/x/15, our trust anchors, the URI's host. */
      readonly server: ServerCertificateRule;
    };

/** A DTLS client: handshakes with each peer it sends to. */
export interface DtlsClientOptions extends DtlsCommonOptions {
  readonly role: 'client';
  /**
   * Our PSK identity and key, or a function choosing them for each server at the start of its
   * handshake (undefined: no credentials for that server, and the send fails).
   */
  readonly psk?: DtlsClientPsk | ((peer: Peer) => DtlsClientPsk | undefined);
  /**
   * Our raw public key or certificate credentials, or a function choosing them for each server
   * (undefined: none for that server). A server with both `psk` and `certificate` credentials
   * gets a PSK handshake.
   */
  readonly certificate?: DtlsClientCertificate | ((peer: Peer) => DtlsClientCertificate | undefined);
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
  /** Certificate handshakes dropped because the public-key workers were saturated (the peer retries). */
  cryptoBusy: number;
}

/** The counters of a DtlsTransport with what it holds now (for metrics). */
export interface DtlsUsage extends Readonly<DtlsStats> {
  readonly handshakesInProgress: number;
  readonly connections: number;
  /** Resumable sessions cached (server: by session id; client: by server). */
  readonly cachedSessions: number;
}
