// Issue 12 item 5: GET {prefix}/clients a page at a time. Query fields become a RegistrationPageQuery
// (filter, sort, limit, cursor); the page is streamed out one registration at a time, so neither
// the store nor the serializer ever holds more than one page. The cursor is opaque to callers:
// base64url of the sort and the last position, checked on the way back in.
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { BadRequestError } from '../lwm2m/errors.js';
import type {
  RegistrationFilter,
  RegistrationPageQuery,
  RegistrationPosition,
  RegistrationSecurityMode,
  RegistrationSortField,
} from '../store/RegistrationPage.js';
import { registrationToJson } from './registrationJson.js';
import * as S from './schemas.js';
import type { ServerPort } from './ServerPort.js';

/** Most clients on one page; default 100. */
export const MAX_PAGE_LIMIT = 1000;
/** Registrations serialized between two turns of the event loop. */
const SERIALIZE_CHUNK = 50;
const SORTS = ['endpoint', 'registeredAt', 'lastUpdate'] as const;
const SORT_VALUES = [...SORTS, ...SORTS.map((s) => `-${s}`)];

interface ClientListQuery {
  readonly limit?: number;
  readonly cursor?: string;
  readonly sort?: string;
  readonly endpointPrefix?: string;
  readonly objectId?: number;
  readonly binding?: string;
  readonly queueMode?: boolean;
  readonly lastSeenFrom?: string;
  readonly lastSeenBefore?: string;
  readonly securityMode?: RegistrationSecurityMode;
}

const querySchema: S.Schema = {
  type: 'object',
  properties: {
    limit: {
      type: 'integer',
      minimum: 1,
      maximum: MAX_PAGE_LIMIT,
      default: 100,
      description: 'Clients per page.',
    },
    cursor: { type: 'string', maxLength: 2048, description: 'The `next` of the previous page.' },
    sort: {
      type: 'string',
      enum: SORT_VALUES,
      default: 'endpoint',
      description: 'Order of the listing; a leading "-" sorts largest first. Ties are ordered by endpoint.',
    },
    endpointPrefix: {
      type: 'string',
      maxLength: 255,
      description: 'Only endpoints starting with this text.',
    },
    objectId: {
      type: 'integer',
      minimum: 0,
      maximum: 65535,
      description: 'Only clients announcing this object.',
    },
    binding: {
      type: 'string',
      pattern: '^[UTSNQ]{1,5}$',
      description: 'Only clients whose Binding Mode has every one of these letters, e.g. U or S.',
    },
    queueMode: { type: 'boolean', description: 'Only clients in (or not in) Queue Mode.' },
    lastSeenFrom: {
      type: 'string',
      format: 'date-time',
      description: 'Only clients whose last Register/Update is at or after this time.',
    },
    lastSeenBefore: {
      type: 'string',
      format: 'date-time',
      description: 'Only clients whose last Register/Update is before this time.',
    },
    securityMode: {
      type: 'string',
      enum: ['none', 'psk', 'rpk', 'x509'],
      description:
        'Only clients that registered over plain CoAP (none) or over DTLS with this kind of credential.',
    },
  },
};

/** Encodes the cursor of a page that ends at `pos` in order `sort`. */
export function encodeCursor(sort: string, pos: RegistrationPosition): string {
  return Buffer.from(JSON.stringify([sort, pos.value, pos.endpoint]), 'utf8').toString('base64url');
}

/** Decodes a cursor of order `sort`; BadRequestError naming `cursor` when it is not one. */
export function decodeCursor(cursor: string, sort: string): RegistrationPosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || typeof parsed[2] !== 'string')
    throw new BadRequestError('cursor: not a cursor of this API; give the "next" of a previous page');
  const [s, value, endpoint] = parsed as [unknown, unknown, string];
  if (s !== sort)
    throw new BadRequestError(`cursor: it belongs to sort=${String(s).slice(0, 20)}, not sort=${sort}`);
  const field = sort.replace(/^-/, '');
  if (field === 'endpoint' ? typeof value !== 'string' : typeof value !== 'number')
    throw new BadRequestError('cursor: not a cursor of this API; give the "next" of a previous page');
  return { value: value as string | number, endpoint };
}

function wallToClock(
  field: string,
  iso: string | undefined,
  clockNow: number,
  wallNow: number,
): number | undefined {
  if (iso === undefined) return undefined;
  const t = Date.parse(iso);
  if (Number.isNaN(t))
    throw new BadRequestError(`${field}: must be an ISO 8601 date-time, e.g. 2026-12-02T10:00:00Z`);
  return t - wallNow + clockNow;
}

/** The page query of the request's query string (times shifted from wall clock to the server's). */
export function pageQueryOf(q: ClientListQuery, clockNow: number, wallNow: number): RegistrationPageQuery {
  const sort = q.sort ?? 'endpoint';
  const from = wallToClock('lastSeenFrom', q.lastSeenFrom, clockNow, wallNow);
  const before = wallToClock('lastSeenBefore', q.lastSeenBefore, clockNow, wallNow);
  const filter: RegistrationFilter = {
    ...(q.endpointPrefix === undefined ? {} : { endpointPrefix: q.endpointPrefix }),
    ...(q.objectId === undefined ? {} : { objectId: q.objectId }),
    ...(q.binding === undefined ? {} : { binding: q.binding }),
    ...(q.queueMode === undefined ? {} : { queueMode: q.queueMode }),
    ...(from === undefined ? {} : { lastUpdateFrom: from }),
    ...(before === undefined ? {} : { lastUpdateBefore: before }),
    ...(q.securityMode === undefined ? {} : { securityMode: q.securityMode }),
  };
  return {
    filter,
    sort: sort.replace(/^-/, '') as RegistrationSortField,
    descending: sort.startsWith('-'),
    limit: q.limit ?? 100,
    ...(q.cursor === undefined ? {} : { after: decodeCursor(q.cursor, sort) }),
  };
}

/** Registers GET `url`: one page of registered clients, `{ items, total, next? }`. */
export function registerClientList(app: FastifyInstance, server: ServerPort, url: string): void {
  app.get<{ Querystring: ClientListQuery }>(
    url,
    {
      schema: {
        summary: 'Registered clients, a page at a time (follow `next` with ?cursor=)',
        tags: ['clients'],
        querystring: querySchema,
        response: { 200: { $ref: 'ClientPage#' }, ...S.errorResponses(400) },
      },
    },
    async (req, reply: FastifyReply) => {
      const clockNow = server.now?.() ?? Date.now();
      const wallNow = Date.now();
      const page = await server.pageRegistrations(pageQueryOf(req.query, clockNow, wallNow));
      const sort = req.query.sort ?? 'endpoint';
      const tail = `],"total":${page.total}${page.next === undefined ? '' : `,"next":${JSON.stringify(encodeCursor(sort, page.next))}`}}`;
      // A stream feeds itself on process.nextTick, which never lets the event loop turn: the
      // generator takes a turn (setImmediate) every SERIALIZE_CHUNK registrations.
      async function* chunks(): AsyncGenerator<string> {
        let text = '{"items":[';
        for (let i = 0; i < page.items.length; i++) {
          const reg = page.items[i]!;
          const json = registrationToJson(reg, clockNow, wallNow);
          // a Queue Mode client's state now (Transport TS 6.5), for lists that show who is asleep
          const item = reg.queueMode && server.isAwake ? { ...json, sleeping: !server.isAwake(reg) } : json;
          text += (i === 0 ? '' : ',') + JSON.stringify(item);
          if ((i + 1) % SERIALIZE_CHUNK === 0) {
            yield text;
            text = '';
            await new Promise((resolve) => setImmediate(resolve));
          }
        }
        yield text + tail;
      }
      return reply.type('application/json; charset=utf-8').send(Readable.from(chunks()));
    },
  );
}
