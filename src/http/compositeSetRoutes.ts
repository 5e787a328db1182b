// Issue 16 item 3: named composite sets kept on the server (CompositeSetStore.ts), as REST
// resources: GET {prefix}/composite-sets, GET|PUT|DELETE {prefix}/composite-sets/{name}. A set's
// paths are what Read-, Write- and Observe-Composite name (Core TS 1.1.1 sections 5.4.8, 5.4.9,
// 5.5.2); they are checked as LwM2M paths when stored. Bounded: sets and paths per set.
import type { FastifyInstance } from 'fastify';
import { BadRequestError } from '../lwm2m/errors.js';
import { Lwm2mPath } from '../lwm2m/Lwm2mPath.js';
import type { CompositeSet, CompositeSetStore } from '../store/CompositeSetStore.js';
import { FORMAT_NAMES } from './formatNames.js';
import * as S from './schemas.js';

/** Bounds of the composite sets. */
export interface CompositeSetLimits {
  /** Most sets stored. Default 1 000. */
  readonly maxSets: number;
  /** Most paths in one set. Default 100. */
  readonly maxPathsPerSet: number;
}

/** Defaults of CompositeSetLimits. */
export const DEFAULT_COMPOSITE_SET_LIMITS: CompositeSetLimits = Object.freeze({
  maxSets: 1_000,
  maxPathsPerSet: 100,
});

const NAME_PATTERN = '^[A-Za-z0-9._ -]{1,64}$';
const MAX_DESCRIPTION = 500;

const setBody = (maxPaths: number): S.Schema => ({
  type: 'object',
  required: ['paths'],
  properties: {
    paths: {
      type: 'array',
      minItems: 1,
      maxItems: maxPaths,
      items: { type: 'string', maxLength: 64 },
      examples: [['/3/0/0', '/3/0/9']],
    },
    description: { type: 'string', maxLength: MAX_DESCRIPTION },
    format: { type: 'string', enum: Object.keys(FORMAT_NAMES) },
  },
});

/** The CompositeSet JSON schema (shared, `CompositeSet#`). */
const compositeSetSchema: S.Schema = {
  $id: 'CompositeSet',
  type: 'object',
  required: ['name', 'paths'],
  properties: {
    name: { type: 'string' },
    paths: { type: 'array', items: { type: 'string' } },
    description: { type: 'string' },
    format: { type: 'string' },
  },
};

const nameParams: S.Schema = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string', pattern: NAME_PATTERN } },
};

/** Adds the CompositeSet schema; call on the root app (see addQueueSchemas). */
export function addCompositeSetSchemas(app: FastifyInstance): void {
  if (app.getSchema('CompositeSet') === undefined) app.addSchema(compositeSetSchema);
}

/** Paths in canonical form ("/3/0/0"); BadRequestError for one that is not an LwM2M path or repeats. */
function checkedPaths(paths: readonly string[]): string[] {
  const out = paths.map((p) => Lwm2mPath.parse(p).toString());
  const seen = new Set<string>();
  for (const p of out) {
    if (seen.has(p)) throw new BadRequestError(`paths: ${p} is given twice`);
    seen.add(p);
  }
  return out;
}

type SetBody = { paths: string[]; description?: string; format?: string };

/** Registers the composite set routes under `url` (e.g. /api/composite-sets), after addCompositeSetSchemas. */
export function registerCompositeSetRoutes(
  app: FastifyInstance,
  store: CompositeSetStore,
  url: string,
  limits: Partial<CompositeSetLimits> = {},
): void {
  const { maxSets, maxPathsPerSet } = { ...DEFAULT_COMPOSITE_SET_LIMITS, ...limits };
  const tags = ['composite'];
  const notFound = (name: string) => ({
    error: 'unknown composite set',
    message: `no composite set named "${name}"`,
  });

  app.get(
    url,
    {
      schema: {
        summary: `The named composite sets, ordered by name (at most ${maxSets})`,
        tags,
        response: {
          200: {
            type: 'object',
            properties: {
              items: { type: 'array', items: { $ref: 'CompositeSet#' } },
              total: { type: 'integer' },
              maxSets: { type: 'integer' },
              maxPathsPerSet: { type: 'integer' },
            },
          },
        },
      },
    },
    async () => {
      const items = await store.list();
      return { items, total: items.length, maxSets, maxPathsPerSet };
    },
  );

  app.get<{ Params: { name: string } }>(
    `${url}/:name`,
    {
      schema: {
        summary: 'One named composite set',
        tags,
        params: nameParams,
        response: { 200: { $ref: 'CompositeSet#' }, ...S.errorResponses(400, 404) },
      },
    },
    async (req, res) => (await store.get(req.params.name)) ?? res.code(404).send(notFound(req.params.name)),
  );

  app.put<{ Params: { name: string }; Body: SetBody }>(
    `${url}/:name`,
    {
      schema: {
        summary: `Create or replace a named composite set (names: 1-64 of A-Z a-z 0-9 . _ - and space; at most ${maxPathsPerSet} paths)`,
        tags,
        params: nameParams,
        body: setBody(maxPathsPerSet),
        response: {
          200: { $ref: 'CompositeSet#' },
          201: { $ref: 'CompositeSet#' },
          ...S.errorResponses(400, 409),
        },
      },
    },
    async (req, res) => {
      const { name } = req.params;
      const set: CompositeSet = {
        name,
        paths: checkedPaths(req.body.paths),
        ...(req.body.description === undefined ? {} : { description: req.body.description }),
        ...(req.body.format === undefined ? {} : { format: req.body.format }),
      };
      const exists = (await store.get(name)) !== undefined;
      if (!exists && (await store.size()) >= maxSets)
        return res.code(409).send({
          error: 'too many composite sets',
          message: `${maxSets} composite sets are stored, the most allowed: delete one first`,
        });
      await store.put(set);
      return res.code(exists ? 200 : 201).send(set);
    },
  );

  app.delete<{ Params: { name: string } }>(
    `${url}/:name`,
    {
      schema: {
        summary: 'Delete a named composite set',
        tags,
        params: nameParams,
        response: { 204: { type: 'null', description: 'Deleted.' }, ...S.errorResponses(400, 404) },
      },
    },
    async (req, res) => {
      const { removed } = await store.delete(req.params.name);
      return removed ? res.code(204).send() : res.code(404).send(notFound(req.params.name));
    },
  );
}
