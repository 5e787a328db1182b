// The filters and the order of the client list as the query of GET /api/clients: every filter
// and sort is the server's (the page holds no list logic of its own).
import type { Query } from '../api.js';
import type { SecurityMode } from './format.js';

/** The sort fields of GET /api/clients. */
export type SortField = 'endpoint' | 'registeredAt' | 'lastUpdate';

/** Last-seen choices: within the last N seconds (positive) or not for N seconds (negative). */
export const LAST_SEEN_CHOICES = [
  { value: '', label: 'any time' },
  { value: '300', label: 'last 5 min' },
  { value: '3600', label: 'last hour' },
  { value: '86400', label: 'last day' },
  { value: '-3600', label: 'over an hour ago' },
  { value: '-86400', label: 'over a day ago' },
] as const;

/** What the operator typed and picked. */
export interface ClientFilter {
  readonly endpointPrefix: string;
  readonly objectId: string;
  readonly binding: '' | 'U' | 'T' | 'S' | 'N' | 'Q';
  readonly queueMode: '' | 'true' | 'false';
  readonly securityMode: '' | SecurityMode;
  readonly lastSeen: (typeof LAST_SEEN_CHOICES)[number]['value'];
}

export const NO_FILTER: ClientFilter = {
  endpointPrefix: '',
  objectId: '',
  binding: '',
  queueMode: '',
  securityMode: '',
  lastSeen: '',
};

export interface ClientSort {
  readonly field: SortField;
  readonly descending: boolean;
}

/** The query string of one page (without cursor and limit). */
export function listQuery(filter: ClientFilter, sort: ClientSort, now = Date.now()): Query {
  const objectId = /^\d{1,5}$/.test(filter.objectId.trim()) ? Number(filter.objectId.trim()) : undefined;
  const seen = filter.lastSeen === '' ? 0 : Number(filter.lastSeen);
  const at = new Date(now - Math.abs(seen) * 1000).toISOString();
  return {
    sort: `${sort.descending ? '-' : ''}${sort.field}`,
    endpointPrefix: filter.endpointPrefix,
    objectId,
    binding: filter.binding,
    queueMode: filter.queueMode,
    securityMode: filter.securityMode,
    lastSeenFrom: seen > 0 ? at : undefined,
    lastSeenBefore: seen < 0 ? at : undefined,
  };
}
