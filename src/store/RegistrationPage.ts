// Listing registrations a page at a time (issue 12 item 5): the query every RegistrationStore
// answers, and the pure filter and order rules they share. The order is total and stable (the sort
// field, then the endpoint name, which is unique), so a cursor is the position of the last item
// seen: a later page starts strictly after it, whatever was added or removed in between, and never
// repeats nor skips a registration whose sort field did not change.
import type { Registration } from '../lwm2m/Registration.js';

/** What a page may be restricted to; every field given must hold. */
export interface RegistrationFilter {
  /** The endpoint name starts with this text. */
  readonly endpointPrefix?: string;
  /** The client announced this object (Register payload, Core TS 6.2.1). */
  readonly objectId?: number;
  /** Every letter of this text is in the Binding Mode, e.g. "U" or "S". */
  readonly binding?: string;
  /** The client is (or is not) in Queue Mode. */
  readonly queueMode?: boolean;
  /** Last Register or Update at or after this time (ms, the store's clock). */
  readonly lastUpdateFrom?: number;
  /** Last Register or Update before this time (ms, the store's clock). */
  readonly lastUpdateBefore?: number;
  /** How the client authenticated its last Register/Update (see `securityModeOf`). */
  readonly securityMode?: RegistrationSecurityMode;
}

/**
 * How a client authenticated: plain UDP ('none') or the DTLS credential kind of its identity, the
 * modes of the Security object's Security Mode resource (Core TS 1.1.1 E.1, /0/x/2: PSK, RPK,
 * Certificate, NoSec; Certificate with EST authenticates as x509 too).
 */
export type RegistrationSecurityMode = 'none' | 'psk' | 'rpk' | 'x509';

/** The security mode of `reg`: the kind of the identity its DTLS handshake authenticated, or 'none'. */
export function securityModeOf(reg: Registration): RegistrationSecurityMode {
  return reg.peer.identity?.kind ?? 'none';
}

/** The fields a page may be sorted by; ties are broken by endpoint name. */
export type RegistrationSortField = 'endpoint' | 'registeredAt' | 'lastUpdate';

/** The place of one registration in a listing order: its sort value and endpoint name. */
export interface RegistrationPosition {
  readonly value: string | number;
  readonly endpoint: string;
}

/** One page request. */
export interface RegistrationPageQuery {
  readonly filter?: RegistrationFilter;
  /** Default 'endpoint'. */
  readonly sort?: RegistrationSortField;
  /** Largest first. Default false. */
  readonly descending?: boolean;
  /** Start strictly after this position (the `next` of the previous page). */
  readonly after?: RegistrationPosition;
  /** Most items on the page (at least 1). */
  readonly limit: number;
}

/** One page of registrations. */
export interface RegistrationPage {
  /** At most `limit` registrations, in order. */
  readonly items: readonly Registration[];
  /** Registrations matching the filter, on every page. */
  readonly total: number;
  /** Where the next page starts; absent on the last page. */
  readonly next?: RegistrationPosition;
}

/** True when `reg` passes every condition of `filter`. */
export function matchesFilter(reg: Registration, filter: RegistrationFilter | undefined): boolean {
  if (filter === undefined) return true;
  if (filter.endpointPrefix !== undefined && !reg.endpoint.startsWith(filter.endpointPrefix)) return false;
  if (filter.objectId !== undefined && !reg.objectLinks.objects.has(filter.objectId)) return false;
  if (filter.queueMode !== undefined && reg.queueMode !== filter.queueMode) return false;
  if (filter.lastUpdateFrom !== undefined && reg.lastUpdate < filter.lastUpdateFrom) return false;
  if (filter.lastUpdateBefore !== undefined && reg.lastUpdate >= filter.lastUpdateBefore) return false;
  if (filter.securityMode !== undefined && securityModeOf(reg) !== filter.securityMode) return false;
  if (filter.binding !== undefined)
    for (const letter of filter.binding) if (!reg.binding.raw.includes(letter)) return false;
  return true;
}

/** The position of `reg` in the order of `sort`. */
export function positionOf(
  reg: Registration,
  sort: RegistrationSortField = 'endpoint',
): RegistrationPosition {
  return { value: sort === 'endpoint' ? reg.endpoint : reg[sort], endpoint: reg.endpoint };
}

const compareValues = (a: string | number, b: string | number): number => (a < b ? -1 : a > b ? 1 : 0);

const valueOf = (x: RegistrationPosition | Registration, sort: RegistrationSortField): string | number =>
  'value' in x ? x.value : sort === 'endpoint' ? x.endpoint : x[sort];

/**
 * Compares two positions (or registrations, at their position in the order of `sort`): sort
 * value, then endpoint name; reversed when `descending`.
 */
export function comparePositions(
  a: RegistrationPosition | Registration,
  b: RegistrationPosition | Registration,
  descending = false,
  sort: RegistrationSortField = 'endpoint',
): number {
  const c = compareValues(valueOf(a, sort), valueOf(b, sort)) || compareValues(a.endpoint, b.endpoint);
  return descending ? -c : c;
}
