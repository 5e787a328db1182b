// OpenAPI 3.1 / JSON Schema (draft 7, as fastify validates) descriptions of the REST API's inputs and
// outputs. Responses are serialized with JSON.stringify, so response schemas document and never filter.
// Schemas with an `$id` are shared: added once to the app (addSharedSchemas), referenced as
// `{ $ref: 'Name#' }`, and listed under components/schemas of the OpenAPI document.
import type { FastifyInstance } from 'fastify';
import { FORMAT_NAMES } from './formatNames.js';

/** A JSON schema object. */
export type Schema = Record<string, unknown>;

/** `?format=`: the names of formatNames.ts. */
export const formatQuery: Schema = {
  type: 'string',
  enum: Object.keys(FORMAT_NAMES),
  description: 'Content format asked of (or used towards) the client; the server chooses when absent.',
};

/** Largest `?timeout=`, seconds. */
export const MAX_TIMEOUT_S = 300;

/** `?timeout=`: seconds. */
export const timeoutQuery: Schema = {
  type: 'number',
  minimum: 0.001,
  maximum: MAX_TIMEOUT_S,
  description: `Overall deadline in seconds (0.001 to ${MAX_TIMEOUT_S}, fractions allowed), including time queued for a sleeping Queue Mode client. Default 10.`,
};

/** The error body of every 4xx/5xx. */
export const errorSchema: Schema = {
  $id: 'Error',
  type: 'object',
  required: ['error', 'message'],
  properties: {
    error: {
      type: 'string',
      description: 'Short reason, e.g. "unknown endpoint", "lwm2m error", "timeout".',
    },
    coapCode: {
      type: 'string',
      description: 'CoAP response code of the client, e.g. "4.04" (absent for local errors).',
    },
    message: {
      type: 'string',
      description:
        "What went wrong, naming the field and the rule for a bad request (the client's diagnostic payload when it sent one).",
    },
    outcome: {
      type: 'string',
      enum: ['unknown'],
      description: 'On 504: the request may or may not have been carried out by the device.',
    },
    clientState: {
      type: 'string',
      enum: ['sleeping'],
      description: 'The client was asleep (Queue Mode) when the request was made: it waited in its queue.',
    },
  },
};

const valueSchema: Schema = {
  description:
    'Integer: number, or decimal string beyond 2^53. Opaque: base64. Time: ISO 8601 UTC (seconds accepted on input). Objlnk: "3:0".',
  type: ['string', 'number', 'boolean'],
};
const typeSchema: Schema = {
  type: 'string',
  enum: ['string', 'integer', 'unsignedInteger', 'float', 'boolean', 'opaque', 'time', 'objlnk', 'corelnk'],
};

/** An LwM2M node as JSON (nodeJson.ts); nested nodes have the same shape. */
export const nodeSchema: Schema = {
  $id: 'Node',
  type: 'object',
  description:
    'An LwM2M node: object {instances}, instance {resources}, resource {type,value}, multipleResource {type,instances}, resourceInstance {type,value}.',
  properties: {
    kind: {
      type: 'string',
      enum: ['object', 'instance', 'resource', 'multipleResource', 'resourceInstance'],
    },
    id: { type: 'integer', minimum: 0, maximum: 65534 },
    type: typeSchema,
    value: valueSchema,
    resources: { type: 'array', items: { type: 'object' } },
    instances: { type: 'array', items: { type: 'object' } },
  },
};

/** A node at its path. */
export const pathNodeSchema: Schema = {
  type: 'object',
  properties: { path: { type: 'string', examples: ['/3/0/1'] }, node: { $ref: 'Node#' } },
};

/** A write body: a node (kind and id optional, taken from the path), or a bare value on a resource. */
export const writeBodySchema: Schema = {
  description:
    'The node to write, e.g. {"id":14,"value":"+02"} on /3/0/14 or {"resources":[{"id":14,"value":"+02"}]} on /3/0; "type" is optional when the object model knows the resource; a bare JSON value is accepted on a resource.',
  type: ['object', 'array', 'string', 'number', 'boolean'],
};

/** The success body of a read or observe. */
export const contentReplySchema: Schema = {
  type: 'object',
  properties: {
    code: { type: 'string', examples: ['2.05'] },
    format: { type: 'string', description: 'Content format the client answered in.' },
    observationId: { type: 'string', description: 'Observe only: the id of the new observation.' },
    content: { $ref: 'Node#' },
  },
};

/** The success body of a composite read or observe. */
export const compositeReplySchema: Schema = {
  type: 'object',
  properties: {
    code: { type: 'string', examples: ['2.05'] },
    format: { type: 'string' },
    observationId: { type: 'string' },
    content: { type: 'array', items: pathNodeSchema },
  },
};

/** The success body of write, execute, delete, write-attributes. */
export const codeReplySchema: Schema = {
  type: 'object',
  properties: { code: { type: 'string', examples: ['2.04'] } },
};

/** A registration (registrationJson.ts). */
export const registrationSchema: Schema = {
  $id: 'Registration',
  type: 'object',
  required: ['endpoint'],
  properties: {
    endpoint: { type: 'string' },
    registrationId: { type: 'string' },
    lwm2mVersion: { type: 'string' },
    lifetime: { type: 'integer' },
    binding: { type: 'string' },
    queueMode: { type: 'boolean' },
    sleeping: {
      type: 'boolean',
      description: 'In GET /clients pages, for Queue Mode clients: asleep now (requests wait in its queue).',
    },
    smsNumber: { type: 'string' },
    address: { type: 'string' },
    port: { type: 'integer' },
    identity: {
      type: 'object',
      description:
        'What the DTLS handshake authenticated: {kind:"psk",identity}, {kind:"rpk",publicKey} (hex DER SubjectPublicKeyInfo, as /api/security answers it) or {kind:"x509",subject,commonName?,subjectAltNames?}.',
      required: ['kind'],
      properties: {
        kind: { type: 'string', enum: ['psk', 'rpk', 'x509'] },
        identity: { type: 'string' },
        publicKey: { type: 'string', description: 'Hex DER SubjectPublicKeyInfo.' },
        subject: { type: 'string' },
        commonName: { type: 'string' },
        subjectAltNames: { type: 'array', items: { type: 'string' } },
      },
    },
    rootPath: { type: 'string' },
    objects: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'integer' },
          version: { type: 'string' },
          instances: { type: 'array', items: { type: 'integer' } },
        },
      },
    },
    contentFormats: { type: 'array', items: { type: 'string' } },
    registeredAt: { type: 'string', format: 'date-time' },
    lastUpdate: { type: 'string', format: 'date-time' },
    expiresAt: { type: ['string', 'null'], format: 'date-time' },
    additionalAttributes: { type: 'object', additionalProperties: { type: 'string' } },
  },
};

/** One page of GET /clients (clientList.ts). */
export const clientPageSchema: Schema = {
  $id: 'ClientPage',
  type: 'object',
  required: ['items', 'total'],
  properties: {
    items: { type: 'array', items: { $ref: 'Registration#' } },
    total: { type: 'integer', description: 'Clients matching the filter, on every page.' },
    next: { type: 'string', description: 'Cursor of the next page (?cursor=); absent on the last page.' },
  },
};

const SHARED: readonly Schema[] = [errorSchema, nodeSchema, registrationSchema, clientPageSchema];

/** Adds the shared schemas to `app` (once per app). */
export function addSharedSchemas(app: FastifyInstance): void {
  for (const schema of SHARED)
    if (app.getSchema(schema['$id'] as string) === undefined) app.addSchema(schema);
}

/** Standard error responses, to spread into a route's `response`. */
export function errorResponses(...statuses: number[]): Record<string, Schema> {
  return Object.fromEntries(statuses.map((s) => [String(s), { $ref: 'Error#' }]));
}
