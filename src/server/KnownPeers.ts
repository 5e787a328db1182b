// Issue 12, item 2: which peers hold a registration, answered synchronously on the CoAP hot path
// (block-wise reassembly keeps room for them). Bounded by the registrations themselves.
import type { Registration } from '../lwm2m/Registration.js';

/** The peer of every live registration. */
export class KnownPeers {
  private readonly peerOf = new Map<string, string>();
  private readonly idOf = new Map<string, string>();

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
