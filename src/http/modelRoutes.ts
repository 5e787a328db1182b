// LwM2M Core TS 1.1.1 section 7.2.2 (object versions of the register payload) and Appendix D (DDF):
// the object models of the server over the REST API (issue 16 item 3). GET {prefix}/models lists
// them a page at a time, GET {prefix}/models/{id} answers one definition, POST {prefix}/models adds
// the objects of a DDF file to the running server's registry (reads, writes and notifications of
// those objects are typed by it from then on: the registry's lookups are live), and
// GET {prefix}/clients/{endpoint}/models resolves a client's announced objects and versions.
// Bounds: a DDF body of at most MAX_DDF_BYTES; at most `maxUploadedModels` object versions added
// through the API (replacing one already uploaded does not count again).
import type { FastifyInstance } from 'fastify';
import { DdfError } from '../model/DdfError.js';
import { parseDdf } from '../model/ddfLoader.js';
import { compareVersions, type ModelRegistry } from '../model/ModelRegistry.js';
import { sendReply, unknownEndpoint } from './clientContext.js';
import { modelSchema, modelSummarySchema, modelSummaryToJson, modelToJson } from './modelJson.js';
import * as S from './schemas.js';
import type { ServerPort } from './ServerPort.js';

/** Largest DDF body POST /models accepts, bytes (the OMA registry's largest files are ~200 kB). */
export const MAX_DDF_BYTES = 1 << 20;
/** Default bound of the object versions added through POST /models. */
export const DEFAULT_MAX_UPLOADED_MODELS = 1_000;
/** Largest page of GET /models. */
const MAX_PAGE = 1_000;

/** Settings of the model routes. */
export interface ModelRouteOptions {
  /** Object versions POST /models may add, in all (default DEFAULT_MAX_UPLOADED_MODELS). */
  readonly maxUploadedModels?: number;
}

const XML_TYPES = /^\s*(?:application|text)\/(?:[\w.+-]+\+)?xml\s*(?:;|$)/i;

/** Adds the ObjectModel and ModelSummary schemas to `app` (once, at the root). */
export function addModelSchemas(app: FastifyInstance): void {
  for (const schema of [modelSummarySchema, modelSchema])
    if (app.getSchema(schema['$id'] as string) === undefined) app.addSchema(schema);
}

function registerUpload(
  app: FastifyInstance,
  registry: ModelRegistry,
  url: string,
  maxUploaded: number,
  uploaded: Set<string>,
): void {
  // In its own scope, so that no other route takes an XML body.
  void app.register(async (scope) => {
    scope.addContentTypeParser(
      XML_TYPES,
      { parseAs: 'string', bodyLimit: MAX_DDF_BYTES },
      (_req, body, done) => done(null, body),
    );
    scope.post<{ Querystring: { replace?: boolean }; Body: string }>(
      url,
      {
        bodyLimit: MAX_DDF_BYTES,
        // Before the body schema: a JSON body is the wrong media type, not a bad string.
        preValidation: async (req, reply) => {
          if (typeof req.body !== 'string' || !XML_TYPES.test(req.headers['content-type'] ?? ''))
            return reply.code(415).send({
              error: 'unsupported media type',
              message: 'body: send the DDF file as application/xml or text/xml',
            });
          return undefined;
        },
        schema: {
          summary: 'Add the objects of a DDF file (application/xml or text/xml) to the server',
          description: `A DDF file (OMA LwM2M Core TS Appendix D) of at most ${MAX_DDF_BYTES} bytes; every object it defines is added, or none. An object version already known is refused (409) unless ?replace=true. At most ${maxUploaded} object versions may be added this way.`,
          tags: ['models'],
          consumes: ['application/xml', 'text/xml'],
          querystring: {
            type: 'object',
            properties: {
              replace: { type: 'boolean', default: false, description: 'Replace known object versions.' },
            },
          },
          body: { type: 'string', description: 'The DDF XML text.' },
          response: {
            201: {
              type: 'object',
              required: ['added'],
              properties: { added: { type: 'array', items: { $ref: 'ModelSummary#' } } },
            },
            ...S.errorResponses(400, 409, 413, 415),
          },
        },
      },
      async (req, reply) => {
        let models;
        try {
          models = parseDdf(req.body, 'upload');
        } catch (e) {
          if (!(e instanceof DdfError)) throw e;
          return reply.code(400).send({ error: 'bad request', message: e.message });
        }
        const replace = req.query.replace === true;
        const known = models.filter((m) => registry.has(m.id, m.version));
        if (known.length > 0 && !replace)
          return reply.code(409).send({
            error: 'conflict',
            message: `object ${known[0]!.id} version ${known[0]!.version} is already known; add ?replace=true to replace it`,
          });
        const fresh = models.filter((m) => !uploaded.has(`${m.id}@${m.version}`));
        if (uploaded.size + fresh.length > maxUploaded)
          return reply.code(409).send({
            error: 'conflict',
            message: `the server holds ${uploaded.size} uploaded object versions, at most ${maxUploaded} (maxUploadedModels); restart it with --models <dir> to load more`,
          });
        registry.addAll(models, { replace: true });
        for (const m of models) uploaded.add(`${m.id}@${m.version}`);
        return reply.code(201).send({ added: models.map(modelSummaryToJson) });
      },
    );
  });
}

/**
 * Registers GET|POST `{prefix}/models` and GET `{prefix}/models/:id` over `registry` (when given)
 * and GET `{prefix}/clients/:endpoint/models` over the port's per-client lookups.
 */
export function registerModelRoutes(
  app: FastifyInstance,
  server: ServerPort,
  registry: ModelRegistry | undefined,
  prefix: string,
  options: ModelRouteOptions = {},
): void {
  const idParams = {
    type: 'object',
    required: ['id'],
    properties: { id: { type: 'integer', minimum: 0, maximum: 65534 } },
  };
  if (registry) {
    const maxUploaded = options.maxUploadedModels ?? DEFAULT_MAX_UPLOADED_MODELS;
    const uploaded = new Set<string>();
    app.get<{ Querystring: { offset?: number; limit?: number; q?: string } }>(
      `${prefix}/models`,
      {
        schema: {
          summary: 'The object models the server knows (one entry per object version), a page at a time',
          tags: ['models'],
          querystring: {
            type: 'object',
            properties: {
              offset: { type: 'integer', minimum: 0, default: 0 },
              limit: { type: 'integer', minimum: 1, maximum: MAX_PAGE, default: 200 },
              q: {
                type: 'string',
                maxLength: 100,
                description: 'Only objects whose id is this number or whose name contains this text.',
              },
            },
          },
          response: {
            200: {
              type: 'object',
              required: ['items', 'total', 'uploaded', 'maxUploaded'],
              properties: {
                items: { type: 'array', items: { $ref: 'ModelSummary#' } },
                total: { type: 'integer', description: 'Object versions matching, on every page.' },
                uploaded: { type: 'integer', description: 'Object versions added by POST /models.' },
                maxUploaded: { type: 'integer' },
              },
            },
            ...S.errorResponses(400),
          },
        },
      },
      async (req) => {
        const q = req.query.q?.trim().toLowerCase() ?? '';
        const all = registry
          .all()
          .filter((m) => q === '' || String(m.id) === q || m.name.toLowerCase().includes(q));
        const offset = req.query.offset ?? 0;
        const items = all.slice(offset, offset + (req.query.limit ?? 200)).map(modelSummaryToJson);
        return { items, total: all.length, uploaded: uploaded.size, maxUploaded };
      },
    );
    app.get<{ Params: { id: number }; Querystring: { version?: string } }>(
      `${prefix}/models/:id`,
      {
        schema: {
          summary: 'One object model: every resource with its operations, type, range and units',
          tags: ['models'],
          params: idParams,
          querystring: {
            type: 'object',
            properties: {
              version: {
                type: 'string',
                pattern: '^\\d{1,5}\\.\\d{1,5}$',
                description: 'Object version; the default version when absent.',
              },
            },
          },
          response: {
            200: {
              allOf: [
                { $ref: 'ObjectModel#' },
                {
                  type: 'object',
                  properties: { versions: { type: 'array', items: { type: 'string' } } },
                },
              ],
            },
            ...S.errorResponses(400, 404),
          },
        },
      },
      async (req, reply) => {
        const { id } = req.params;
        const model = registry.get(id, req.query.version);
        if (!model)
          return reply.code(404).send({
            error: 'not found',
            message:
              req.query.version === undefined
                ? `no model of object ${id}`
                : `no model of object ${id} version ${req.query.version} (known: ${registry.versions(id).join(', ') || 'none'})`,
          });
        return { ...modelToJson(model), versions: registry.versions(id).sort(compareVersions) };
      },
    );
    registerUpload(app, registry, `${prefix}/models`, maxUploaded, uploaded);
  }

  app.get<{ Params: { endpoint: string } }>(
    `${prefix}/clients/:endpoint/models`,
    {
      schema: {
        summary:
          "The models a client's announced objects and versions resolve to (what its object tree is built from)",
        tags: ['clients'],
        params: { type: 'object', required: ['endpoint'], properties: { endpoint: { type: 'string' } } },
        response: {
          200: {
            type: 'object',
            required: ['endpoint', 'objects'],
            properties: {
              endpoint: { type: 'string' },
              objects: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['id', 'instances'],
                  properties: {
                    id: { type: 'integer' },
                    version: { type: 'string', description: 'The version the client announced (ver=).' },
                    instances: { type: 'array', items: { type: 'integer' } },
                    model: {
                      $ref: 'ObjectModel#',
                      description:
                        'The model used for it: the announced version, else the closest lower one, else the default; absent when the server knows none.',
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
      const reg = await server.getRegistration(endpoint);
      if (!reg) return sendReply(reply, unknownEndpoint(endpoint));
      const lookup = server.modelsFor(reg);
      const objects = [...reg.objectLinks.objects]
        .sort(([a], [b]) => a - b)
        .map(([id, o]) => {
          const model = lookup.getObject(id);
          return {
            id,
            ...(o.version === undefined ? {} : { version: o.version }),
            instances: [...o.instances],
            ...(model ? { model: modelToJson(model) } : {}),
          };
        });
      return { endpoint, objects };
    },
  );
}
