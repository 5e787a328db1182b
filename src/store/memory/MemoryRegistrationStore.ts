// LwM2M Core TS 1.1.1 section 6.2: registrations held in process memory. One Map by id holds the
// records; Maps from endpoint name and from peer key to id give O(1) lookups; an ExpiryHeap orders
// lifetimes (O(log n) per add/update, lazy deletion, rebuilt in O(n) when stale entries outnumber
// live ones). Every index changes synchronously before the first await, so concurrent calls never
// see a half-written registration.
import { isExpired, NEVER_EXPIRES, type Registration } from '../../lwm2m/Registration.js';
import type { ObservationRecord, ObservationStore } from '../ObservationStore.js';
import {
  RegistrationConflictError,
  type RegistrationAddResult,
  type RegistrationRemoveResult,
  type RegistrationStore,
  type RegistrationUpdater,
  type RegistrationUpdateResult,
} from '../RegistrationStore.js';
import type { RegistrationPage, RegistrationPageQuery } from '../RegistrationPage.js';
import { ExpiryHeap } from './ExpiryHeap.js';
import { ShardedMap } from './ShardedMap.js';
import { pageRegistrations } from './pageRegistrations.js';
import { MemoryObservationStore } from './MemoryObservationStore.js';

/** Options of MemoryRegistrationStore. */
export interface MemoryRegistrationStoreOptions {
  /** Where observations live (default: a new MemoryObservationStore). */
  readonly observations?: ObservationStore;
}

/** A RegistrationStore in process memory, O(1) by id, endpoint and peer key. */
export class MemoryRegistrationStore implements RegistrationStore {
  readonly observations: ObservationStore;
  // The lookup indexes are sharded (ShardedMap.ts): every per-registration Map grows at the same
  // count, and one Map's growth rehashes all its entries at once. `byId` stays one Map, which
  // pages iterate twice as fast (1M records: ~0.7 instead of ~1.5 s for a page, in process).
  private readonly byId = new Map<string, Registration>();
  // The indexes hold the records themselves, not their ids: a lookup by endpoint (every downlink
  // request) or by peer is one Map lookup, not two (issue 17).
  private readonly byEndpoint = new ShardedMap<Registration>();
  private readonly byPeer = new ShardedMap<Registration>();
  private readonly expiry = new ExpiryHeap();

  constructor(options: MemoryRegistrationStoreOptions = {}) {
    this.observations = options.observations ?? new MemoryObservationStore();
  }

  async add(reg: Registration): Promise<RegistrationAddResult> {
    if (this.byId.has(reg.id))
      throw new RegistrationConflictError(`registration id ${reg.id} is already in use`);
    const previousReg = this.byEndpoint.get(reg.endpoint);
    const previous = previousReg === undefined ? undefined : this.unindex(previousReg.id);
    this.byId.set(reg.id, reg);
    this.byEndpoint.set(reg.endpoint, reg);
    this.byPeer.set(reg.peer.key, reg);
    this.schedule(reg);
    if (!previous) return { droppedObservations: [] };
    return { previous, droppedObservations: await this.observations.removeByRegistration(previous.id) };
  }

  async update(id: string, updater: RegistrationUpdater): Promise<RegistrationUpdateResult | undefined> {
    const previous = this.byId.get(id);
    if (!previous) return undefined;
    const current = updater(previous);
    if (current.id !== previous.id || current.endpoint !== previous.endpoint)
      throw new RegistrationConflictError(`an update cannot change the id or endpoint of registration ${id}`);
    this.byId.set(id, current);
    if (this.byEndpoint.get(current.endpoint)?.id === id) this.byEndpoint.set(current.endpoint, current);
    if (current.peer.key !== previous.peer.key) {
      if (this.byPeer.get(previous.peer.key)?.id === id) this.byPeer.delete(previous.peer.key);
      this.byPeer.set(current.peer.key, current);
    } else if (this.byPeer.get(current.peer.key)?.id === id) this.byPeer.set(current.peer.key, current);
    if (current.expiresAt !== previous.expiresAt) this.schedule(current);
    return { previous, current };
  }

  async remove(id: string): Promise<RegistrationRemoveResult> {
    const removed = this.unindex(id);
    if (!removed) return { droppedObservations: [] };
    return { removed, droppedObservations: await this.observations.removeByRegistration(id) };
  }

  async getById(id: string): Promise<Registration | undefined> {
    return this.byId.get(id);
  }

  async getByEndpoint(endpoint: string): Promise<Registration | undefined> {
    return this.byEndpoint.get(endpoint);
  }

  async getByPeer(peerKey: string): Promise<Registration | undefined> {
    return this.byPeer.get(peerKey);
  }

  async *all(): AsyncIterable<Registration> {
    // A snapshot, so callers may remove registrations while iterating.
    for (const reg of [...this.byId.values()]) yield reg;
  }

  page(query: RegistrationPageQuery): Promise<RegistrationPage> {
    return pageRegistrations(this.byId.values(), query);
  }

  async size(): Promise<number> {
    return this.byId.size;
  }

  hasPeerNow(peerKey: string): boolean {
    return this.byPeer.has(peerKey);
  }

  sizeNow(): number {
    return this.byId.size;
  }

  getByEndpointNow(endpoint: string): Registration | undefined {
    return this.byEndpoint.get(endpoint);
  }

  async nextExpiry(): Promise<number | undefined> {
    this.dropStaleTop();
    return this.expiry.peekTime();
  }

  async removeExpired(now: number, graceMs = 0, limit = Infinity): Promise<RegistrationRemoveResult[]> {
    const removed: Registration[] = [];
    while (removed.length < limit) {
      this.dropStaleTop();
      const id = this.expiry.peekId();
      const reg = id === undefined ? undefined : this.byId.get(id);
      if (!reg || !isExpired(reg, now, graceMs)) break;
      this.expiry.pop();
      this.unindex(reg.id);
      removed.push(reg);
    }
    const results: RegistrationRemoveResult[] = [];
    for (const reg of removed) {
      const droppedObservations: ObservationRecord[] = await this.observations.removeByRegistration(reg.id);
      results.push({ removed: reg, droppedObservations });
    }
    return results;
  }

  /** Removes `id` from every index but the heap (lazy); returns the record. */
  private unindex(id: string): Registration | undefined {
    const reg = this.byId.get(id);
    if (!reg) return undefined;
    this.byId.delete(id);
    if (this.byEndpoint.get(reg.endpoint)?.id === id) this.byEndpoint.delete(reg.endpoint);
    if (this.byPeer.get(reg.peer.key)?.id === id) this.byPeer.delete(reg.peer.key);
    return reg;
  }

  private schedule(reg: Registration): void {
    if (reg.expiresAt !== NEVER_EXPIRES) this.expiry.push(reg.expiresAt, reg.id);
    // Stale entries (updated or removed registrations) may at most equal the live ones.
    if (this.expiry.length > 2 * this.byId.size + 64) {
      const live: [number, string][] = [];
      for (const r of this.byId.values()) if (r.expiresAt !== NEVER_EXPIRES) live.push([r.expiresAt, r.id]);
      this.expiry.rebuild(live);
    }
  }

  /** Pops heap entries whose registration is gone or has a different expiry now. */
  private dropStaleTop(): void {
    for (;;) {
      const id = this.expiry.peekId();
      if (id === undefined) return;
      if (this.byId.get(id)?.expiresAt === this.expiry.peekTime()) return;
      this.expiry.pop();
    }
  }
}
