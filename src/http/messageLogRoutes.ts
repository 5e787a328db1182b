// Issue 16 item 3: the CoAP message log of a client (RFC 7252 section 3 messages, recorded by the
// server's CoapMessageLog while the client is watched) under /api/clients/{endpoint}/messages:
// POST|DELETE .../messages/watch starts (or renews) and ends a watch, GET .../messages lists what
// was recorded, DELETE .../messages clears it. Live entries are the `coapMessage` events of
// GET /api/events. Bounded: messages per client, clients watched at once, watch duration.
import type { FastifyInstance } from 'fastify';
import * as S from './schemas.js';
import type { ServerPort } from './ServerPort.js';

type Params = { endpoint: string };

const params: S.Schema = {
  type: 'object',
  required: ['endpoint'],
  properties: { endpoint: { type: 'string' } },
};

/** One entry of the log (CoapMessageEntry). */
export const coapMessageSchema: S.Schema = {
  type: 'object',
  properties: {
    seq: { type: 'integer', description: 'Order of recording, from 1.' },
    at: { type: 'number', description: 'Wall-clock time, ms since 1970.' },
    direction: { type: 'string', enum: ['in', 'out'], description: 'in: from the client; out: to it.' },
    type: { type: 'string', enum: ['CON', 'NON', 'ACK', 'RST', '?'] },
    code: { type: 'string', examples: ['0.01', '2.05'] },
    codeName: { type: 'string', examples: ['GET', '2.05 Content'] },
    kind: { type: 'string', enum: ['request', 'response', 'empty', 'invalid'] },
    messageId: { type: 'integer' },
    token: { type: 'string', description: 'hex' },
    options: { type: 'string', examples: ['/3/0/0 accept=11543'] },
    payloadBytes: { type: 'integer' },
    rttMs: { type: 'number', description: 'For a response: ms since the request it answers.' },
  },
};

/** Registers the message log routes under `{base}/:endpoint/messages` when the port offers them. */
export function registerMessageLogRoutes(app: FastifyInstance, server: ServerPort, base: string): void {
  const { watchMessages, unwatchMessages, messages, clearMessages } = server;
  if (!watchMessages || !unwatchMessages || !messages || !clearMessages) return;
  const tags = ['messages'];
  const notWatched = (endpoint: string) => ({
    error: 'not watched',
    message: `the messages of "${endpoint.slice(0, 100)}" are not being recorded: POST .../messages/watch first`,
  });

  app.post<{ Params: Params }>(
    `${base}/:endpoint/messages/watch`,
    {
      schema: {
        summary:
          'Record the CoAP messages to and from a registered client (or renew the watch); it ends unless renewed',
        tags,
        params,
        response: {
          200: {
            type: 'object',
            properties: {
              endpoint: { type: 'string' },
              expiresInMs: { type: 'integer' },
              entriesPerEndpoint: { type: 'integer' },
            },
          },
          ...S.errorResponses(404, 409),
        },
      },
    },
    async (req, res) => {
      const { endpoint } = req.params;
      const r = await watchMessages.call(server, endpoint);
      switch (r.status) {
        case 'watching':
          return { endpoint, expiresInMs: r.expiresInMs, entriesPerEndpoint: r.entriesPerEndpoint };
        case 'unknown endpoint':
          return res
            .code(404)
            .send({ error: 'unknown endpoint', message: `no registration for "${endpoint.slice(0, 100)}"` });
        default:
          return res.code(409).send({
            error: 'too many watches',
            message: `the messages of ${r.maxWatched} clients are recorded already, the most allowed: stop one first`,
          });
      }
    },
  );

  app.delete<{ Params: Params }>(
    `${base}/:endpoint/messages/watch`,
    {
      schema: {
        summary: 'Stop recording the CoAP messages of a client and drop those recorded',
        tags,
        params,
        response: { 204: { type: 'null', description: 'Stopped.' }, ...S.errorResponses(404) },
      },
    },
    async (req, res) =>
      unwatchMessages.call(server, req.params.endpoint)
        ? res.code(204).send()
        : res.code(404).send(notWatched(req.params.endpoint)),
  );

  app.get<{ Params: Params }>(
    `${base}/:endpoint/messages`,
    {
      schema: {
        summary: 'The CoAP messages recorded for a watched client, oldest first',
        tags,
        params,
        response: {
          200: {
            type: 'object',
            properties: {
              endpoint: { type: 'string' },
              watched: { type: 'boolean' },
              items: { type: 'array', items: coapMessageSchema },
            },
          },
        },
      },
    },
    async (req) => {
      const items = messages.call(server, req.params.endpoint);
      return { endpoint: req.params.endpoint, watched: items !== undefined, items: items ?? [] };
    },
  );

  app.delete<{ Params: Params }>(
    `${base}/:endpoint/messages`,
    {
      schema: {
        summary: 'Clear the recorded CoAP messages of a watched client (the watch goes on)',
        tags,
        params,
        response: { 204: { type: 'null', description: 'Cleared.' }, ...S.errorResponses(404) },
      },
    },
    async (req, res) =>
      clearMessages.call(server, req.params.endpoint)
        ? res.code(204).send()
        : res.code(404).send(notWatched(req.params.endpoint)),
  );
}
