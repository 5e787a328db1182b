// Operations endpoints (issue 12 item 12), outside the /api prefix like other exporters:
// GET /metrics (Prometheus text exposition format 0.0.4), GET /healthz (liveness: the event loop
// answers) and GET /readyz (readiness: 200, or 503 while draining). With API keys configured,
// /metrics asks for one like the API (Prometheus sends it as a bearer token); the two probes do
// not (load balancers and orchestrators probe without credentials, and they reveal nothing).
import type { FastifyPluginAsync } from 'fastify';
import type { Registry } from 'prom-client';
import type { Readiness } from './Readiness.js';

/** What the operations routes serve. */
export interface OpsRoutesOptions {
  readonly metrics: Registry;
  readonly readiness: Readiness;
}

const statusSchema = {
  type: 'object',
  required: ['status'],
  properties: { status: { type: 'string' } },
} as const;

/**
 * The fastify plugin serving /metrics, /healthz and /readyz (register it, rather than adding the
 * routes directly, so that the OpenAPI document of createHttpApi lists them).
 */
export const opsRoutes: FastifyPluginAsync<OpsRoutesOptions> = async (app, o) => {
  app.get(
    '/metrics',
    {
      schema: {
        summary: 'Prometheus metrics',
        tags: ['operations'],
        response: {
          200: {
            description: 'Text exposition format 0.0.4',
            content: { 'text/plain': { schema: { type: 'string' } } },
          },
        },
      },
    },
    async (_req, reply) => {
      const text = await o.metrics.metrics();
      return reply.type(o.metrics.contentType).send(text);
    },
  );
  app.get(
    '/healthz',
    {
      config: { public: true },
      schema: {
        summary: 'Liveness: 200 while the process answers',
        tags: ['operations'],
        response: { 200: statusSchema },
      },
    },
    async () => ({ status: 'ok' }),
  );
  app.get(
    '/readyz',
    {
      config: { public: true },
      schema: {
        summary: 'Readiness: 200, or 503 while draining before shutdown',
        tags: ['operations'],
        response: { 200: statusSchema, 503: statusSchema },
      },
    },
    async (_req, reply) =>
      o.readiness.isDraining ? reply.code(503).send({ status: 'draining' }) : { status: 'ready' },
  );
};
