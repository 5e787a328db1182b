// LwM2M Core TS 1.1.1 section 6.4 (Information Reporting): GET /api/clients/{endpoint}/observations
// lists the observations the server holds on a client, those started in this run and those a
// previous run stored (`restored`; issue 14), so that an operator finds, and cancels with DELETE
// .../observe, an observation whose handle died with the old process. Bounded by the server's
// maxObservationsPerClient.
import type { FastifyInstance } from 'fastify';
import { sendReply, unknownEndpoint } from './clientContext.js';
import { formatName } from './formatNames.js';
import * as S from './schemas.js';
import type { ObservationInfo, ServerPort } from './ServerPort.js';

/** `o` as JSON. */
export function observationToJson(o: ObservationInfo): Record<string, unknown> {
  return {
    id: o.id,
    kind: o.kind,
    paths: o.paths.map(String),
    ...(o.contentFormat === undefined ? {} : { format: formatName(o.contentFormat) }),
    createdAt: new Date(o.createdAt).toISOString(),
    restored: o.restored,
  };
}

/** Registers GET `{base}/:endpoint/observations` when the port can list observations. */
export function registerObservationRoutes(app: FastifyInstance, server: ServerPort, base: string): void {
  const { listObservations } = server;
  if (!listObservations) return;
  app.get<{ Params: { endpoint: string } }>(
    `${base}/:endpoint/observations`,
    {
      schema: {
        summary: 'The observations the server holds on a client (incl. those restored after a restart)',
        tags: ['clients'],
        params: { type: 'object', required: ['endpoint'], properties: { endpoint: { type: 'string' } } },
        response: {
          200: {
            type: 'object',
            properties: {
              endpoint: { type: 'string' },
              items: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['id', 'kind', 'paths', 'createdAt', 'restored'],
                  properties: {
                    id: { type: 'string', description: 'The observationId of notification events.' },
                    kind: { type: 'string', enum: ['single', 'composite'] },
                    paths: { type: 'array', items: { type: 'string' } },
                    format: { type: 'string' },
                    createdAt: { type: 'string', format: 'date-time' },
                    restored: {
                      type: 'boolean',
                      description:
                        'Started before the server restarted: its notifications still arrive; DELETE .../observe cancels it passively (the next notification gets RST).',
                    },
                  },
                },
              },
            },
          },
          ...S.errorResponses(404),
        },
      },
    },
    async (req, reply) => {
      const { endpoint } = req.params;
      const list = await listObservations.call(server, endpoint);
      if (list === undefined) return sendReply(reply, unknownEndpoint(endpoint));
      return { endpoint, items: list.map(observationToJson) };
    },
  );
}
