// The Bootstrap-Server's REST API (issue 6 item 3; configs of Core TS 1.1.1 section 5.2.7): a
// fastify plugin to list, read, store and delete bootstrap configs by endpoint name ("*" is the
// default for unknown endpoints) and to list bootstrap sessions. Thin: all of it is library API.
import Fastify, { type FastifyInstance, type FastifyPluginAsync, type FastifyServerOptions } from 'fastify';
import type { BootstrapSessionRecord } from '../bootstrap/BootstrapSession.js';
import {
  bootstrapConfigToJson,
  InvalidBootstrapConfigError,
  parseBootstrapConfig,
} from '../lwm2m/bootstrapConfigJson.js';
import type { ModelLookup } from '../model/ObjectModel.js';
import type { BootstrapConfigStore } from '../store/BootstrapConfigStore.js';

/** What the plugin serves: a config store and the server's sessions (a BootstrapServer fits). */
export interface BootstrapApiPort {
  readonly configStore: BootstrapConfigStore;
  /** Running and recent sessions, oldest first. */
  sessions(): readonly BootstrapSessionRecord[];
  /** Models `objects` values are checked against on PUT. */
  readonly models?: ModelLookup;
}

/** Options of the plugin. */
export interface BootstrapApiOptions {
  readonly port: BootstrapApiPort;
}

const endpointParams = {
  type: 'object',
  required: ['endpoint'],
  properties: { endpoint: { type: 'string', minLength: 1, maxLength: 255 } },
} as const;
const errorBody = {
  type: 'object',
  properties: { error: { type: 'string' }, message: { type: 'string' } },
} as const;
const configBody = {
  type: 'object',
  description: 'A bootstrap config (README "Bootstrap configs"): byte strings are hex',
  additionalProperties: true,
} as const;

type EndpointRequest = { Params: { endpoint: string } };

/**
 * Routes (register with `{ prefix: '/api' }` for the documented paths): GET /bootstrap/configs,
 * GET|PUT|DELETE /bootstrap/configs/{endpoint} (endpoint "*" is the default config), GET
 * /bootstrap/sessions. Bad bodies get 400 with a message naming the field.
 */
export const bootstrapApi: FastifyPluginAsync<BootstrapApiOptions> = async (app, { port }) => {
  const store = port.configStore;
  app.setErrorHandler((err: Error, req, reply) => {
    if (err instanceof InvalidBootstrapConfigError)
      return reply
        .code(400)
        .send({ error: 'bad request', message: `invalid bootstrap config: ${err.message}` });
    const status = (err as { statusCode?: number }).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500)
      return reply.code(status).send({ error: 'bad request', message: err.message });
    req.log.error(err);
    return reply.code(500).send({ error: 'internal error', message: err.message });
  });

  app.get('/bootstrap/configs', async () =>
    (await store.list()).map((e) => ({ endpoint: e.endpoint, config: bootstrapConfigToJson(e.config) })),
  );

  app.get<EndpointRequest>(
    '/bootstrap/configs/:endpoint',
    { schema: { params: endpointParams, response: { 404: errorBody } } },
    async (req, reply) => {
      const config = await store.getExact(req.params.endpoint);
      if (!config) return reply.code(404).send(noConfig(req.params.endpoint));
      return bootstrapConfigToJson(config);
    },
  );

  app.put<EndpointRequest & { Body: unknown }>(
    '/bootstrap/configs/:endpoint',
    { schema: { params: endpointParams, body: configBody, response: { 400: errorBody } } },
    async (req, reply) => {
      const config = parseBootstrapConfig(req.body, port.models);
      const { previous } = await store.put(req.params.endpoint, config);
      return reply
        .code(previous ? 200 : 201)
        .send({ endpoint: req.params.endpoint, replaced: previous !== undefined });
    },
  );

  app.delete<EndpointRequest>(
    '/bootstrap/configs/:endpoint',
    { schema: { params: endpointParams, response: { 404: errorBody } } },
    async (req, reply) => {
      const { removed } = await store.delete(req.params.endpoint);
      if (!removed) return reply.code(404).send(noConfig(req.params.endpoint));
      return reply.code(204).send();
    },
  );

  app.get('/bootstrap/sessions', () => port.sessions());
};

const noConfig = (endpoint: string): { error: string; message: string } => ({
  error: 'not found',
  message: `no bootstrap config for ${endpoint.slice(0, 255)}`,
});

/** A fastify app serving only the bootstrap API under `/api` (what `lwm2m bootstrap --http-port` runs). */
export function createBootstrapHttpApi(
  port: BootstrapApiPort,
  options: {
    readonly logger?: FastifyServerOptions['logger'];
    /** A logger to use instead (e.g. a pino child logger of the application); wins over `logger`. */
    readonly loggerInstance?: FastifyServerOptions['loggerInstance'];
  } = {},
): FastifyInstance {
  const app = Fastify({
    ...(options.loggerInstance
      ? { loggerInstance: options.loggerInstance }
      : { logger: options.logger ?? false }),
    bodyLimit: 1 << 20,
  });
  void app.register(bootstrapApi, { prefix: '/api', port });
  return app;
}
