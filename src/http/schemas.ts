// OpenAPI 3 / JSON Schema (draft 7, as fastify validates) descriptions of the REST API's inputs and
// outputs. Responses are serialized with JSON.stringify, so response schemas document and never filter.
import { FORMAT_NAMES } from './formatNames.js';

/** A JSON schema object. */
export type Schema = Record<string, unknown>;

/** `?format=`: the names of formatNames.ts. */
export const formatQuery: Schema = {
  type: 'string',
  enum: Object.keys(FORMAT_NAMES),
  description: 'Content format asked of (or used towards) the client; the server chooses when absent.',
};

/** `?timeout=`: seconds. */
export const timeoutQuery: Schema = {
  type: 'number',
  exclusiveMinimum: 0,
  maximum: 3600,
  description:
    "Overall deadline in seconds (fractions allowed), including time queued for a sleeping client. Default: the server's.",
};

/** The error body of every 4xx/5xx. */
export const errorSchema: Schema = {
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
      description: "What went wrong (the client's diagnostic payload when it sent one).",
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
  properties: { path: { type: 'string', examples: ['/3/0/1'] }, node: nodeSchema },
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
    content: nodeSchema,
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
  type: 'object',
  required: ['endpoint'],
  properties: {
    endpoint: { type: 'string' },
    registrationId: { type: 'string' },
    lwm2mVersion: { type: 'string' },
    lifetime: { type: 'integer' },
    binding: { type: 'string' },
    queueMode: { type: 'boolean' },
    smsNumber: { type: 'string' },
    address: { type: 'string' },
    port: { type: 'integer' },
    identity: { type: 'object' },
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

/** Standard error responses, to spread into a route's `response`. */
export function errorResponses(...statuses: number[]): Record<string, Schema> {
  return Object.fromEntries(statuses.map((s) => [String(s), errorSchema]));
}
