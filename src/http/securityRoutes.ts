// Issue 13 item 4: the credentials a server or bootstrap server accepts (Transport TS 1.1.1 section
// 5.2), read and written over REST: GET {url} (a page, sorted by endpoint), GET|PUT|DELETE
// {url}/{endpoint}, and POST {url} to store many (securityImport.ts). The body of a PUT is the
// strict JSON form of lwm2m/securityInfoJson.ts; answers are the read form of securityJson.ts,
// which never holds a key. The endpoint of the path is the one written: a body may repeat it
// ("endpoint") but must then name the same one.
import type { FastifyInstance, FastifyReply } from 'fastify';
import {
  InvalidSecurityInfoError,
  MAX_SECURITY_ENDPOINT_LENGTH,
  validateSecurityEndpoint,
  type SecurityInfo,
} from '../lwm2m/SecurityInfo.js';
import { parseSecurityInfoJson } from '../lwm2m/securityInfoJson.js';
import { SecurityConflictError, type SecurityStore } from '../store/SecurityStore.js';
import { errorResponses, type Schema } from './schemas.js';
import { addSecuritySchemas, securityInfoView } from './securityJson.js';
import {
  importSecurityInfos,
  MAX_SECURITY_IMPORT,
  parseSecurityImport,
  SecurityImportConflictError,
} from './securityImport.js';
import { securityPage, type SecurityPageQuery } from './securityPage.js';
import { parseSecurityCsv } from './securityCsv.js';
import { securityExportStream, type SecurityExportFormat } from './securityExport.js';
import { csvImportBody, jsonImportRows, previewSecurityImport } from './securityImportPreview.js';

/** Most credentials on one page; default 100. */
export const MAX_SECURITY_PAGE_LIMIT = 1000;

/** How the routes present themselves in the OpenAPI document. */
export interface SecurityRoutesInfo {
  /** OpenAPI tag of the routes. */
  readonly tag: string;
  /** Whose credentials these are, for summaries: "the server", "the Bootstrap-Server". */
  readonly owner: string;
}

type EndpointRequest = { Params: { endpoint: string } };

const endpointParams: Schema = {
  type: 'object',
  required: ['endpoint'],
  properties: { endpoint: { type: 'string', minLength: 1, maxLength: MAX_SECURITY_ENDPOINT_LENGTH } },
};
const listQuery: Schema = {
  type: 'object',
  properties: {
    limit: {
      type: 'integer',
      minimum: 1,
      maximum: MAX_SECURITY_PAGE_LIMIT,
      default: 100,
      description: 'Endpoints per page.',
    },
    cursor: { type: 'string', maxLength: 4096, description: 'The `next` of the previous page.' },
    endpointPrefix: {
      type: 'string',
      maxLength: MAX_SECURITY_ENDPOINT_LENGTH,
      description: 'Only endpoints starting with this text.',
    },
    kind: { type: 'string', enum: ['psk', 'rpk', 'x509'], description: 'Only this security mode.' },
    export: {
      type: 'string',
      enum: ['csv', 'json'],
      description:
        'Download every credential the filters match (limit and cursor ignored), without keys: CSV with the columns endpoint,mode,identity,key,publicKey (key empty), or JSON endpoint → credentials without the PSK key.',
    },
  },
};
const importQuery: Schema = {
  type: 'object',
  properties: {
    dryRun: {
      type: 'boolean',
      description:
        'Write nothing: answer each row with what the import would do (create or replace) or its error.',
    },
  },
};

const importPreviewSchema: Schema = {
  type: 'object',
  description: 'The answer of ?dryRun=true: each row with what the import would do, or its error.',
  required: ['rows', 'valid', 'invalid'],
  properties: {
    rows: {
      type: 'array',
      items: {
        type: 'object',
        required: ['endpoint'],
        properties: {
          line: { type: 'integer', description: 'Line of a CSV body.' },
          endpoint: { type: 'string' },
          kind: { type: 'string', enum: ['psk', 'rpk', 'x509'] },
          identity: { type: 'string' },
          publicKey: { type: 'string', description: 'Hex.' },
          action: { type: 'string', enum: ['create', 'replace'] },
          error: { type: 'string' },
        },
      },
    },
    valid: { type: 'integer' },
    invalid: { type: 'integer' },
  },
};

/** A CSV body (text/csv) as its rows, or a JSON body as its entries. */
function importRows(body: unknown): Parameters<typeof previewSecurityImport>[1] {
  if (typeof body === 'string') return parseSecurityCsv(body, MAX_SECURITY_IMPORT);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) parseSecurityImport(body); // throws
  const rows = jsonImportRows(body as Record<string, unknown>);
  if (rows.length > MAX_SECURITY_IMPORT) parseSecurityImport(body); // throws naming the bound
  return rows;
}

/** The credentials `body` holds for `endpoint` (InvalidSecurityInfoError naming the field). */
function credentialsOf(endpoint: string, body: unknown): SecurityInfo {
  validateSecurityEndpoint(endpoint, 'endpoint');
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new InvalidSecurityInfoError(
      'body',
      'must be a JSON object such as {"psk":{"identity":"dev-1","key":"<hex>"}}',
    );
  const { endpoint: named, ...rest } = body as Record<string, unknown>;
  if (named !== undefined && named !== endpoint)
    throw new InvalidSecurityInfoError(
      'endpoint',
      'must be the endpoint of the path when the body names one',
    );
  return parseSecurityInfoJson(endpoint, rest);
}

const notFound = (reply: FastifyReply, endpoint: string, owner: string): FastifyReply =>
  reply.code(404).send({
    error: 'not found',
    message: `${owner} has no credentials for ${JSON.stringify(endpoint.slice(0, 255))}`,
  });

// fastify's default validator coerces types (a number becomes a string) and would let
// {"identity": 5} through; the PUT body is read strictly by parseSecurityInfoJson instead, and its
// schema only documents it.
const documentOnly = () => () => true;

/** Registers the credential routes of `store` under `url` (e.g. '/api/security'). */
export function registerSecurityRoutes(
  app: FastifyInstance,
  store: SecurityStore,
  url: string,
  info: SecurityRoutesInfo,
): void {
  addSecuritySchemas(app);
  // RFC 4180 text/csv bodies of POST {url}; the app's body limit bounds them
  if (!app.hasContentTypeParser('text/csv'))
    app.addContentTypeParser('text/csv', { parseAs: 'string' }, (_req, text, done) => done(null, text));
  const tags = [info.tag];
  app.get<{ Querystring: SecurityPageQuery & { export?: SecurityExportFormat } }>(
    url,
    {
      schema: {
        summary: `Credentials ${info.owner} accepts, a page at a time by endpoint (follow \`next\` with ?cursor=); keys are never shown`,
        tags,
        querystring: listQuery,
        response: { 200: { $ref: 'SecurityInfoPage#' }, ...errorResponses(400) },
      },
    },
    async (req, reply) => {
      const { export: format, ...query } = req.query;
      if (format !== undefined) {
        const filters = {
          ...(query.endpointPrefix === undefined ? {} : { endpointPrefix: query.endpointPrefix }),
          ...(query.kind === undefined ? {} : { kind: query.kind }),
        };
        return reply
          .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8')
          .header('content-disposition', `attachment; filename="credentials.${format}"`)
          .send(securityExportStream(store, filters, format));
      }
      const p = await securityPage(store, query);
      return { ...p, items: p.items.map(securityInfoView) };
    },
  );

  app.post<{ Body: unknown; Querystring: { dryRun?: string } }>(
    url,
    {
      validatorCompiler: documentOnly,
      schema: {
        querystring: importQuery,
        summary: `Stores the credentials of many endpoints in ${info.owner} (a credentials file); keys are write-only`,
        description: `The body is checked whole before anything is written (400 naming the field, e.g. "dev-1.psk.key"); at most ${MAX_SECURITY_IMPORT} endpoints. The body is JSON (endpoint name → credentials) or, as text/csv, a header line naming the columns endpoint,mode,identity,key,publicKey (mode psk, rpk or x509; key in hex). With ?dryRun=true nothing is written and the answer lists each row with its action or its error. A PSK identity may move between imported endpoints (the one giving it up is written first); one held by an endpoint outside the import, or identities swapped in a cycle, are a 409 before any write.`,
        tags,
        body: {
          type: 'object',
          description: 'Endpoint name → credentials (without an "endpoint" field).',
          additionalProperties: { $ref: 'SecurityInfoInput#' },
        },
        response: {
          200: {
            anyOf: [
              {
                type: 'object',
                required: ['created', 'replaced'],
                properties: { created: { type: 'integer' }, replaced: { type: 'integer' } },
              },
              importPreviewSchema,
            ],
          },
          ...errorResponses(400, 409),
        },
      },
    },
    async (req, reply) => {
      const dryRun = req.query.dryRun === 'true' || req.query.dryRun === '1';
      if (dryRun) return previewSecurityImport(store, importRows(req.body));
      const infos = parseSecurityImport(
        typeof req.body === 'string'
          ? csvImportBody(parseSecurityCsv(req.body, MAX_SECURITY_IMPORT))
          : req.body,
      );
      try {
        return await importSecurityInfos(store, infos);
      } catch (e) {
        if (!(e instanceof SecurityImportConflictError)) throw e;
        return reply.code(409).send({ error: 'conflict', message: e.message });
      }
    },
  );

  app.get<EndpointRequest>(
    `${url}/:endpoint`,
    {
      schema: {
        summary: `The credentials ${info.owner} accepts from one endpoint, without the key`,
        tags,
        params: endpointParams,
        response: { 200: { $ref: 'SecurityInfo#' }, ...errorResponses(400, 404) },
      },
    },
    async (req, reply) => {
      const found = await store.getByEndpoint(req.params.endpoint);
      if (found === undefined) return notFound(reply, req.params.endpoint, info.owner);
      return securityInfoView(found);
    },
  );

  app.put<EndpointRequest & { Body: unknown }>(
    `${url}/:endpoint`,
    {
      validatorCompiler: documentOnly,
      schema: {
        summary: `Stores the credentials of one endpoint (201 when new, 200 when replaced); the key is write-only`,
        tags,
        params: endpointParams,
        body: { $ref: 'SecurityInfoInput#' },
        response: {
          200: { $ref: 'SecurityInfo#' },
          201: { $ref: 'SecurityInfo#' },
          ...errorResponses(400, 409),
        },
      },
    },
    async (req, reply) => {
      const credentials = credentialsOf(req.params.endpoint, req.body);
      let replaced: boolean;
      try {
        replaced = (await store.put(credentials)).previous !== undefined;
      } catch (e) {
        if (!(e instanceof SecurityConflictError)) throw e;
        return reply.code(409).send({
          error: 'conflict',
          message:
            e.field === 'psk.identity'
              ? `psk.identity: already the identity of endpoint ${JSON.stringify(e.owner.slice(0, 255))}; PSK identities are unique`
              : `rpk.publicKey: already the key of endpoint ${JSON.stringify(e.owner.slice(0, 255))}; raw public keys are unique`,
        });
      }
      return reply.code(replaced ? 200 : 201).send(securityInfoView(credentials));
    },
  );

  app.delete<EndpointRequest>(
    `${url}/:endpoint`,
    {
      schema: {
        summary: `Removes the credentials of one endpoint from ${info.owner}`,
        tags,
        params: endpointParams,
        response: { 204: { type: 'null', description: 'Deleted' }, ...errorResponses(400, 404) },
      },
    },
    async (req, reply) => {
      const { removed } = await store.delete(req.params.endpoint);
      if (removed === undefined) return notFound(reply, req.params.endpoint, info.owner);
      return reply.code(204).send();
    },
  );
}
