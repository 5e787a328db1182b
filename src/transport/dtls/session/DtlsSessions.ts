// The session side of a DtlsTransport (RFC 5246 7.3 resumption), kept apart from it: the server
// caches the sessions its full handshakes make, by session id, and resumes them; the client keeps
// the last session per server (by peer key) and offers it on its next handshake with that server.
// Both are bounded (count cap, lifetime, oldest evicted) and counted in DtlsStats: the client's is
// a SessionCache, the server's a ServerSessionSlab (fixed-size slots in one buffer: it keeps one
// per full handshake, up to 100 000).
//
// A session is forgotten when a connection of it ends with a fatal alert (RFC 5246 7.2.2: such a
// session MUST NOT be resumed), when a client's handshake offering it fails, when the server finds
// the identity's key gone or changed at resumption (ServerHandshake asks pskFor again), and on
// `forgetIdentity` (credentials removed: their sessions go at once).

import type { DtlsClock } from '../DtlsClock.js';
import type { DtlsConnection } from '../connection/DtlsConnection.js';
import { ClientHandshake } from '../handshake/ClientHandshake.js';
import type { ServerHandshake, ServerSessionPort } from '../handshake/ServerHandshake.js';
import type { DtlsStats } from '../DtlsTransportOptions.js';
import type { DtlsSession } from './DtlsSession.js';
import { ServerSessionSlab } from './ServerSessionSlab.js';
import { SessionCache, type SessionCacheOptions } from './SessionCache.js';

/** Default most sessions a server caches (about 130 bytes each). */
export const DEFAULT_SERVER_MAX_SESSIONS = 100_000;
/** Default most servers a client keeps a session for. */
export const DEFAULT_CLIENT_MAX_SESSIONS = 64;
/** Default session lifetime: 24 hours (RFC 5246 appendix F.1.4). */
export const DEFAULT_SESSION_LIFETIME_MS = 24 * 3600_000;

/** Session options of DtlsTransport (see DtlsCommonOptions). */
export interface DtlsSessionOptions {
  readonly maxSessions?: number;
  readonly sessionLifetimeMs?: number;
  readonly sessionCache?: SessionCache<DtlsSession>;
}

/** Session caching and resumption bookkeeping for one transport. */
export class DtlsSessions {
  /** Client: the last session per server (peer key); a given `sessionCache` may outlive us. */
  private readonly client: SessionCache<DtlsSession> | undefined;
  /** Server: sessions in slots named by their id. */
  private readonly server: ServerSessionSlab | undefined;

  constructor(
    private readonly role: 'client' | 'server',
    options: DtlsSessionOptions,
    clock: DtlsClock,
    private readonly random: (n: number) => Uint8Array,
    private readonly stats: DtlsStats,
  ) {
    const bounds: SessionCacheOptions = {
      maxEntries:
        options.maxSessions ??
        (role === 'server' ? DEFAULT_SERVER_MAX_SESSIONS : DEFAULT_CLIENT_MAX_SESSIONS),
      lifetimeMs: options.sessionLifetimeMs ?? DEFAULT_SESSION_LIFETIME_MS,
      clock,
      onDrop: (reason) => void (reason === 'evicted' ? stats.sessionsEvicted++ : stats.sessionsExpired++),
    };
    if (role === 'server') this.server = new ServerSessionSlab(bounds);
    else this.client = options.sessionCache ?? new SessionCache<DtlsSession>(bounds);
  }

  /** Sessions cached now. */
  get size(): number {
    return (this.server ?? this.client)!.size;
  }

  /** What a server handshake uses to find, issue and forget sessions. */
  serverPort(): ServerSessionPort {
    const slab = this.server!;
    return {
      find: (id) => slab.find(id),
      newId: () => slab.newId(this.random),
      forget: (id) => slab.forget(id),
    };
  }

  /** The session a client offers to the server at `peerKey`, if any. */
  offerFor(peerKey: string): DtlsSession | undefined {
    return this.client?.get(peerKey);
  }

  /** Records the session of a completed handshake and ties `conn` to it. */
  completed(peerKey: string, handshake: ServerHandshake | ClientHandshake, conn: DtlsConnection): void {
    if (handshake.resumed) this.stats.sessionsResumed++;
    const session = handshake.session;
    if (!session) {
      if (handshake instanceof ClientHandshake) this.client?.delete(peerKey); // the server made none
      return;
    }
    // a resumed session stays as cached: its lifetime runs from the full handshake, and one
    // forgotten meanwhile (invalidateSessions) is not brought back
    if (this.server) {
      // a resumed one is looked up again (it may have been replaced meanwhile)
      const ref = handshake.resumed ? this.server.refOf(session.id) : this.server.store(session);
      if (ref !== undefined) conn.sessionKey = ref;
    } else {
      if (!handshake.resumed) this.client!.set(peerKey, session);
      conn.sessionKey = peerKey;
    }
  }

  /** A client handshake that offered a session failed: do not offer it again. */
  failed(peerKey: string, handshake: ServerHandshake | ClientHandshake): void {
    if (handshake instanceof ClientHandshake && handshake.offeredSession) this.client?.delete(peerKey);
  }

  /** `conn` ended with a fatal alert: its session must not be resumed (RFC 5246 7.2.2). */
  endedByFatalAlert(conn: DtlsConnection): void {
    const key = conn.sessionKey;
    if (typeof key === 'number') this.server?.forgetRef(key);
    else if (key !== undefined) this.client?.delete(key);
  }

  /** Forgets every session of PSK `identity`; returns how many. */
  forgetIdentity(identity: string): number {
    if (this.server) return this.server.forgetIdentity(identity);
    return this.client!.deleteWhere((s) => s.identity === identity);
  }
}
