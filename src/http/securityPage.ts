// Issue 13 item 4: one page of a SecurityStore listing in endpoint order, for GET {prefix}/security.
// SecurityStore.all() has no order, so the page is selected in one pass that keeps only the
// `limit + 1` smallest endpoints after the cursor (memory bounded by the page, not the store) and
// lets the event loop turn every YIELD_EVERY credentials, so a large store never stalls the API.
// The cursor is opaque to callers: base64url of the last endpoint of the page, checked on return.
import { BadRequestError } from '../lwm2m/errors.js';
import type { SecurityInfo } from '../lwm2m/SecurityInfo.js';
import type { SecurityStore } from '../store/SecurityStore.js';

/** What GET {prefix}/security asks for. */
export interface SecurityPageQuery {
  /** Credentials on the page (the route bounds it). Default 100. */
  readonly limit?: number;
  /** The `next` of the previous page. */
  readonly cursor?: string;
  /** Only endpoints starting with this text. */
  readonly endpointPrefix?: string;
  /** Only credentials of this security mode. */
  readonly kind?: SecurityInfo['kind'];
}

/** One page: `items` in endpoint order, `total` matching the filters, `next` when more follow. */
export interface SecurityPage {
  readonly items: readonly SecurityInfo[];
  readonly total: number;
  readonly next?: string;
}

/** Credentials read between two turns of the event loop. */
const YIELD_EVERY = 2000;
const CURSOR_TAG = 'sec';

/** The cursor of a page that ends at `endpoint`. */
export function encodeSecurityCursor(endpoint: string): string {
  return Buffer.from(JSON.stringify([CURSOR_TAG, endpoint]), 'utf8').toString('base64url');
}

/** The last endpoint of the page `cursor` follows; BadRequestError naming `cursor` when it is not one. */
export function decodeSecurityCursor(cursor: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 2 ||
    parsed[0] !== CURSOR_TAG ||
    typeof parsed[1] !== 'string'
  )
    throw new BadRequestError('cursor: not a cursor of this listing; give the "next" of a previous page');
  return parsed[1];
}

// UTF-16 code unit order, as `<` compares strings: the cursor compares the same way.
const before = (a: SecurityInfo, b: SecurityInfo): boolean => a.endpoint < b.endpoint;

/** Inserts `info` into `best` (sorted, at most `keep` long), dropping the largest beyond `keep`. */
function keepSmallest(best: SecurityInfo[], info: SecurityInfo, keep: number): void {
  if (best.length === keep && !before(info, best[keep - 1]!)) return;
  let lo = 0;
  let hi = best.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(best[mid]!, info)) lo = mid + 1;
    else hi = mid;
  }
  best.splice(lo, 0, info);
  if (best.length > keep) best.pop();
}

/** One page of `store` in endpoint order after the cursor of `q`. */
export async function securityPage(store: SecurityStore, q: SecurityPageQuery): Promise<SecurityPage> {
  const after = q.cursor === undefined ? undefined : decodeSecurityCursor(q.cursor);
  const prefix = q.endpointPrefix ?? '';
  const limit = q.limit ?? 100;
  const best: SecurityInfo[] = [];
  let total = 0;
  let read = 0;
  for await (const info of store.all()) {
    if (++read % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
    if (!info.endpoint.startsWith(prefix) || (q.kind !== undefined && info.kind !== q.kind)) continue;
    total++;
    if (after === undefined || info.endpoint > after) keepSmallest(best, info, limit + 1);
  }
  if (best.length <= limit) return { items: best, total };
  const items = best.slice(0, limit);
  return { items, total, next: encodeSecurityCursor(items[limit - 1]!.endpoint) };
}
