// Issue 12, item 2: which peers hold a registration, answered synchronously on the CoAP hot path
// (block-wise reassembly keeps room for them), and how many registrations there are (the
// `registrations` limit's usage). Bounded by the registrations themselves. A store that holds its
// registrations in process memory answers both itself (RegistrationStore.hasPeerNow, sizeNow):
// the server then keeps no copy, two index entries and three lookups less per Register (issue 17).
import type { IncomingRequest } from '../coap/Router.js';
import type { Block1Context } from '../coap/blockwise/ReassemblyBuffer.js';
import type { Registration } from '../lwm2m/Registration.js';
import { ShardedMap } from '../store/memory/ShardedMap.js';
import type { RegistrationStore } from '../store/RegistrationStore.js';

/** Which peers hold a registration, told of each registration's changes. */
export interface PeerRegistry {
  /** Registrations tracked. */
  readonly size: number;
  /** Whether the peer with key `peerKey` holds a registration. */
  has(peerKey: string): boolean;
  /** `reg` was registered or updated (its peer may have moved). */
  set(reg: Registration): void;
  /** Registration `id` ended. */
  delete(id: string): void;
}

/** The PeerRegistry of a server on `store`: the store itself when it answers at once, else KnownPeers. */
export function peerRegistryFor(store: RegistrationStore): PeerRegistry {
  const { hasPeerNow, sizeNow } = store;
  if (!hasPeerNow || !sizeNow) return new KnownPeers();
  return {
    get size() {
      return sizeNow.call(store);
    },
    has: (peerKey) => hasPeerNow.call(store, peerKey),
    set: () => undefined, // the store has it already
    delete: () => undefined,
  };
}

/** The peer of every live registration, for stores that cannot tell it at once. */
export class KnownPeers implements PeerRegistry {
  // Sharded like the registration store's indexes (ShardedMap.ts: no million-entry rehash at once).
  private readonly peerOf = new ShardedMap<string>();
  private readonly idOf = new ShardedMap<string>();

  /** Registrations tracked. */
  get size(): number {
    return this.peerOf.size;
  }

  /** Whether the peer with key `peerKey` holds a registration. */
  has(peerKey: string): boolean {
    return this.idOf.has(peerKey);
  }

  /** `reg` was registered or updated (its peer may have moved). */
  set(reg: Registration): void {
    this.delete(reg.id);
    this.peerOf.set(reg.id, reg.peer.key);
    this.idOf.set(reg.peer.key, reg.id);
  }

  /** Registration `id` ended. */
  delete(id: string): void {
    const key = this.peerOf.get(id);
    if (key === undefined) return;
    this.peerOf.delete(id);
    if (this.idOf.get(key) === id) this.idOf.delete(key);
  }
}

/**
 * The block-wise context of a request to the server: its source address, whether its peer holds a
 * registration (it may use the reserved room), and for `/rd` (segment `rdPath`) the registration
 * payload limit, so `/rd` buffers no more than that (counted in bytes: conservative, as link
 * format is ASCII).
 */
export function serverBlock1Context(
  known: PeerRegistry,
  rdPath: string,
  rdMaxBytes: number,
): (req: IncomingRequest) => Block1Context {
  return (req) => ({
    source: req.peer.address,
    privileged: known.has(req.peer.key),
    ...(req.path[0] === rdPath ? { maxBodyBytes: rdMaxBytes } : {}),
  });
}
