// LwM2M Core TS 1.1.1 sections 5.4 (Read, Discover, Write, Write-Attributes, Execute, Create,
// Delete) and 5.5 (Observe, Cancel Observation) as REST routes on /api/clients/{endpoint}/{o}[/{i}[/{r}[/{ri}]]].
// Each handler validates locally (400 with a message), sends one request through the port and maps the answer.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BadRequestError } from '../lwm2m/errors.js';
import { NO_INSTANCE_ID, type ObjectInstanceNode } from '../lwm2m/Lwm2mNode.js';
import { Lwm2mPath } from '../lwm2m/Lwm2mPath.js';
import { create, del, discover, execute, observe, read, write, writeAttributes } from '../lwm2m/requests.js';
import { parseAttributes, validateWriteAttributes } from '../lwm2m/attributes.js';
import type { ContentResponse, DiscoverResponse } from '../lwm2m/responses.js';
import type { ModelLookup } from '../model/ObjectModel.js';
import {
  clientContext,
  sendReply,
  withClientState,
  type ClientContext,
  type CommonQuery,
} from './clientContext.js';
import { formatFromName, formatName } from './formatNames.js';
import { queuedReplySchema, runQueueable, waitQuery } from './queueableReply.js';
import { replyFor } from './lwm2mReply.js';
import { instanceFromJson, nodeFromJson } from './nodeFromJson.js';
import { nodeToJson } from './nodeJson.js';
import * as S from './schemas.js';
import type { ServerPort } from './ServerPort.js';

type Params = Record<string, string>;
interface NodeQuery extends CommonQuery {
  readonly wait?: boolean;
  readonly replace?: boolean;
  readonly depth?: number;
  readonly active?: boolean;
}
type Req = FastifyRequest<{ Params: Params; Querystring: NodeQuery; Body: unknown }>;
type Handler = (req: Req, ctx: ClientContext, path: Lwm2mPath) => Promise<ReturnType<typeof replyFor>>;

const ID_NAMES = ['o', 'i', 'r', 'ri'] as const;
const LEVEL = ['an object', 'an object instance', 'a resource', 'a resource instance'];
const idParam = { type: 'string', description: 'LwM2M id, 0..65534' };
const PARAMS = [1, 2, 3, 4].map((depth) => {
  const ids = ID_NAMES.slice(0, depth);
  return {
    type: 'object',
    required: ['endpoint', ...ids],
    properties: { endpoint: { type: 'string' }, ...Object.fromEntries(ids.map((n) => [n, idParam])) },
  };
});

/** The LwM2M path of the route params; throws InvalidPathError (400) for ids that are not 0..65534. */
function pathOf(params: Params, depth: number): Lwm2mPath {
  return Lwm2mPath.parse(
    ID_NAMES.slice(0, depth)
      .map((n) => params[n] ?? '')
      .join('/'),
  );
}

/** The raw `name[=value]` items of the query string, minus `timeout` (for Write-Attributes). */
function attributeItems(url: string): string[] {
  const q = url.indexOf('?');
  if (q < 0) return [];
  const items = url
    .slice(q + 1)
    .split('&')
    .filter((s) => s !== '');
  try {
    return items
      .map((s) => decodeURIComponent(s.replace(/\+/g, ' ')))
      .filter((s) => !/^(?:timeout|wait)(=|$)/.test(s));
  } catch {
    throw new BadRequestError('the query string is not valid percent-encoding');
  }
}

function createInstances(
  body: unknown,
  objectId: number,
  models: ModelLookup,
  where: string,
): ObjectInstanceNode[] {
  const list: unknown[] = Array.isArray(body)
    ? body
    : typeof body === 'object' && body !== null && 'instances' in body && !('resources' in body)
      ? ((body as { instances: unknown }).instances as unknown[])
      : [body];
  if (!Array.isArray(list) || list.length === 0)
    throw new BadRequestError(`${where}: give at least one instance`);
  return list.map((b) => instanceFromJson(b, objectId, models, where, NO_INSTANCE_ID));
}

function executeArguments(body: unknown): string | undefined {
  if (body === undefined || body === null || body === '') return undefined;
  if (typeof body === 'string') return body;
  if (typeof body === 'object' && !Array.isArray(body)) {
    const args = (body as { arguments?: unknown }).arguments;
    if (args === undefined || typeof args === 'string') return args;
  }
  throw new BadRequestError('execute takes a text/plain body or {"arguments": "0=\'a\',1"}');
}

const content = (res: ContentResponse): Record<string, unknown> => ({
  ...(res.format === undefined ? {} : { format: formatName(res.format) }),
  ...(res.content === undefined ? {} : { content: nodeToJson(res.content) }),
});

const discovered = (res: DiscoverResponse): Record<string, unknown> => ({
  links: (res.links ?? []).map((l) => ({
    path: l.path.toString(),
    attributes: l.attributes,
    ...(l.otherParams.length === 0
      ? {}
      : { params: l.otherParams.map((p) => ({ name: p.name, value: p.value })) }),
  })),
});

/** Registers every single-path route on `app` under `/api/clients/:endpoint`. */
export function registerNodeRoutes(
  app: FastifyInstance,
  server: ServerPort,
  base: string,
  defaultTimeoutMs: number,
): void {
  const on = (
    method: 'GET' | 'PUT' | 'POST' | 'DELETE',
    suffix: string,
    schema: (depth: number) => S.Schema,
    handler: Handler,
  ): void => {
    for (let depth = 1; depth <= 4; depth++) {
      const ids = ID_NAMES.slice(0, depth);
      const url = `${base}/:endpoint/${ids.map((n) => `:${n}`).join('/')}${suffix}`;
      const params = PARAMS[depth - 1];
      app.route<{ Params: Params; Querystring: NodeQuery; Body: unknown }>({
        method,
        url,
        // Execute arguments may come as text/plain (apiGuard.ts refuses it elsewhere).
        config: { textBody: method === 'POST' && suffix === '' && depth === 3 },
        schema: { params, ...schema(depth), tags: [suffix === '' ? 'operations' : suffix.slice(1)] },
        handler: async (req: Req, res: FastifyReply) => {
          const path = pathOf(req.params, depth);
          const ctx = await clientContext(
            server,
            req.params['endpoint'] ?? '',
            req.query,
            res,
            defaultTimeoutMs,
          );
          if (!ctx) return res;
          const endpoint = req.params['endpoint'] ?? '';
          const reply = await runQueueable(
            ctx,
            { wait: req.query.wait !== false, timeoutGiven: req.query.timeout !== undefined },
            (c) => handler(req, c, path),
            (id) => `${base}/${encodeURIComponent(endpoint)}/queue/${encodeURIComponent(id)}`,
          );
          if (reply.location !== undefined) res.header('location', reply.location);
          sendReply(res, withClientState(reply, ctx));
          return res;
        },
      });
    }
  };
  // Shared schema objects: ajv compiles each distinct object once (about 70 routes share a dozen).
  const queries = new Map<string, S.Schema>();
  const q = (extra: Record<string, S.Schema> = {}): S.Schema => {
    const key = JSON.stringify(extra);
    let schema = queries.get(key);
    if (!schema)
      queries.set(
        key,
        (schema = { type: 'object', properties: { timeout: S.timeoutQuery, wait: waitQuery, ...extra } }),
      );
    return schema;
  };
  const errors = { 202: queuedReplySchema, ...S.errorResponses(400, 404, 405, 502, 503, 504) };
  const send = server.send.bind(server);
  const ep = (req: Req): string => req.params['endpoint'] ?? '';

  on(
    'GET',
    '',
    (d) => ({
      summary: `Read ${LEVEL[d - 1]}`,
      querystring: q({ format: S.formatQuery }),
      response: { 200: S.contentReplySchema, ...errors },
    }),
    async (req, ctx, path) => {
      const format = formatFromName(req.query.format);
      const res = await send(ep(req), read(path, format === undefined ? {} : { format }), ctx.sendOptions);
      return replyFor(res, content);
    },
  );

  on(
    'PUT',
    '',
    (d) => ({
      summary: `Write ${LEVEL[d - 1]} (replace, or partial update with ?replace=false)`,
      querystring: q({ format: S.formatQuery, replace: { type: 'boolean', default: true } }),
      body: S.writeBodySchema,
      response: { 200: S.codeReplySchema, ...errors },
    }),
    async (req, ctx, path) => {
      const format = formatFromName(req.query.format);
      const node = nodeFromJson(path, req.body, ctx.models);
      const mode = req.query.replace === false ? 'update' : 'replace';
      const res = await send(
        ep(req),
        write(path, node, { mode, ...(format === undefined ? {} : { format }) }),
        ctx.sendOptions,
      );
      return replyFor(res, () => ({}));
    },
  );

  on(
    'POST',
    '',
    (d) => ({
      summary:
        d === 1 ? 'Create object instances' : d === 3 ? 'Execute a resource' : 'Not an operation here (400)',
      querystring: q(d === 1 ? { format: S.formatQuery } : {}),
      body:
        d === 1
          ? S.writeBodySchema
          : {
              type: ['object', 'string'],
              description: 'Execute arguments: text/plain, or {"arguments":"..."}',
            },
      response: { [d === 1 ? 201 : 200]: S.codeReplySchema, ...errors },
    }),
    async (req, ctx, path) => {
      if (path.isResource()) {
        const res = await send(ep(req), execute(path, executeArguments(req.body)), ctx.sendOptions);
        return replyFor(res, () => ({}));
      }
      if (!path.isObject())
        throw new BadRequestError(`POST creates on an object or executes a resource, not on ${path}`);
      const format = formatFromName(req.query.format);
      const instances = createInstances(req.body, path.objectId ?? 0, ctx.models, path.toString());
      const res = await send(
        ep(req),
        create(path, instances, format === undefined ? {} : { format }),
        ctx.sendOptions,
      );
      return replyFor(res, (r) => (r.location === undefined ? {} : { location: r.location.toString() }), 201);
    },
  );

  on(
    'DELETE',
    '',
    (d) => ({
      summary: `Delete ${LEVEL[d - 1]}`,
      querystring: q(),
      response: { 200: S.codeReplySchema, ...errors },
    }),
    async (req, ctx, path) => replyFor(await send(ep(req), del(path), ctx.sendOptions), () => ({})),
  );

  on(
    'GET',
    '/discover',
    () => ({
      summary: 'Discover attributes and structure',
      querystring: q({ depth: { type: 'integer', minimum: 0, maximum: 3, description: 'LwM2M 1.2 depth' } }),
      response: {
        200: { type: 'object', properties: { code: { type: 'string' }, links: { type: 'array' } } },
        ...errors,
      },
    }),
    async (req, ctx, path) => {
      const depth = req.query.depth;
      return replyFor(
        await send(ep(req), discover(path, depth === undefined ? {} : { depth }), ctx.sendOptions),
        discovered,
      );
    },
  );

  on(
    'PUT',
    '/attributes',
    () => ({
      summary: 'Write-Attributes from the query, e.g. ?pmin=10&pmax=60 (a bare ?pmin removes it)',
      querystring: q(
        Object.fromEntries(
          ['pmin', 'pmax', 'gt', 'lt', 'st', 'epmin', 'epmax', 'edge', 'con', 'hqmax'].map((n) => [
            n,
            { type: 'string' },
          ]),
        ),
      ),
      response: { 200: S.codeReplySchema, ...errors },
    }),
    async (req, ctx, path) => {
      const attributes = parseAttributes(attributeItems(req.url));
      if (Object.keys(attributes).length === 0)
        throw new BadRequestError('give at least one attribute, e.g. ?pmin=10');
      const { objectId, resourceId } = path;
      const model =
        objectId === undefined || resourceId === undefined
          ? undefined
          : ctx.models.getObject(objectId)?.resources.get(resourceId);
      validateWriteAttributes(attributes, path, model);
      return replyFor(await send(ep(req), writeAttributes(path, attributes), ctx.sendOptions), () => ({}));
    },
  );

  on(
    'POST',
    '/observe',
    () => ({
      summary: 'Start observing (answers the first value)',
      querystring: q({ format: S.formatQuery }),
      response: { 200: S.contentReplySchema, ...errors },
    }),
    async (req, ctx, path) => {
      const format = formatFromName(req.query.format);
      const started = await server.startObservation(
        ep(req),
        observe(path, format === undefined ? {} : { format }),
        ctx.sendOptions,
      );
      return replyFor(started.response as ContentResponse, (r) => ({
        ...(started.id === undefined ? {} : { observationId: started.id }),
        ...content(r),
      }));
    },
  );

  on(
    'DELETE',
    '/observe',
    () => ({
      summary: 'Cancel the observation of this path (passive unless ?active=true)',
      querystring: q({ active: { type: 'boolean', default: false } }),
      response: { 200: { type: 'object', properties: { cancelled: { type: 'integer' } } }, ...errors },
    }),
    async (req, _ctx, path) => {
      const cancelled = await server.cancelObservation(
        ep(req),
        { kind: 'single', paths: [path] },
        { active: req.query.active === true },
      );
      return cancelled === 0
        ? { status: 404, body: { error: 'no observation', message: `no observation of ${path}` } }
        : { status: 200, body: { cancelled } };
    },
  );
}
