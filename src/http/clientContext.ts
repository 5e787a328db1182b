// LwM2M Core TS 1.1.1 section 6.2 (a request needs a registered client): the per-request context of
// the /api/clients/{endpoint}/... routes: the registration, its object models, the deadline.
import type { FastifyReply } from 'fastify';
import type { Registration } from '../lwm2m/Registration.js';
import type { ModelLookup } from '../model/ObjectModel.js';
import type { HttpReply } from './lwm2mReply.js';
import type { PortSendOptions, ServerPort } from './ServerPort.js';

/** The registered client a route addresses. */
export interface ClientContext {
  readonly registration: Registration;
  readonly models: ModelLookup;
  readonly sendOptions: PortSendOptions;
  /** The client was a sleeping Queue Mode client when the request came: it waits in the queue. */
  readonly sleeping: boolean;
}

/** Query fields every client route may carry. */
export interface CommonQuery {
  readonly format?: string;
  readonly timeout?: number;
}

/** Writes `reply` (status and JSON body). */
export function sendReply(res: FastifyReply, reply: HttpReply): FastifyReply {
  return res.code(reply.status).send(reply.body);
}

/** The 404 of an endpoint with no registration. */
export function unknownEndpoint(endpoint: string): HttpReply {
  return {
    status: 404,
    body: { error: 'unknown endpoint', message: `no client is registered as "${endpoint.slice(0, 100)}"` },
  };
}

/** `?timeout=` seconds as PortSendOptions, `defaultTimeoutMs` when absent (issue 12 item 8: a person waits). */
export function sendOptionsOf(query: CommonQuery | undefined, defaultTimeoutMs: number): PortSendOptions {
  const t = query?.timeout;
  return { timeoutMs: t === undefined ? defaultTimeoutMs : Math.max(1, Math.round(t * 1000)) };
}

/**
 * `reply` as sent for a client that was asleep (Queue Mode, Transport TS 1.1.1 section 6.5): a failure says so (`clientState: "sleeping"`), so
 * a caller can tell "the device did not answer" from "the device did not wake up in time".
 */
export function withClientState(reply: HttpReply, ctx: ClientContext): HttpReply {
  if (!ctx.sleeping || reply.status < 500) return reply;
  const message = typeof reply.body['message'] === 'string' ? reply.body['message'] : '';
  return {
    status: reply.status,
    body: {
      ...reply.body,
      clientState: 'sleeping',
      message: `${message} (the client was asleep in Queue Mode: the request waited in its queue)`,
    },
  };
}

/** The context for `endpoint`, or undefined after replying 404 when it is not registered. */
export async function clientContext(
  server: ServerPort,
  endpoint: string,
  query: CommonQuery | undefined,
  res: FastifyReply,
  defaultTimeoutMs: number,
): Promise<ClientContext | undefined> {
  const registration = await server.getRegistration(endpoint);
  if (registration === undefined) {
    sendReply(res, unknownEndpoint(endpoint));
    return undefined;
  }
  return {
    registration,
    models: server.modelsFor(registration),
    sendOptions: sendOptionsOf(query, defaultTimeoutMs),
    sleeping: server.isAwake?.(registration) === false,
  };
}
