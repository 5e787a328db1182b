// Issue 12 item 6: who may use the REST APIs. One onRequest hook, before any route runs:
//  1. Host (RFC 9110 section 7.2) must be an IP literal, `localhost`, or a configured name: a page
//     of another site that rebinds its DNS name to this address sends its own name as Host
//     (DNS rebinding), so it is refused. An IP literal cannot be rebound.
//  2. With API keys configured, `Authorization: Bearer <key>` (RFC 6750) on every route not marked
//     `config: { public: true }`, or the session cookie of a web UI login (uiSessions.ts).
//  3. A state-changing request (anything but GET, HEAD, OPTIONS) from a browser must come from the
//     API's own origin or an allowed one: `Origin` (RFC 6454 section 7) when present ("null"
//     included), and `Sec-Fetch-Site: cross-site` (W3C Fetch Metadata). Tools that send neither
//     (curl, scripts) are not browsers and pass.
//  4. Bodies are JSON: text/plain (what an HTML form or a "simple" cross-site fetch can send without
//     a CORS preflight) is refused with 415, except on routes marked `config: { textBody: true }`
//     (Execute arguments). Form encodings have no parser and get 415 too.
import { isIP } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { bearerMatches } from './apiKeys.js';
import { cookieValue, SESSION_COOKIE, type UiSessions } from './uiSessions.js';

/** Access rules of a REST API. */
export interface ApiAccessOptions {
  /** Host names accepted in `Host` besides IP literals and `localhost` (e.g. the API's DNS name). */
  readonly allowedHosts?: readonly string[];
  /** Origins (`https://ui.example.com`) allowed to send state-changing requests besides the API's own. */
  readonly allowedOrigins?: readonly string[];
  /** SHA-256 digests of the API keys (apiKeys.ts); when non-empty every request needs one. */
  readonly apiKeyHashes?: readonly Uint8Array[];
  /** Web UI sessions (a login with an API key): their cookie stands for the key. */
  readonly sessions?: UiSessions;
}

/** Route `config` flags the guard reads. */
export interface GuardRouteConfig {
  /** Served without an API key (health checks). */
  readonly public?: boolean;
  /** Accepts a text/plain body. */
  readonly textBody?: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Served without an API key (apiGuard.ts). */
    public?: boolean;
    /** Accepts a text/plain body (apiGuard.ts). */
    textBody?: boolean;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The host name of a Host header value or of a URL authority (no port, no brackets, lower case). */
export function hostName(authority: string): string {
  const a = authority.trim().toLowerCase();
  const close = a.indexOf(']');
  const name = a.startsWith('[')
    ? a.slice(1, close < 0 ? undefined : close)
    : isIP(a) === 6
      ? a // a bare IPv6 address (a bind address, never a Host header)
      : a.split(':')[0]!;
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

/** True for an address that only this machine can reach. */
export function isLoopback(address: string): boolean {
  const a = hostName(address);
  return a === 'localhost' || a === '::1' || /^(::ffff:)?127\./.test(a);
}

/** True when `origin` (RFC 6454 serialization) names the host of the request, default ports aside. */
function isOwnOrigin(origin: string, host: string | undefined): boolean {
  if (host === undefined || origin === 'null') return false;
  try {
    const o = new URL(origin);
    if (o.protocol !== 'http:' && o.protocol !== 'https:') return false;
    return o.host === new URL(`${o.protocol}//${host}`).host;
  } catch {
    return false;
  }
}

function refuse(reply: FastifyReply, status: number, error: string, message: string): FastifyReply {
  if (status === 401) reply.header('www-authenticate', 'Bearer realm="lwm2m"');
  return reply.code(status).send({ error, message });
}

/** Installs the checks on every route of `app` (register before the routes). */
export function installApiGuard(app: FastifyInstance, options: ApiAccessOptions = {}): void {
  const hosts = new Set(['localhost', ...(options.allowedHosts ?? []).map(hostName)]);
  const origins = new Set((options.allowedOrigins ?? []).map((o) => o.toLowerCase().replace(/\/$/, '')));
  const keys = options.apiKeyHashes ?? [];
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    const config = (req.routeOptions.config ?? {}) as GuardRouteConfig;
    const host = req.headers.host;
    if (host !== undefined) {
      const name = hostName(host);
      if (isIP(name) === 0 && !hosts.has(name))
        return refuse(
          reply,
          403,
          'forbidden',
          `host: "${name.slice(0, 100)}" is not a name of this API; allow it with --http-host (allowedHosts)`,
        );
    }
    if (
      keys.length > 0 &&
      config.public !== true &&
      !bearerMatches(req.headers.authorization, keys) &&
      !(options.sessions?.valid(cookieValue(req.headers.cookie, SESSION_COOKIE)) ?? false)
    )
      return refuse(
        reply,
        401,
        'unauthorized',
        req.headers.authorization === undefined
          ? 'authorization: give an API key as "Authorization: Bearer <key>"'
          : 'authorization: the bearer token is not a key of this API',
      );
    if (SAFE_METHODS.has(req.method)) return undefined;
    const origin = req.headers.origin;
    if (origin !== undefined) {
      const o = origin.toLowerCase();
      if (!isOwnOrigin(o, host) && !origins.has(o))
        return refuse(
          reply,
          403,
          'forbidden',
          `origin: "${origin.slice(0, 100)}" may not change anything here; allow it with --http-origin (allowedOrigins)`,
        );
    } else if (req.headers['sec-fetch-site'] === 'cross-site') {
      return refuse(
        reply,
        403,
        'forbidden',
        'sec-fetch-site: cross-site requests may not change anything here',
      );
    }
    const type = req.headers['content-type'];
    if (type !== undefined && /^\s*text\/plain\b/i.test(type) && config.textBody !== true)
      return refuse(
        reply,
        415,
        'unsupported media type',
        'content-type: text/plain is not accepted here; send application/json',
      );
    return undefined;
  });
}
