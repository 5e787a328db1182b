// W3C HTML Living Standard section 9.2 (Server-Sent Events): GET /api/events streams the server's
// events as `text/event-stream` (`id:`, `event: <type>`, `data: <json>`), with keep-alive comments.
// Every stream shares one EventFanout: one subscription, one frame per event, bounded buffers.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerResponse } from 'node:http';
import { BadRequestError } from '../lwm2m/errors.js';
import { eventToJson } from './eventToJson.js';
import { EventFanout, type EventStreamStats, type EventSubscriber } from './EventFanout.js';
import * as S from './schemas.js';
import { SERVER_EVENT_TYPES, type ServerEvent, type ServerPort } from './ServerPort.js';

/** Settings of the event stream. */
export interface EventStreamOptions {
  /** Interval of `: keep-alive` comments, ms. Default 15 000 (proxies drop idle streams after 30-60 s). */
  readonly keepAliveMs?: number;
  /** Unsent bytes a connection may hold before it is dropped. Default 1 MiB. */
  readonly maxBufferedBytes?: number;
  /** Reconnection delay sent to browsers with `retry:`, ms. Default 2 000. */
  readonly retryMs?: number;
}

interface EventsQuery {
  readonly endpoint?: string;
  readonly types?: string;
}

function parseTypes(types: string | undefined): ReadonlySet<string> | undefined {
  if (types === undefined || types === '') return undefined;
  const list = types.split(',');
  for (const t of list) {
    if (!(SERVER_EVENT_TYPES as readonly string[]).includes(t))
      throw new BadRequestError(
        `unknown event type "${t.slice(0, 40)}"; use ${SERVER_EVENT_TYPES.join(', ')}`,
      );
  }
  return new Set(list);
}

/**
 * Registers GET `url` as the event stream; open streams end when the app closes. Returns the
 * streams' counters.
 */
export function registerEventRoutes(
  app: FastifyInstance,
  server: ServerPort,
  url: string,
  options: EventStreamOptions = {},
): EventStreamStats {
  const keepAliveMs = options.keepAliveMs ?? 15_000;
  const maxBuffered = options.maxBufferedBytes ?? 1 << 20;
  const retryMs = options.retryMs ?? 2_000;
  const open = new Set<ServerResponse>();
  const fanout = new EventFanout(
    server,
    (event) => JSON.stringify(eventToJson(event, server.now?.() ?? Date.now(), Date.now())),
    maxBuffered,
    (buffered) => app.log.warn({ buffered, dropped: fanout.dropped }, 'dropping a slow event-stream reader'),
  );
  app.addHook('preClose', (done) => {
    fanout.flush();
    for (const raw of open) raw.end();
    done();
  });

  app.get<{ Querystring: EventsQuery }>(
    url,
    {
      exposeHeadRoute: false,
      schema: {
        summary:
          'Server-Sent Events: registered, updated, deregistered, expired, sleeping, awake, notification, send, queuedRequestDone, coapMessage (watched clients only)',
        tags: ['events'],
        querystring: {
          type: 'object',
          properties: {
            endpoint: { type: 'string', description: 'Only events of this endpoint.' },
            types: {
              type: 'string',
              description: `Comma-separated event types (${SERVER_EVENT_TYPES.join(',')}).`,
            },
          },
        },
        response: {
          200: {
            description:
              'A stream of `id: <n>`, `event: <type>` and `data: <JSON with endpoint>` frames, with `: keep-alive` comments',
            content: { 'text/event-stream': { schema: { type: 'string' } } },
          },
          ...S.errorResponses(400),
        },
      },
    },
    (req: FastifyRequest<{ Querystring: EventsQuery }>, reply: FastifyReply) => {
      const types = parseTypes(req.query.types);
      const endpoint = req.query.endpoint;
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      raw.write(`retry: ${retryMs}\n: connected\n\n`);
      open.add(raw);
      const stream: EventSubscriber = {
        wants: (event: ServerEvent) =>
          (endpoint === undefined || event.endpoint === endpoint) &&
          (types === undefined || types.has(event.type)),
        buffered: () => raw.writableLength,
        write: (chunk) => {
          if (!raw.destroyed && !raw.writableEnded) raw.write(chunk);
        },
        drop: () => raw.destroy(),
      };
      fanout.add(stream);
      const timer = setInterval(() => fanout.write(stream, ': keep-alive\n\n'), keepAliveMs);
      timer.unref();
      raw.once('close', () => {
        fanout.remove(stream);
        clearInterval(timer);
        open.delete(raw);
      });
    },
  );
  return fanout;
}
