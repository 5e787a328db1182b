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

/** `?timeout=` seconds as PortSendOptions. */
export function sendOptionsOf(query: CommonQuery | undefined): PortSendOptions {
  const t = query?.timeout;
  return t === undefined ? {} : { timeoutMs: Math.round(t * 1000) };
}

/** The context for `endpoint`, or undefined after replying 404 when it is not registered. */
export async function clientContext(
  server: ServerPort,
  endpoint: string,
  query: CommonQuery | undefined,
  res: FastifyReply,
): Promise<ClientContext | undefined> {
  const registration = await server.getRegistration(endpoint);
  if (registration === undefined) {
    sendReply(res, unknownEndpoint(endpoint));
    return undefined;
  }
  return { registration, models: server.modelsFor(registration), sendOptions: sendOptionsOf(query) };
}
