// Issue 12, item 2: which peers hold a registration, answered synchronously on the CoAP hot path
// (block-wise reassembly keeps room for them). Bounded by the registrations themselves.
import type { IncomingRequest } from '../coap/Router.js';
import type { Block1Context } from '../coap/blockwise/ReassemblyBuffer.js';
import type { Registration } from '../lwm2m/Registration.js';
import { ShardedMap } from '../store/memory/ShardedMap.js';

/** The peer of every live registration. */
export class KnownPeers {
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
  known: KnownPeers,
  rdPath: string,
  rdMaxBytes: number,
): (req: IncomingRequest) => Block1Context {
  return (req) => ({
    source: req.peer.address,
    privileged: known.has(req.peer.key),
    ...(req.path[0] === rdPath ? { maxBodyBytes: rdMaxBytes } : {}),
  });
}
