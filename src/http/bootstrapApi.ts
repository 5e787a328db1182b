// The Bootstrap-Server's REST API (issue 6 item 3; configs of Core TS 1.1.1 section 5.2.7): a
// fastify plugin to list, read, store and delete bootstrap configs by endpoint name ("*" is the
// default for unknown endpoints) and to list bootstrap sessions. Thin: all of it is library API.
// Errors, access rules and the OpenAPI document are the app's (createApiApp), shared with the
// LwM2M server's API.
import type { FastifyInstance, FastifyPluginAsync, FastifyServerOptions } from 'fastify';
import type { BootstrapSessionRecord } from '../bootstrap/BootstrapSession.js';
import { parseBootstrapConfig, redactedBootstrapConfigJson } from '../lwm2m/bootstrapConfigJson.js';
import type { ModelLookup } from '../model/ObjectModel.js';
import type { BootstrapConfigStore } from '../store/BootstrapConfigStore.js';
import type { SecurityStore } from '../store/SecurityStore.js';
import type { ApiAccessOptions } from './apiGuard.js';
import { withKeptSecretKeys } from './bootstrapKeptKeys.js';
import { bootstrapSessionSchema, bootstrapSessionToJson } from './bootstrapSessionJson.js';
import { createApiApp } from './createHttpApi.js';
import { registerOpenApi } from './openApiDocument.js';
import { errorResponses } from './schemas.js';
import { registerSecurityRoutes } from './securityRoutes.js';

/** What the plugin serves: a config store and the server's sessions (a BootstrapServer fits). */
export interface BootstrapApiPort {
  readonly configStore: BootstrapConfigStore;
  /** Ended sessions (oldest first), then running ones. */
  sessions(): readonly BootstrapSessionRecord[] | Promise<readonly BootstrapSessionRecord[]>;
  /** Models `objects` values are checked against on PUT. */
  readonly models?: ModelLookup;
  /** The bootstrap server clock's `now()` (session times are on it). Default: Date.now. */
  now?(): number;
}

/** Options of the plugin. */
export interface BootstrapApiOptions {
  readonly port: BootstrapApiPort;
  /** Credentials the Bootstrap-Server accepts: serves GET|POST /bootstrap/security and GET|PUT|DELETE /bootstrap/security/{endpoint}. */
  readonly security?: SecurityStore;
}

const endpointParams = {
  type: 'object',
  required: ['endpoint'],
  properties: { endpoint: { type: 'string', minLength: 1, maxLength: 255 } },
} as const;
const configBody = {
  $id: 'BootstrapConfig',
  type: 'object',
  description:
    'A bootstrap config (README "Bootstrap configs"): byte strings are hex; answers carry secretKeyLength instead of secretKey (keys are write-only)',
  additionalProperties: true,
} as const;
const tags = ['bootstrap'];

interface ConfigListQuery {
  readonly limit?: number;
  readonly after?: string;
  readonly endpointPrefix?: string;
}
const configListQuery = {
  type: 'object',
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: 1000, description: 'Configs per page (default: all).' },
    after: {
      type: 'string',
      maxLength: 255,
      description: 'Start after this endpoint (the last of the previous page).',
    },
    endpointPrefix: {
      type: 'string',
      maxLength: 255,
      description: 'Only endpoints starting with this text.',
    },
  },
} as const;

type EndpointRequest = { Params: { endpoint: string } };

/**
 * Routes (register with `{ prefix: '/api' }` for the documented paths): GET /bootstrap/configs,
 * GET|PUT|DELETE /bootstrap/configs/{endpoint} (endpoint "*" is the default config), GET
 * /bootstrap/sessions and, with `security`, the credential routes of securityRoutes.ts under
 * /bootstrap/security (apart from the server's /security when both share an app). Bad bodies get
 * 400 with a message naming the field.
 */
export const bootstrapApi: FastifyPluginAsync<BootstrapApiOptions> = async (app, { port, security }) => {
  const store = port.configStore;
  if (app.getSchema('BootstrapConfig') === undefined) app.addSchema(configBody);
  if (app.getSchema('BootstrapSession') === undefined) app.addSchema(bootstrapSessionSchema);
  if (security)
    registerSecurityRoutes(app, security, '/bootstrap/security', {
      tag: 'bootstrap',
      owner: 'the Bootstrap-Server',
    });

  app.get<{ Querystring: ConfigListQuery }>(
    '/bootstrap/configs',
    {
      schema: {
        summary: 'Every bootstrap config, by endpoint ("*" is the default config)',
        description:
          'Ordered by endpoint. With limit, a page: the next one starts after the endpoint of the last item (?after=). The x-total-count header tells how many configs match endpointPrefix.',
        tags,
        querystring: configListQuery,
        response: {
          200: {
            type: 'array',
            items: {
              type: 'object',
              properties: { endpoint: { type: 'string' }, config: { $ref: 'BootstrapConfig#' } },
            },
          },
        },
      },
    },
    async (req, reply) => {
      const { limit, after, endpointPrefix = '' } = req.query;
      const matching = (await store.list()).filter((e) => e.endpoint.startsWith(endpointPrefix));
      const from = after === undefined ? 0 : matching.findIndex((e) => e.endpoint > after);
      const page = from < 0 ? [] : matching.slice(from, limit === undefined ? undefined : from + limit);
      void reply.header('x-total-count', String(matching.length));
      return page.map((e) => ({ endpoint: e.endpoint, config: redactedBootstrapConfigJson(e.config) }));
    },
  );

  app.get<EndpointRequest>(
    '/bootstrap/configs/:endpoint',
    {
      schema: {
        summary: 'The bootstrap config of one endpoint',
        tags,
        params: endpointParams,
        response: { 200: { $ref: 'BootstrapConfig#' }, ...errorResponses(404) },
      },
    },
    async (req, reply) => {
      const config = await store.getExact(req.params.endpoint);
      if (!config) return reply.code(404).send(noConfig(req.params.endpoint));
      return redactedBootstrapConfigJson(config);
    },
  );

  app.put<EndpointRequest & { Body: unknown }>(
    '/bootstrap/configs/:endpoint',
    {
      schema: {
        summary: 'Stores the bootstrap config of one endpoint (201 when new, 200 when replaced)',
        description:
          'A Security instance may give "secretKeyLength" (what GET answers) instead of "secretKey" to keep the key the stored config holds for the same instance, if it has that length.',
        tags,
        params: endpointParams,
        body: { $ref: 'BootstrapConfig#' },
        response: {
          200: {
            type: 'object',
            properties: { endpoint: { type: 'string' }, replaced: { type: 'boolean' } },
          },
          201: {
            type: 'object',
            properties: { endpoint: { type: 'string' }, replaced: { type: 'boolean' } },
          },
          ...errorResponses(400),
        },
      },
    },
    async (req, reply) => {
      const stored = await store.getExact(req.params.endpoint);
      const config = parseBootstrapConfig(withKeptSecretKeys(req.body, stored), port.models);
      const { previous } = await store.put(req.params.endpoint, config);
      return reply
        .code(previous ? 200 : 201)
        .send({ endpoint: req.params.endpoint, replaced: previous !== undefined });
    },
  );

  app.delete<EndpointRequest>(
    '/bootstrap/configs/:endpoint',
    {
      schema: {
        summary: 'Deletes the bootstrap config of one endpoint',
        tags,
        params: endpointParams,
        response: { 204: { type: 'null', description: 'Deleted' }, ...errorResponses(404) },
      },
    },
    async (req, reply) => {
      const { removed } = await store.delete(req.params.endpoint);
      if (!removed) return reply.code(404).send(noConfig(req.params.endpoint));
      return reply.code(204).send();
    },
  );

  app.get<{ Querystring: { endpoint?: string } }>(
    '/bootstrap/sessions',
    {
      schema: {
        summary: 'Kept ended bootstrap sessions (oldest first), then the running ones',
        tags,
        querystring: {
          type: 'object',
          properties: {
            endpoint: {
              type: 'string',
              minLength: 1,
              maxLength: 255,
              description: 'Only the sessions of this endpoint.',
            },
          },
        },
        response: { 200: { type: 'array', items: { $ref: 'BootstrapSession#' } } },
      },
    },
    async (req) => {
      const all = await port.sessions();
      const { endpoint } = req.query;
      const sessions = endpoint === undefined ? all : all.filter((s) => s.endpoint === endpoint);
      const clockNow = port.now?.() ?? Date.now();
      const wallNow = Date.now();
      return sessions.map((s) => bootstrapSessionToJson(s, clockNow, wallNow));
    },
  );
};

const noConfig = (endpoint: string): { error: string; message: string } => ({
  error: 'not found',
  message: `no bootstrap config for ${endpoint.slice(0, 255)}`,
});

/** Settings of createBootstrapHttpApi. */
export interface BootstrapHttpApiOptions {
  readonly logger?: FastifyServerOptions['logger'];
  /** A logger to use instead (e.g. a pino child logger of the application); wins over `logger`. */
  readonly loggerInstance?: FastifyServerOptions['loggerInstance'];
  /** Who may call the API (apiGuard.ts). Default: loopback use only. */
  readonly access?: ApiAccessOptions;
  /** Credentials the Bootstrap-Server accepts, served under /api/bootstrap/security. */
  readonly security?: SecurityStore;
}

/**
 * A fastify app serving only the bootstrap API under `/api` (what `lwm2m bootstrap --http-port`
 * runs), with its OpenAPI document at /api/openapi.json.
 */
export function createBootstrapHttpApi(
  port: BootstrapApiPort,
  options: BootstrapHttpApiOptions = {},
): FastifyInstance {
  const app = createApiApp(options, '/api');
  registerOpenApi(app, '/api/openapi.json', {
    title: 'LwM2M Bootstrap-Server REST API',
    description:
      'Bootstrap configs by endpoint, bootstrap sessions and the credentials the Bootstrap-Server accepts (keys are write-only). Every error is {error, message}.',
  });
  void app.register(bootstrapApi, {
    prefix: '/api',
    port,
    ...(options.security ? { security: options.security } : {}),
  });
  return app;
}
