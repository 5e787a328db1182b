// DTLS 1.2 (RFC 6347, profiled by RFC 7925) as a DatagramTransport over another datagram
// transport (normally UdpTransport): CoAP sends and receives plain bytes, this class turns them
// into epoch-1 application records of an authenticated association with the peer.
//
// Roles: a `server` accepts handshakes (stateless cookie first: connection/ClientHelloGate.ts)
// and never starts one: sending to a peer without a connection fails fast (research/dtls.md 2.2,
// "who starts handshakes"). A `client` starts a handshake on the first send to a peer and queues
// that peer's datagrams (bounded) until it completes.
//
// Bounds (every default documented on DtlsTransportOptions): handshakes in progress sit in their
// own table with a cap and a deadline each; established connections sit in a ConnectionTable
// (cap, stale-only eviction); a handshake queues at most 16 records; a client queues at most
// `maxQueuedDatagrams` per handshake.
//
// Delivered peers carry `identity: { kind: 'psk', identity }` and the key `address|port` of the
// address the connection was made from, or `dtls-cid:<hex>` when the server issued a Connection
// ID (RFC 9146): a tls12_cid record is routed by its CID whatever its source address, and the
// first newer authenticated one from a new address moves the connection there (section 6), so
// the key stays and sends follow the peer.

import {
  DATAGRAM_QUEUED,
  type DatagramHandler,
  type DatagramTransport,
  type ReceiveBufferStatus,
} from '../DatagramTransport.js';
import { makePeer, type Peer, type PeerIdentity } from '../Peer.js';
import { CookieJar } from './cookie/CookieJar.js';
import { RandomPool } from './RandomPool.js';
import { clientHelloRandom, gateClientHello, startsWithClientHello } from './connection/ClientHelloGate.js';
import { CidIssuer, cidHex } from './connection/CidIssuer.js';
import { ConnectionTable } from './connection/ConnectionTable.js';
import { DtlsConnection } from './connection/DtlsConnection.js';
import { sameIdentity, storeIdentity } from './connection/storedIdentity.js';
import { systemDtlsClock, type DtlsClock, type DtlsTimer } from './DtlsClock.js';
import {
  DtlsCapacityError,
  DtlsClosedError,
  DtlsHandshakeError,
  DtlsIdentityMismatchError,
  DtlsNoConnectionError,
} from './DtlsErrors.js';
import {
  AlertDescription,
  AlertLevel,
  decodeAlert,
  encodeAlert,
  endsConnection,
} from './handshake/alerts.js';
import { ClientHandshake, type ClientCredentials } from './handshake/ClientHandshake.js';
import { lazyHandshakeCrypto, type LazyHandshakeCrypto } from './crypto/lazyHandshakeCrypto.js';
import type { HandshakeBase, HandshakeContext } from './handshake/HandshakeBase.js';
import type { DtlsSession } from './session/DtlsSession.js';
import { MAX_PEER_CID_LENGTH } from './handshake/messages/extensions.js';
import { HandshakeType } from './handshake/messages/HandshakeHeader.js';
import { ServerHandshake } from './handshake/ServerHandshake.js';
import { CertificateServerHandshake } from './handshake/CertificateServerHandshake.js';
import { ServerCertificateCredentials } from './handshake/ServerCertificateCredentials.js';
import { ContentType, decodeDatagram, RECORD_HEADER_LENGTH, type DtlsRecord } from './record/RecordCodec.js';
import { DEFAULT_CERTIFICATE_SUITES, DEFAULT_CIPHER_SUITES, type CipherSuite } from './suites.js';
import { keyLogLine } from './keyLog.js';
import { DtlsSessions } from './session/DtlsSessions.js';
import type {
  DtlsClientOptions,
  DtlsClientPsk,
  DtlsServerOptions,
  DtlsStats,
  DtlsTransportOptions,
  DtlsUsage,
} from './DtlsTransportOptions.js';

export type { DtlsClientOptions, DtlsClientPsk, DtlsServerOptions, DtlsStats, DtlsTransportOptions };

interface QueuedSend {
  readonly bytes: Uint8Array;
  readonly resolve: () => void;
  readonly reject: (e: Error) => void;
}

interface Pending {
  readonly handshake: ServerHandshake | ClientHandshake;
  readonly innerPeer: Peer;
  readonly deadline: DtlsTimer;
  readonly queue: QueuedSend[];
  /** Server: the PSK identity the client named, once its key was asked for. */
  pskIdentity?: string;
}

const noop = (): void => undefined;

/** The CSPRNG every transport without an injected `random` shares, drawn in batches. */
const randomPool = new RandomPool();
const defaultRandom = (n: number): Uint8Array => randomPool.bytes(n);

/** A DatagramTransport secured with DTLS 1.2 PSK. */
export class DtlsTransport implements DatagramTransport {
  readonly reliable = false;
  readonly maxDatagramSize: number;
  readonly stats: DtlsStats = {
    handshakesCompleted: 0,
    handshakesFailed: 0,
    helloVerifyRequests: 0,
    dropped: 0,
    sendErrors: 0,
    sessionsResumed: 0,
    sessionsEvicted: 0,
    sessionsExpired: 0,
    cryptoBusy: 0,
  };
  private handler: DatagramHandler = noop;
  private readonly clock: DtlsClock;
  private readonly random: (n: number) => Uint8Array;
  private readonly handshakes = new Map<string, Pending>();
  private readonly connections: ConnectionTable;
  private readonly jar: CookieJar | undefined;
  private readonly mtu: number;
  private readonly maxHandshakes: number;
  private readonly handshakeTimeoutMs: number;
  /** Server: issues our CIDs (absent when CID is off). */
  private readonly issuer: CidIssuer | undefined;
  /** Length of the CIDs peers put in records to us (0: none). */
  private readonly cidLength: number;
  private closed = false;
  /** Session cache and resumption (session/DtlsSessions.ts). */
  private readonly sessions: DtlsSessions;
  /** Where ECDH and ECDSA run (a worker pool made on the first certificate handshake by default). */
  private readonly handshakeCrypto: LazyHandshakeCrypto;
  /** Server: our certificate-suite credentials (absent: PSK only). */
  private readonly serverCertificate: ServerCertificateCredentials | undefined;
  /** Server: the suites in preference order, when not the PSK defaults. */
  private readonly serverSuites: readonly CipherSuite[] | undefined;

  constructor(
    private readonly inner: DatagramTransport,
    private readonly options: DtlsTransportOptions,
  ) {
    this.clock = options.clock ?? systemDtlsClock;
    this.random = options.random ?? defaultRandom;
    this.mtu = options.mtu ?? inner.maxDatagramSize;
    this.maxHandshakes = options.maxHandshakes ?? 1024;
    this.handshakeTimeoutMs = options.handshakeTimeoutMs ?? 60_000;
    if (options.role === 'server')
      this.jar = new CookieJar({
        clock: this.clock,
        random: this.random,
        ...(options.cookieRotationMs !== undefined ? { rotationMs: options.cookieRotationMs } : {}),
      });
    const cidLength =
      options.role === 'server' ? (options.connectionIdLength ?? 6) : options.connectionIdLength;
    this.cidLength = cidLength ?? 0;
    if (options.role === 'server' && this.cidLength > 0)
      this.issuer = new CidIssuer(this.cidLength, this.random, (hex) => this.cidTaken(hex));
    this.connections = new ConnectionTable(
      options.maxConnections ?? 100_000,
      options.staleAfterMs ?? 30 * 60_000,
      this.clock,
      this.issuer ? this.cidLength : 0,
    );
    const suites = options.suites ?? DEFAULT_CIPHER_SUITES;
    const overhead = Math.max(
      ...suites.map((s) => s.recordIvLength + s.tagLength + (s.macKeyLength > 0 ? 16 : 0)),
    );
    // RFC 7925 / research 2.2: what is left of a datagram for CoAP once a record wraps it
    // (with CID: the peer's CID, at most MAX_PEER_CID_LENGTH, and the inner content type byte)
    const cidOverhead = this.issuer || cidLength !== undefined ? 1 + MAX_PEER_CID_LENGTH : 0;
    this.maxDatagramSize = this.mtu - RECORD_HEADER_LENGTH - overhead - cidOverhead;
    this.sessions = new DtlsSessions(options.role, options, this.clock, this.random, this.stats);
    this.handshakeCrypto = lazyHandshakeCrypto(
      options.handshakeCrypto ? { handshakeCrypto: options.handshakeCrypto } : {},
    );
    if (options.role === 'server' && options.certificate) {
      this.serverCertificate = new ServerCertificateCredentials(
        options.certificate,
        options.clientTrust,
        () => this.handshakeCrypto.get(),
      );
      // PSK defaults when it has PSK credentials, then the certificate ones (suites.ts)
      this.serverSuites = options.suites ?? [
        ...(options.pskFor ? DEFAULT_CIPHER_SUITES : []),
        ...DEFAULT_CERTIFICATE_SUITES,
      ];
    } else this.serverSuites = options.role === 'server' ? options.suites : undefined;
    inner.onDatagram((bytes, from) => this.receive(bytes, from));
  }

  /** Resumable sessions cached now (server: by session id; client: one per server). */
  get sessionCount(): number {
    return this.sessions.size;
  }

  /**
   * Forgets the cached sessions of PSK `identity` (call it when its credentials are removed; a
   * server also refuses to resume once pskFor no longer gives the key the session was made
   * with). Live connections are not touched. Returns how many sessions went.
   */
  invalidateSessions(identity: string): number {
    return this.sessions.forgetIdentity(identity);
  }

  /** The counters and what the transport holds now (a snapshot, for metrics). */
  usage(): DtlsUsage {
    return {
      ...this.stats,
      handshakesInProgress: this.handshakes.size,
      connections: this.connections.size,
      cachedSessions: this.sessionCount,
    };
  }

  /** Handshakes in progress. */
  get handshakesInProgress(): number {
    return this.handshakes.size;
  }

  /** Established connections. */
  get connectionCount(): number {
    return this.connections.size;
  }

  /** The established connection's peer for `address`:`port`, if any. */
  connectedPeer(address: string, port: number): Peer | undefined {
    return this.connections.getByAddress(makePeer(address, port).key)?.peer;
  }

  /**
   * Ends the established connection with `peer`, if any, with a close_notify (RFC 5246 7.2.1); the
   * next send to it starts a new handshake (e.g. a client whose credentials changed).
   */
  async disconnect(peer: Peer): Promise<void> {
    const conn = this.connections.get(peer.key);
    if (!conn) return;
    const notify = this.sendAlert(conn, AlertLevel.warning, AlertDescription.closeNotify);
    this.connections.delete(conn);
    await notify;
  }

  onDatagram(handler: DatagramHandler): void {
    this.handler = handler;
  }

  /** The receive buffer of the socket under the records. */
  receiveBuffer(): ReceiveBufferStatus | undefined {
    return this.inner.receiveBuffer?.();
  }

  onReceiveDrops(listener: (dropped: number) => void): void {
    this.inner.onReceiveDrops?.(listener);
  }

  address(): { address: string; port: number; family: 'IPv4' | 'IPv6' } {
    return this.inner.address();
  }

  send(peer: Peer, bytes: Uint8Array): Promise<void> {
    if (this.closed) return Promise.reject(new DtlsClosedError());
    const conn = this.connections.get(peer.key);
    if (conn) return this.sendOn(conn, peer, bytes);
    if (this.options.role === 'server') return Promise.reject(new DtlsNoConnectionError(peer.key));
    const key = makePeer(peer.address, peer.port).key;
    let pending = this.handshakes.get(key);
    if (!pending) {
      const credentials = this.clientCredentials(peer);
      if (!credentials) return Promise.reject(new DtlsHandshakeError(`no PSK or certificate for ${key}`));
      try {
        pending = this.startClientHandshake(key, makePeer(peer.address, peer.port), credentials);
      } catch (e) {
        return Promise.reject(new DtlsHandshakeError(e instanceof Error ? e.message : String(e)));
      }
    }
    if (!pending) return Promise.reject(new DtlsCapacityError('handshake'));
    if (pending.queue.length >= (this.options.maxQueuedDatagrams ?? 16))
      return Promise.reject(new DtlsCapacityError('queued datagram'));
    return new Promise((resolve, reject) => pending.queue.push({ bytes, resolve, reject }));
  }

  /**
   * Ends every connection and handshake authenticated by (or asking the key of) PSK `identity`,
   * e.g. once its credentials are removed: each connection gets a close_notify (RFC 5246 7.2.1)
   * and is forgotten, so later records of its session are dropped and the peer has to handshake
   * again with credentials that are valid now (a full handshake: the identity's cached sessions
   * are forgotten too). Returns how many connections and handshakes ended.
   */
  closeIdentity(identity: string): number {
    this.invalidateSessions(identity);
    let ended = 0;
    for (const [key, p] of [...this.handshakes])
      if (p.pskIdentity === identity) {
        this.dropHandshake(key, p, 'credentials removed');
        ended++;
      }
    for (const c of this.connections.values()) {
      if (c.identity !== identity) continue;
      void this.sendAlert(c, AlertLevel.warning, AlertDescription.closeNotify);
      this.connections.delete(c);
      ended++;
    }
    return ended;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.handler = noop;
    for (const [key, p] of this.handshakes) this.dropHandshake(key, p, 'transport closed');
    const notifies: Promise<void>[] = [];
    for (const c of this.connections.values()) {
      c.release();
      notifies.push(this.sendAlert(c, AlertLevel.warning, AlertDescription.closeNotify));
      this.connections.delete(c);
    }
    await Promise.all(notifies);
    await this.handshakeCrypto.close();
    await this.inner.close();
  }

  private sendOn(conn: DtlsConnection, peer: Peer, bytes: Uint8Array): Promise<void> {
    if (peer.identity !== undefined && !sameIdentity(peer.identity, conn.identity))
      return Promise.reject(new DtlsIdentityMismatchError(peer.key));
    const record = conn.seal(ContentType.applicationData, bytes);
    const sent = this.inner.send(conn.innerPeer, record);
    // Queued at once (the UDP transports): passed on as it is, no promise and closure per record.
    return sent === DATAGRAM_QUEUED ? sent : sent.catch(this.countSendError);
  }

  private readonly countSendError = (e: unknown): never => {
    this.stats.sendErrors++;
    throw e;
  };

  /** Sends an alert on `conn` (call it before the connection leaves the table). */
  private sendAlert(conn: DtlsConnection, level: number, description: number): Promise<void> {
    if (!conn.alive) return Promise.resolve();
    const record = conn.seal(ContentType.alert, encodeAlert(level, description));
    return this.inner.send(conn.innerPeer, record).catch(() => void this.stats.sendErrors++);
  }

  private receive(bytes: Uint8Array, from: Peer): void {
    if (this.closed) return;
    let records: DtlsRecord[];
    try {
      records = decodeDatagram(bytes, { cidLength: this.cidLength });
    } catch {
      this.stats.dropped++; // RFC 6347 4.1.2.7: malformed datagrams are dropped silently
      return;
    }
    const pending = this.handshakes.get(from.key);
    const hello = this.options.role === 'server' && startsWithClientHello(records);
    // a ClientHello with another random than the pending handshake's is a client that started
    // over (it restarted): it goes through the gate; a repeat of the same one is a retransmission
    if (pending && !(hello && !sameRandom(pending.handshake, records[0]!))) {
      for (const r of records) pending.handshake.receive(r);
      return;
    }
    if (hello) {
      // a new handshake from this address (first contact, or a client that restarted: its old
      // connection stays until the new one completes)
      this.onClientHello(records, bytes.length, from);
      return;
    }
    for (const r of records) {
      // RFC 9146 section 6: a CID record may come from anywhere; look it up by CID (server)
      const conn =
        r.cid !== undefined && this.issuer
          ? this.connections.getByCidBytes(r.cid)
          : this.connections.getByAddress(from.key);
      if (conn) this.onConnectionRecord(conn, r, from);
      else this.stats.dropped++;
    }
  }

  /** True when a connection or a handshake in progress holds the CID `hex`. */
  private cidTaken(hex: string): boolean {
    if (this.connections.hasCid(hex)) return true;
    for (const p of this.handshakes.values()) if (cidHex(p.handshake.keys.ownCid) === hex) return true;
    return false;
  }

  private onClientHello(records: readonly DtlsRecord[], size: number, from: Peer): void {
    const decision = gateClientHello(records, size, from.address, from.port, this.jar!);
    if (decision.kind === 'drop') {
      this.stats.dropped++;
      return;
    }
    if (decision.kind === 'verify') {
      this.stats.helloVerifyRequests++;
      this.inner.send(from, decision.datagram).catch(() => void this.stats.sendErrors++);
      return;
    }
    if (this.connections.get(from.key)?.madeByHello(decision.hello.random)) {
      this.stats.dropped++; // a late duplicate of the ClientHello that made the current connection
      return;
    }
    if (this.handshakes.size >= this.maxHandshakes || !this.connections.hasRoom(from.key)) {
      this.stats.dropped++; // over capacity: the client retries later
      return;
    }
    const options = this.options as DtlsServerOptions;
    const Handshake = this.serverCertificate ? CertificateServerHandshake : ServerHandshake;
    const handshake = new Handshake(
      this.contextFor(from),
      {
        onComplete: (identity) => this.onHandshakeComplete(from.key, identity),
        onFailed: (reason, fatal) => this.onHandshakeFailed(from.key, handshake, reason, fatal),
      },
      {
        pskFor: (identity) => {
          const p = this.handshakes.get(from.key);
          if (p?.handshake === handshake) p.pskIdentity = identity;
          return options.pskFor?.(identity, from);
        },
        ...(this.serverSuites ? { suites: this.serverSuites } : {}),
        ...(options.requireExtendedMasterSecret ? { requireExtendedMasterSecret: true } : {}),
        ...(this.issuer ? { issueCid: () => this.issuer!.issue() } : {}),
        ...(options.maxSessions !== 0 ? { sessions: this.sessions.serverPort() } : {}),
        ...(this.serverCertificate
          ? {
              certificate: { credentials: this.serverCertificate, peer: from },
              onCryptoBusy: () => void this.stats.cryptoBusy++,
            }
          : {}),
      },
      decision.hello,
      decision.wire,
      decision.messageSeq,
      decision.recordSeq,
    );
    const previous = this.handshakes.get(from.key);
    if (previous) this.dropHandshake(from.key, previous, 'the client started a new handshake');
    this.register(from.key, from, handshake);
    handshake.start();
    for (const r of records.slice(1)) handshake.receive(r);
  }

  /** The client's credentials for `peer`: PSK when it has them, else certificate ones (started lazily). */
  private clientCredentials(peer: Peer): ClientCredentials | undefined {
    const o = this.options as DtlsClientOptions;
    const psk = typeof o.psk === 'function' ? o.psk(peer) : o.psk;
    if (psk) return { identity: psk.identity, key: psk.key };
    const credentials = typeof o.certificate === 'function' ? o.certificate(peer) : o.certificate;
    return credentials && { certificate: { credentials, crypto: this.handshakeCrypto.get() } };
  }

  private startClientHandshake(
    key: string,
    innerPeer: Peer,
    credentials: ClientCredentials,
  ): Pending | undefined {
    if (this.handshakes.size >= this.maxHandshakes) return undefined;
    const options = this.options as DtlsClientOptions;
    const handshake: ClientHandshake = new ClientHandshake(
      this.contextFor(innerPeer),
      {
        onComplete: (identity) => this.onHandshakeComplete(key, identity),
        onFailed: (reason, fatal) => this.onHandshakeFailed(key, handshake, reason, fatal),
      },
      {
        ...credentials,
        ...(options.suites ? { suites: options.suites } : {}),
        ...(options.requireExtendedMasterSecret ? { requireExtendedMasterSecret: true } : {}),
        ...(options.connectionIdLength !== undefined
          ? { connectionId: Uint8Array.from(this.random(this.cidLength)) }
          : {}),
        ...this.sessionOffer(key),
      },
    );
    const pending = this.register(key, innerPeer, handshake);
    handshake.start();
    return this.handshakes.get(key) === pending ? pending : undefined;
  }

  /** The client's session to offer to the server at `key`, as handshake options. */
  private sessionOffer(key: string): { session?: DtlsSession } {
    const session = this.sessions.offerFor(key);
    return session ? { session } : {};
  }

  private register(key: string, innerPeer: Peer, handshake: ServerHandshake | ClientHandshake): Pending {
    const deadline = this.clock.setTimer(this.handshakeTimeoutMs, () => {
      const p = this.handshakes.get(key);
      if (p?.handshake === handshake) {
        this.stats.handshakesFailed++;
        this.dropHandshake(key, p, 'handshake timed out');
      }
    });
    const pending: Pending = { handshake, innerPeer, deadline, queue: [] };
    this.handshakes.set(key, pending);
    return pending;
  }

  private contextFor(innerPeer: Peer): HandshakeContext {
    return {
      clock: this.clock,
      random: this.random,
      send: (d) => void this.inner.send(innerPeer, d).catch(() => void this.stats.sendErrors++),
      flight: { ...this.options.flight, mtu: this.mtu },
    };
  }

  private dropHandshake(key: string, p: Pending, reason: string, refused = false): void {
    p.deadline.cancel();
    p.handshake.dispose();
    if (this.handshakes.get(key) === p) this.handshakes.delete(key);
    for (const q of p.queue.splice(0)) q.reject(new DtlsHandshakeError(reason, refused));
  }

  private onHandshakeFailed(key: string, handshake: HandshakeBase, reason: string, fatal: boolean): void {
    const p = this.handshakes.get(key);
    if (p?.handshake !== handshake) return;
    this.sessions.failed(key, p.handshake);
    this.stats.handshakesFailed++;
    this.dropHandshake(key, p, reason, fatal);
  }

  private onHandshakeComplete(key: string, identity: PeerIdentity): void {
    const p = this.handshakes.get(key);
    if (!p) return;
    this.handshakes.delete(key);
    p.deadline.cancel();
    // the connection this one replaces (a client that started over from the same address) goes
    // once the new one is complete (RFC 6347 4.2.8), whatever its key: the table's add does it
    const conn = this.connections.add({
      addressKey: p.innerPeer.key,
      identity: storeIdentity(identity),
      keys: p.handshake.keys,
      ownCid: this.issuer ? p.handshake.keys.ownCid : new Uint8Array(0), // client: keyed by address
      ...(p.handshake instanceof ServerHandshake ? { helloRandom: p.handshake.clientRandom } : {}),
    });
    if (!conn) {
      this.stats.handshakesFailed++;
      const alert = encodeAlert(AlertLevel.fatal, AlertDescription.internalError);
      this.inner
        .send(p.innerPeer, p.handshake.keys.seal(1, ContentType.alert, alert))
        .catch(() => void this.stats.sendErrors++);
      this.dropHandshake(key, p, 'connection table full');
      return;
    }
    const peer = conn.peer;
    this.stats.handshakesCompleted++;
    // records that arrived while the last handshake step ran belong to the connection now
    const leftovers = p.handshake.takeQueuedRecords();
    this.sessions.completed(key, p.handshake, conn);
    if (this.options.keyLog) {
      const secrets = p.handshake.keyLogSecrets();
      this.options.keyLog(keyLogLine(secrets.clientRandom, secrets.master));
    }
    if (p.handshake.sentFinalFlight) {
      // keep our final flight for a repeat of the peer's last flight (RFC 6347 4.2.4): the
      // server's in a full handshake, the client's in an abbreviated one
      conn.retain(
        p.handshake,
        this.clock.setTimer(this.handshakeTimeoutMs, () => conn.release()),
      );
    } else {
      p.handshake.dispose();
      conn.release(); // the record state goes compact
    }
    for (const q of p.queue.splice(0)) this.sendOn(conn, peer, q.bytes).then(q.resolve, q.reject);
    for (const r of leftovers) this.onConnectionRecord(conn, r, p.innerPeer);
  }

  private onConnectionRecord(conn: DtlsConnection, record: DtlsRecord, from: Peer): void {
    if (record.epoch === 0) {
      // a repeat of the peer's last handshake flight (epoch-0 part): the handshake may resend
      if (record.type === ContentType.handshake || record.type === ContentType.changeCipherSpec)
        conn.retained?.receive(record);
      return;
    }
    const newest = conn.isNewest(record);
    const opened = conn.open(record);
    if (!opened) {
      this.stats.dropped++; // never moves the connection (RFC 9146 section 6)
      return;
    }
    if (from.key !== conn.addressKey && record.cid !== undefined && newest) {
      // an authenticated, non-replayed CID record newer than any before, from a new address:
      // the peer moved (NAT rebinding); later sends go there (RFC 9146 section 6)
      this.connections.moveTo(conn, from);
    }
    this.connections.touch(conn);
    switch (opened.type) {
      case ContentType.applicationData:
        conn.release(); // the peer has our final flight
        this.handler(opened.content, conn.peer);
        return;
      case ContentType.alert: {
        const alert = decodeAlert(opened.content);
        if (!alert || !endsConnection(alert)) return;
        if (alert.level === AlertLevel.fatal) this.sessions.endedByFatalAlert(conn);
        if (alert.description === AlertDescription.closeNotify)
          void this.sendAlert(conn, AlertLevel.warning, AlertDescription.closeNotify); // RFC 5246 7.2.1
        this.connections.delete(conn);
        return;
      }
      case ContentType.handshake: {
        if (conn.retained) {
          conn.retained.receiveOpened(opened, 1);
          return;
        }
        // renegotiation (RFC 5746 4.2 / 5246 7.2.2), a ClientHello to a server or a HelloRequest
        // to a client, is refused with a warning; anything else (a late repeat of the peer's
        // final flight) is dropped silently
        const renegotiation =
          this.options.role === 'server' ? HandshakeType.clientHello : HandshakeType.helloRequest;
        if (opened.content[0] === renegotiation)
          void this.sendAlert(conn, AlertLevel.warning, AlertDescription.noRenegotiation);
        return;
      }
      default:
        return;
    }
  }
}

/** True when `record` (a ClientHello) carries the random of the server handshake `h`. */
function sameRandom(h: HandshakeBase, record: DtlsRecord): boolean {
  const random = clientHelloRandom(record);
  return h instanceof ServerHandshake && random !== undefined && Buffer.compare(random, h.clientRandom) === 0;
}
