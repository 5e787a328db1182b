// The session side of a DtlsTransport (RFC 5246 7.3 resumption), kept apart from it: the server
// caches the sessions its full handshakes make, by session id, and resumes them; the client keeps
// the last session per server (by peer key) and offers it on its next handshake with that server.
// Both caches are SessionCaches (count cap, lifetime, oldest evicted), counted in DtlsStats.
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
import { SESSION_ID_LENGTH, sessionIdHex, type DtlsSession } from './DtlsSession.js';
import { SessionCache } from './SessionCache.js';

/** Default most sessions a server caches (about 150 bytes each). */
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
  readonly cache: SessionCache<DtlsSession>;
  /** Cache key of the session each live connection belongs to. */
  private readonly ofConnection = new WeakMap<DtlsConnection, string>();

  constructor(
    private readonly role: 'client' | 'server',
    options: DtlsSessionOptions,
    clock: DtlsClock,
    private readonly random: (n: number) => Uint8Array,
    private readonly stats: DtlsStats,
  ) {
    this.cache =
      options.sessionCache ??
      new SessionCache({
        maxEntries:
          options.maxSessions ??
          (role === 'server' ? DEFAULT_SERVER_MAX_SESSIONS : DEFAULT_CLIENT_MAX_SESSIONS),
        lifetimeMs: options.sessionLifetimeMs ?? DEFAULT_SESSION_LIFETIME_MS,
        clock,
        onDrop: (reason) => void (reason === 'evicted' ? stats.sessionsEvicted++ : stats.sessionsExpired++),
      });
  }

  /** What a server handshake uses to find, issue and forget sessions. */
  serverPort(): ServerSessionPort {
    return {
      find: (id) => this.cache.get(sessionIdHex(id)),
      newId: () => Uint8Array.from(this.random(SESSION_ID_LENGTH)),
      forget: (id) => this.cache.delete(sessionIdHex(id)),
    };
  }

  /** The session a client offers to the server at `peerKey`, if any. */
  offerFor(peerKey: string): DtlsSession | undefined {
    return this.cache.get(peerKey);
  }

  /** Records the session of a completed handshake and ties `conn` to it. */
  completed(peerKey: string, handshake: ServerHandshake | ClientHandshake, conn: DtlsConnection): void {
    if (handshake.resumed) this.stats.sessionsResumed++;
    const session = handshake.session;
    if (!session) {
      if (handshake instanceof ClientHandshake) this.cache.delete(peerKey); // the server made none
      return;
    }
    const key = this.role === 'server' ? sessionIdHex(session.id) : peerKey;
    // a resumed session stays as cached: its lifetime runs from the full handshake, and one
    // forgotten meanwhile (invalidateSessions) is not brought back
    if (!handshake.resumed) this.cache.set(key, session);
    this.ofConnection.set(conn, key);
  }

  /** A client handshake that offered a session failed: do not offer it again. */
  failed(peerKey: string, handshake: ServerHandshake | ClientHandshake): void {
    if (handshake instanceof ClientHandshake && handshake.offeredSession) this.cache.delete(peerKey);
  }

  /** `conn` ended with a fatal alert: its session must not be resumed (RFC 5246 7.2.2). */
  endedByFatalAlert(conn: DtlsConnection): void {
    const key = this.ofConnection.get(conn);
    if (key !== undefined) this.cache.delete(key);
  }

  /** Forgets every session of PSK `identity`; returns how many. */
  forgetIdentity(identity: string): number {
    return this.cache.deleteWhere((s) => s.identity === identity);
  }
}
