// LwM2M Core TS 1.1.1 sections 5.4.8 (Read-Composite), 5.4.9 (Write-Composite) and 5.5.2 / 5.5.4
// (Observe-Composite and its cancellation) as REST routes on /api/clients/{endpoint}/composite/...
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BadRequestError } from '../lwm2m/errors.js';
import type { PathNode } from '../lwm2m/Lwm2mNode.js';
import { Lwm2mPath } from '../lwm2m/Lwm2mPath.js';
import { observeComposite, readComposite, writeComposite } from '../lwm2m/requests.js';
import type { CompositeContentResponse } from '../lwm2m/responses.js';
import {
  clientContext,
  sendReply,
  withClientState,
  type ClientContext,
  type CommonQuery,
} from './clientContext.js';
import { formatFromName, formatName } from './formatNames.js';
import { replyFor, type HttpReply } from './lwm2mReply.js';
import { nodeFromJson } from './nodeFromJson.js';
import { pathNodesToJson } from './nodeJson.js';
import * as S from './schemas.js';
import type { ServerPort } from './ServerPort.js';

/** Most paths (or nodes) one composite request may name. */
export const MAX_COMPOSITE_PATHS = 1000;

interface CompositeQuery extends CommonQuery {
  readonly active?: boolean;
}
interface CompositeBody {
  readonly paths?: readonly string[];
  readonly nodes?: Readonly<Record<string, unknown>>;
}
type Req = FastifyRequest<{ Params: { endpoint: string }; Querystring: CompositeQuery; Body: CompositeBody }>;

const pathsBody: S.Schema = {
  type: 'object',
  required: ['paths'],
  properties: {
    paths: {
      type: 'array',
      minItems: 1,
      maxItems: MAX_COMPOSITE_PATHS,
      items: { type: 'string' },
      examples: [['/3/0/0', '/3/0/9']],
    },
  },
};
const nodesBody: S.Schema = {
  type: 'object',
  required: ['nodes'],
  properties: {
    nodes: {
      type: 'object',
      minProperties: 1,
      maxProperties: MAX_COMPOSITE_PATHS,
      description: 'Path → value or node, e.g. {"/3/0/14":"+02","/1/0/3":{"value":60}}',
      additionalProperties: S.writeBodySchema,
    },
  },
};
const params: S.Schema = {
  type: 'object',
  required: ['endpoint'],
  properties: { endpoint: { type: 'string' } },
};
const errors = S.errorResponses(400, 404, 405, 502, 503, 504);

function parsePaths(paths: readonly string[] | undefined): Lwm2mPath[] {
  if (!paths || paths.length === 0)
    throw new BadRequestError('give "paths": a non-empty array of LwM2M paths');
  return paths.map((p) => Lwm2mPath.parse(p));
}

const compositeContent = (res: CompositeContentResponse): Record<string, unknown> => ({
  ...(res.format === undefined ? {} : { format: formatName(res.format) }),
  ...(res.content === undefined ? {} : { content: pathNodesToJson(res.content) }),
});

/** Registers the composite routes on `app` under `/api/clients/:endpoint/composite`. */
export function registerCompositeRoutes(
  app: FastifyInstance,
  server: ServerPort,
  base: string,
  defaultTimeoutMs: number,
): void {
  const on = (
    method: 'POST' | 'DELETE',
    op: string,
    schema: S.Schema,
    handler: (req: Req, ctx: ClientContext) => Promise<HttpReply>,
  ): void => {
    app.route<{ Params: { endpoint: string }; Querystring: CompositeQuery; Body: CompositeBody }>({
      method,
      url: `${base}/:endpoint/composite/${op}`,
      schema: { params, ...schema, tags: ['composite'] },
      handler: async (req: Req, res: FastifyReply) => {
        const ctx = await clientContext(server, req.params.endpoint, req.query, res, defaultTimeoutMs);
        if (ctx) sendReply(res, withClientState(await handler(req, ctx), ctx));
        return res;
      },
    });
  };
  const q = (extra: Record<string, S.Schema> = {}): S.Schema => ({
    type: 'object',
    properties: { timeout: S.timeoutQuery, ...extra },
  });

  on(
    'POST',
    'read',
    {
      summary: 'Read-Composite of several paths',
      querystring: q({ format: S.formatQuery }),
      body: pathsBody,
      response: { 200: S.compositeReplySchema, ...errors },
    },
    async (req, ctx) => {
      const format = formatFromName(req.query.format);
      const request = readComposite(parsePaths(req.body.paths), format === undefined ? {} : { format });
      return replyFor(await server.send(req.params.endpoint, request, ctx.sendOptions), compositeContent);
    },
  );

  on(
    'POST',
    'write',
    {
      summary: 'Write-Composite of resources or resource instances at their paths',
      querystring: q({ format: S.formatQuery }),
      body: nodesBody,
      response: { 200: S.codeReplySchema, ...errors },
    },
    async (req, ctx) => {
      const format = formatFromName(req.query.format);
      const entries = Object.entries(req.body.nodes ?? {});
      if (entries.length === 0) throw new BadRequestError('give "nodes": an object of path → value');
      const nodes: PathNode[] = entries.map(([p, body]) => {
        const path = Lwm2mPath.parse(p);
        if (path.length < 3)
          throw new BadRequestError(`${path}: Write-Composite writes resources or resource instances`);
        return { path, node: nodeFromJson(path, body, ctx.models) };
      });
      const request = writeComposite(nodes, format === undefined ? {} : { format });
      return replyFor(await server.send(req.params.endpoint, request, ctx.sendOptions), () => ({}));
    },
  );

  on(
    'POST',
    'observe',
    {
      summary: 'Observe-Composite of several paths (answers the first values)',
      querystring: q({ format: S.formatQuery }),
      body: pathsBody,
      response: { 200: S.compositeReplySchema, ...errors },
    },
    async (req, ctx) => {
      const format = formatFromName(req.query.format);
      const request = observeComposite(parsePaths(req.body.paths), format === undefined ? {} : { format });
      const started = await server.startObservation(req.params.endpoint, request, ctx.sendOptions);
      return replyFor(started.response as CompositeContentResponse, (r) => ({
        ...(started.id === undefined ? {} : { observationId: started.id }),
        ...compositeContent(r),
      }));
    },
  );

  on(
    'DELETE',
    'observe',
    {
      summary: 'Cancel the composite observation of exactly these paths (passive unless ?active=true)',
      querystring: q({ active: { type: 'boolean', default: false } }),
      body: pathsBody,
      response: { 200: { type: 'object', properties: { cancelled: { type: 'integer' } } }, ...errors },
    },
    async (req) => {
      const paths = parsePaths(req.body.paths);
      const cancelled = await server.cancelObservation(
        req.params.endpoint,
        { kind: 'composite', paths },
        { active: req.query.active === true },
      );
      return cancelled === 0
        ? {
            status: 404,
            body: { error: 'no observation', message: `no composite observation of ${paths.join(',')}` },
          }
        : { status: 200, body: { cancelled } };
    },
  );
}
