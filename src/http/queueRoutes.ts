// LwM2M Transport TS 1.1.1 section 6.5 (Queue Mode), issue 14 item 4: the requests held for a sleeping
// client as REST resources under /api/clients/{endpoint}/queue: list (newest first, bounded), one by
// id, and DELETE to cancel one still queued (204; 409 once sent or finished; 404 unknown).
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { QueuedRequestRecord } from '../store/QueuedRequestStore.js';
import { queuedRequestSchema, queuedRequestToJson } from './queuedRequestJson.js';
import * as S from './schemas.js';
import type { ServerPort } from './ServerPort.js';

/** Most entries GET .../queue returns; the default of `?limit=`. */
export const MAX_QUEUE_LIST = 100;

type Params = { endpoint: string; id: string };

const params = (withId: boolean): S.Schema => ({
  type: 'object',
  required: withId ? ['endpoint', 'id'] : ['endpoint'],
  properties: { endpoint: { type: 'string' }, ...(withId ? { id: { type: 'string' } } : {}) },
});

function notFound(res: FastifyReply, endpoint: string, id: string): FastifyReply {
  return res.code(404).send({
    error: 'unknown queued request',
    message: `no queued request ${id.slice(0, 40)} for "${endpoint.slice(0, 100)}"`,
  });
}

/**
 * Adds the QueuedRequest schema the queue routes refer to; call on the root app (a schema added
 * inside a plugin gives it its own schema controller, without the root's serializer).
 */
export function addQueueSchemas(app: FastifyInstance): void {
  if (app.getSchema('QueuedRequest') === undefined) app.addSchema(queuedRequestSchema);
}

/** Registers the queue routes on `app` under `{base}/:endpoint/queue` when the port offers them (after addQueueSchemas). */
export function registerQueueRoutes(app: FastifyInstance, server: ServerPort, base: string): void {
  const { queuedRequests, queuedRequest, cancelQueuedRequest } = server;
  if (!queuedRequests || !queuedRequest || !cancelQueuedRequest) return;
  const tags = ['queue'];
  /** The entry `id` when it belongs to `endpoint`. */
  const entryOf = async (endpoint: string, id: string): Promise<QueuedRequestRecord | undefined> => {
    const r = await queuedRequest.call(server, id);
    return r?.endpoint === endpoint ? r : undefined;
  };

  app.get<{ Params: Params; Querystring: { limit?: number } }>(
    `${base}/:endpoint/queue`,
    {
      schema: {
        summary: 'Requests held for a sleeping client: queued, sent and recent finished ones, newest first',
        tags,
        params: params(false),
        querystring: {
          type: 'object',
          properties: {
            limit: { type: 'integer', minimum: 1, maximum: MAX_QUEUE_LIST, default: MAX_QUEUE_LIST },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              endpoint: { type: 'string' },
              items: { type: 'array', items: { $ref: 'QueuedRequest#' } },
            },
          },
        },
      },
    },
    async (req) => {
      const { endpoint } = req.params;
      const items = await queuedRequests.call(server, endpoint, req.query.limit ?? MAX_QUEUE_LIST);
      return { endpoint, items: items.map(queuedRequestToJson) };
    },
  );

  app.get<{ Params: Params }>(
    `${base}/:endpoint/queue/:id`,
    {
      schema: {
        summary: 'One request held for a sleeping client',
        tags,
        params: params(true),
        response: { 200: { $ref: 'QueuedRequest#' }, ...S.errorResponses(404) },
      },
    },
    async (req, res) => {
      const r = await entryOf(req.params.endpoint, req.params.id);
      return r ? queuedRequestToJson(r) : notFound(res, req.params.endpoint, req.params.id);
    },
  );

  app.delete<{ Params: Params }>(
    `${base}/:endpoint/queue/:id`,
    {
      schema: {
        summary: 'Cancel a request still queued for a sleeping client (it will never be sent)',
        tags,
        params: params(true),
        response: {
          204: { type: 'null', description: 'Cancelled.' },
          409: {
            type: 'object',
            properties: {
              error: { type: 'string' },
              message: { type: 'string' },
              status: { type: 'string' },
            },
          },
          ...S.errorResponses(404),
        },
      },
    },
    async (req, res) => {
      const { endpoint, id } = req.params;
      if (!(await entryOf(endpoint, id))) return notFound(res, endpoint, id);
      const outcome = await cancelQueuedRequest.call(server, id);
      if (outcome.cancelled) return res.code(204).send();
      if (outcome.status === undefined) return notFound(res, endpoint, id);
      return res.code(409).send({
        error: 'not queued',
        message: `the request is ${outcome.status}: only a queued request can be cancelled`,
        status: outcome.status,
      });
    },
  );
}
