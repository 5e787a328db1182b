// Issue 16 item 1: browser sessions of the web UI. EventSource cannot send an Authorization header,
// so a browser logs in once with an API key and gets a session cookie instead (HttpOnly: scripts
// cannot read it; SameSite=Strict: no other site's request carries it, RFC 6265bis 5.4.7). Only
// SHA-256 digests of session tokens are kept, in a bounded table: at most `maxSessions` (oldest
// dropped first, counted), each ending `ttlMs` after login (absolute, not sliding). A token is
// never logged.
import { createHash, randomBytes } from 'node:crypto';
import { OldestFirst } from '../transport/OldestFirst.js';

/** Name of the session cookie. */
export const SESSION_COOKIE = 'lwm2m_session';

/** Settings of UiSessions. */
export interface UiSessionOptions {
  /** Most live sessions; the oldest is dropped beyond. Default 1 000. */
  readonly maxSessions?: number;
  /** Lifetime of a session from its login, ms. Default 12 h. */
  readonly ttlMs?: number;
  /** Clock, ms. Default Date.now. */
  readonly now?: () => number;
}

const digest = (token: string): string => createHash('sha256').update(token, 'utf8').digest('base64url');

/** The live sessions of the UI. */
export class UiSessions {
  readonly maxSessions: number;
  readonly ttlMs: number;
  private readonly now: () => number;
  /** Digest → expiry (ms); a Map keeps insertion order, so the first entry is the oldest. */
  private readonly sessions = new Map<string, number>();
  private readonly oldest = new OldestFirst(this.sessions);
  /** Sessions dropped because the table was full. */
  evicted = 0;

  constructor(options: UiSessionOptions = {}) {
    this.maxSessions = options.maxSessions ?? 1_000;
    this.ttlMs = options.ttlMs ?? 12 * 3600_000;
    this.now = options.now ?? Date.now;
    if (!Number.isInteger(this.maxSessions) || this.maxSessions < 1)
      throw new RangeError('maxSessions must be a positive integer');
    if (!(this.ttlMs > 0)) throw new RangeError('ttlMs must be positive');
  }

  /** Opens a session; returns its token (32 random bytes, base64url), to be set as the cookie. */
  open(): string {
    const token = randomBytes(32).toString('base64url');
    if (this.sessions.size >= this.maxSessions) {
      this.prune();
      if (this.sessions.size >= this.maxSessions) {
        this.oldest.evict();
        this.evicted++;
      }
    }
    this.sessions.set(digest(token), this.now() + this.ttlMs);
    return token;
  }

  /** True while `token` names a live session. */
  valid(token: string | undefined): boolean {
    if (token === undefined || token.length === 0 || token.length > 100) return false;
    const key = digest(token);
    const expiry = this.sessions.get(key);
    if (expiry === undefined) return false;
    if (expiry <= this.now()) {
      this.sessions.delete(key);
      return false;
    }
    return true;
  }

  /** Ends the session of `token`, if any. */
  close(token: string | undefined): void {
    if (token !== undefined) this.sessions.delete(digest(token));
  }

  /** Live sessions. */
  get size(): number {
    return this.sessions.size;
  }

  private prune(): void {
    const t = this.now();
    for (const [k, expiry] of this.sessions) if (expiry <= t) this.sessions.delete(k);
  }
}

/** The value of cookie `name` in a Cookie header (RFC 6265 section 5.4), if present. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
