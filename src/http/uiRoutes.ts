// Issue 16 item 1: the web UI (src/ui/app, bundled into dist/ui/static), served by the REST API's fastify. GET / is the page, /ui/app.js and
// /ui/app.css its bundle (scripts/build-ui.mjs writes dist/ui/static/; read once at start-up).
// With API keys, the page is public but shows a login form: POST /ui/login with a key opens a
// session whose cookie (HttpOnly, SameSite=Strict) the browser then sends with every API call and
// with EventSource, which cannot send headers. Without keys (the API only serves loopback then,
// see cli/httpAccess.ts) no login is needed. A strict Content-Security-Policy allows only this
// origin's script and style: no inline code, no eval, no framing.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { bearerMatches } from './apiKeys.js';
import { cookieValue, SESSION_COOKIE, type UiSessions } from './uiSessions.js';

/** What the UI shows, besides the server's clients. */
export interface UiFeatures {
  /** The bootstrap API is mounted (an embedded or standalone Bootstrap-Server). */
  readonly bootstrap: boolean;
  /** The credentials API is mounted. */
  readonly security: boolean;
  /** Its path under the API prefix: '/security' (server) or '/bootstrap/security' (standalone bootstrap server). */
  readonly securityPath: string;
  /** The LwM2M server's client API is mounted (false for a standalone bootstrap server). */
  readonly server: boolean;
}

/** Settings of serveUi. */
export interface ServeUiOptions {
  /** Digests of the API keys; empty or absent: no login (loopback-only API). */
  readonly apiKeyHashes?: readonly Uint8Array[];
  /** The sessions the API guard also accepts (give the same instance to createHttpApi's access). */
  readonly sessions: UiSessions;
  readonly features: UiFeatures;
  /** Adds `Secure` to the cookie (the UI is reached over https, e.g. behind a TLS proxy). */
  readonly secureCookie?: boolean;
  /** Folder of the built UI. Default: dist/ui/static of this package. */
  readonly assetsDir?: string;
  /** Path prefix of the REST API the page calls. Default '/api'. */
  readonly apiPrefix?: string;
}

/** Where the built UI is: beside this module once compiled, or under dist/ when run from src/. */
export function defaultUiAssetsDir(): string {
  for (const rel of ['../ui/static/', '../../dist/ui/static/']) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(`${dir}app.js`)) return dir;
  }
  return fileURLToPath(new URL('../../dist/ui/static/', import.meta.url));
}

export const UI_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
};

interface Asset {
  readonly body: Buffer;
  readonly type: string;
}

function loadAssets(dir: string): Map<string, Asset> | undefined {
  const files: [string, string, string][] = [
    ['/', 'index.html', 'text/html; charset=utf-8'],
    ['/ui/app.js', 'app.js', 'text/javascript; charset=utf-8'],
    ['/ui/app.css', 'app.css', 'text/css; charset=utf-8'],
  ];
  const assets = new Map<string, Asset>();
  for (const [url, name, type] of files) {
    const path = `${dir.endsWith('/') ? dir : `${dir}/`}${name}`;
    if (!existsSync(path)) return undefined;
    assets.set(url, { body: readFileSync(path), type });
  }
  return assets;
}

/** Too many failed logins in a second: refused with 429 until the next second. */
const FAILED_LOGINS_PER_SECOND = 20;

/** Registers the UI routes on `app` (the REST API's fastify, guard installed). */
export function serveUi(app: FastifyInstance, options: ServeUiOptions): void {
  const keys = options.apiKeyHashes ?? [];
  const loginRequired = keys.length > 0;
  const dir = options.assetsDir ?? defaultUiAssetsDir();
  const assets = loadAssets(dir);
  const cookieTail = `; Path=/; HttpOnly; SameSite=Strict${options.secureCookie === true ? '; Secure' : ''}`;
  let failedSecond = 0;
  let failedCount = 0;

  const send = (reply: FastifyReply, asset: Asset): FastifyReply =>
    reply.headers(UI_SECURITY_HEADERS).header('cache-control', 'no-cache').type(asset.type).send(asset.body);

  for (const url of ['/', '/ui/app.js', '/ui/app.css']) {
    app.get(url, { config: { public: true }, schema: { hide: true } }, async (_req, reply) => {
      const asset = assets?.get(url);
      if (asset) return send(reply, asset);
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send(`The web UI is not built (no ${dir}app.js): run \`npm run build:ui\`.`);
    });
  }

  app.get('/ui/session', { config: { public: true }, schema: { hide: true } }, async (req) => ({
    loginRequired,
    authenticated:
      !loginRequired ||
      bearerMatches(req.headers.authorization, keys) ||
      options.sessions.valid(cookieValue(req.headers.cookie, SESSION_COOKIE)),
    features: options.features,
    apiPrefix: options.apiPrefix ?? '/api',
  }));

  app.post<{ Body: { apiKey: string } }>(
    '/ui/login',
    {
      config: { public: true },
      schema: {
        hide: true,
        body: {
          type: 'object',
          required: ['apiKey'],
          additionalProperties: false,
          properties: { apiKey: { type: 'string', minLength: 1, maxLength: 512 } },
        },
      },
    },
    async (req, reply) => {
      if (!loginRequired)
        return reply.code(409).send({ error: 'conflict', message: 'this API has no keys: no login needed' });
      const second = Math.floor(Date.now() / 1000);
      if (second !== failedSecond) {
        failedSecond = second;
        failedCount = 0;
      }
      if (failedCount >= FAILED_LOGINS_PER_SECOND)
        return reply
          .code(429)
          .send({ error: 'too many requests', message: 'too many failed logins; retry in a second' });
      if (!bearerMatches(`Bearer ${req.body.apiKey}`, keys)) {
        failedCount++;
        req.log.warn('web UI login refused: not a key of this API');
        return reply.code(401).send({ error: 'unauthorized', message: 'apiKey: not a key of this API' });
      }
      const token = options.sessions.open();
      const maxAge = Math.floor(options.sessions.ttlMs / 1000);
      reply.header('set-cookie', `${SESSION_COOKIE}=${token}; Max-Age=${maxAge}${cookieTail}`);
      return reply.code(204).send();
    },
  );

  app.post('/ui/logout', { config: { public: true }, schema: { hide: true } }, async (req, reply) => {
    options.sessions.close(cookieValue(req.headers.cookie, SESSION_COOKIE));
    reply.header('set-cookie', `${SESSION_COOKIE}=; Max-Age=0${cookieTail}`);
    return reply.code(204).send();
  });
}
