// LwM2M Core TS 1.1.1 section 6.2 (Register, Update, De-register; lifetime expiry): the store of
// registered clients. Interface only; writes return what changed (STYLE.md pattern 10) and the
// contract suite test/store/registrationStoreContract.ts proves every implementation
// (memory now, SQLite and Redis later).
import type { Registration } from '../lwm2m/Registration.js';
import type { ObservationRecord, ObservationStore } from './ObservationStore.js';
import type { RegistrationPage, RegistrationPageQuery } from './RegistrationPage.js';

/** What RegistrationStore.add changed. */
export interface RegistrationAddResult {
  /** The registration of the same endpoint the new one replaced (re-registration). */
  readonly previous?: Registration;
  /** Observations of `previous`, dropped with it. */
  readonly droppedObservations: readonly ObservationRecord[];
}

/** What RegistrationStore.update changed. */
export interface RegistrationUpdateResult {
  readonly previous: Registration;
  readonly current: Registration;
}

/** What RegistrationStore.remove (or removeExpired) changed. */
export interface RegistrationRemoveResult {
  /** The removed registration, or undefined when there was none. */
  readonly removed?: Registration;
  /** Its observations, dropped with it. */
  readonly droppedObservations: readonly ObservationRecord[];
}

/** Computes the new record from the current one; it must keep `id` and `endpoint`. May throw to abort. */
export type RegistrationUpdater = (current: Registration) => Registration;

/** Thrown when a write would break the store's invariants (duplicate id, id or endpoint changed by an update). */
export class RegistrationConflictError extends Error {
  readonly code = 'STORE_REGISTRATION_CONFLICT';
  constructor(message: string) {
    super(message);
    this.name = 'RegistrationConflictError';
  }
}

/**
 * Registered clients, found by id, endpoint name or peer key, plus an expiry index. Every method
 * is async so SQLite and Redis implementations fit; each write is atomic for its registration.
 */
export interface RegistrationStore {
  /** The observations of these registrations; removing a registration drops its observations. */
  readonly observations: ObservationStore;
  /**
   * Adds a registration. A registration of the same endpoint is replaced and its observations
   * dropped (Core TS 6.2.1: a client that registers again starts afresh). Throws
   * RegistrationConflictError when the id is already in use.
   */
  add(reg: Registration): Promise<RegistrationAddResult>;
  /** Replaces the registration `id` by `updater(current)`; undefined when there is none. */
  update(id: string, updater: RegistrationUpdater): Promise<RegistrationUpdateResult | undefined>;
  /** Removes a registration (De-register) and drops its observations. */
  remove(id: string): Promise<RegistrationRemoveResult>;
  /** The registration with this id. */
  getById(id: string): Promise<Registration | undefined>;
  /** The registration of this endpoint name. */
  getByEndpoint(endpoint: string): Promise<Registration | undefined>;
  /** The registration last heard from this `Peer.key` (the latest to claim it when several did). */
  getByPeer(peerKey: string): Promise<Registration | undefined>;
  /** Every registration, in no particular order. */
  all(): AsyncIterable<Registration>;
  /**
   * One page of the registrations matching `query.filter`, in the stable order of `query.sort`
   * (ties broken by endpoint name), starting after `query.after`. Never blocks the event loop for
   * long, whatever the number of registrations (RegistrationPage.ts).
   */
  page(query: RegistrationPageQuery): Promise<RegistrationPage>;
  /** Number of registrations. */
  size(): Promise<number>;
  /** The earliest `expiresAt` of any registration that can expire, or undefined. */
  nextExpiry(): Promise<number | undefined>;
  /**
   * Removes (and returns, with their dropped observations) up to `limit` registrations for which
   * `isExpired(reg, now, graceMs)` holds, earliest expiry first.
   */
  removeExpired(now: number, graceMs?: number, limit?: number): Promise<RegistrationRemoveResult[]>;
  /**
   * Optional, for stores that hold every registration in process memory: whether getByPeer would
   * find a registration for `peerKey`, answered at once (the CoAP layer asks per datagram).
   */
  hasPeerNow?(peerKey: string): boolean;
  /** Optional, with hasPeerNow: what size() would answer, at once. */
  sizeNow?(): number;
  /**
   * Optional, with hasPeerNow: what getByEndpoint would find, at once. Every downlink request
   * looks its client up by endpoint; answered in place, it skips a promise and a microtask turn.
   */
  getByEndpointNow?(endpoint: string): Registration | undefined;
}
