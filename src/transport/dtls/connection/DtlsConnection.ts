// One established DTLS association (RFC 6347 4.1) as the transport sees it: a short-lived handle
// to a slot of the ConnectionSlab (made per lookup, never kept), over the peer as delivered to
// CoAP (address, port, PSK identity, and a key fixed when the connection was made, so it stays
// the same once Connection ID lets the address change), the epoch-1 record state, and for a
// while the handshake that made it, so a repeat of the peer's last flight still gets our final
// flight again (4.2.4) until the peer proves it has it (its first application record) or time
// runs out. Releasing that handshake stores the record state compactly (compactRecords.ts).
//
// With a CID we issued, the key is `dtls-cid:<hex>` rather than the first address, so a NAT that
// later hands that address to another device cannot collide with it.
//
// The delivered and inner `Peer` objects are built on demand; a small direct-mapped cache keeps
// those of recently active slots, so a busy connection does not build them per record.

import type { DtlsTimer } from '../DtlsClock.js';
import type { HandshakeBase } from '../handshake/HandshakeBase.js';
import type { DtlsRecord } from '../record/RecordCodec.js';
import type { OpenedRecord } from '../record/RecordProtection.js';
import { peerFamily, type Peer } from '../../Peer.js';
import { peerIdentityOf, type StoredIdentity } from './storedIdentity.js';
import { isNewestCompact, openCompact, sealCompact, storeCompact } from './compactRecords.js';
import {
  Flag,
  Int,
  KEYS_LENGTH,
  PEER_CACHE_SIZE,
  type CachedPeers,
  type ConnectionSlab,
} from './ConnectionSlab.js';

/** Prefix of the key of a connection with a CID we issued. */
export const CID_KEY_PREFIX = 'dtls-cid:';

/** A handle to an established connection. */
export class DtlsConnection {
  constructor(
    private readonly slab: ConnectionSlab,
    /** The connection's slot. */
    readonly slot: number,
    /** The slot's generation when the handle was made. */
    private readonly gen: number,
  ) {}

  /** True while the connection is in the table. */
  get alive(): boolean {
    return this.slab.isLive(this.slot, this.gen);
  }

  /** The CID we issued (hex), when the connection uses one. */
  get cidKey(): string | undefined {
    const s = this.slab;
    if ((s.int[this.slot * Int.stride + Int.flags]! & Flag.ownCid) === 0) return undefined;
    const at = this.slot * s.byteStride + KEYS_LENGTH;
    return s.bytes.toString('hex', at, at + s.cidLength);
  }

  /** The key of the delivered peer: fixed for the connection's life. */
  get key(): string {
    return this.peer.key;
  }

  /** `address|port` the peer sends from now. */
  get addressKey(): string {
    return this.slab.address[this.slot]!;
  }

  /** The identity the handshake authenticated (a string: a PSK identity). */
  get identity(): StoredIdentity {
    return this.slab.identity[this.slot]!;
  }

  /** The peer handed to the application, identity included. */
  get peer(): Peer {
    return this.peers().peer;
  }

  /** Where records go on the inner transport. */
  get innerPeer(): Peer {
    return this.peers().inner;
  }

  /** The session this connection belongs to, if resumable (session/DtlsSessions.ts). */
  get sessionKey(): string | number | undefined {
    return this.slab.session[this.slot];
  }

  set sessionKey(key: string | number | undefined) {
    if (this.alive) this.slab.session[this.slot] = key;
  }

  /** True when `random` (a ClientHello's) is the one that made this connection: a late duplicate. */
  madeByHello(random: Uint8Array): boolean {
    const i = this.slot * Int.stride;
    const s = this.slab;
    if (random.length < 8 || (s.int[i + Int.flags]! & Flag.hello) === 0) return false;
    // its last 8 bytes, the random part (another client random matches with probability 2^-64)
    const tag = Buffer.from(random.buffer, random.byteOffset + random.length - 8, 8);
    return tag.readInt32BE(0) === s.int[i + Int.helloHigh] && tag.readInt32BE(4) === s.int[i + Int.helloLow];
  }

  /** True when `record` (not yet opened) is newer than every epoch-1 record authenticated so far. */
  isNewest(record: DtlsRecord): boolean {
    const keys = this.slab.extra[this.slot]?.keys;
    return keys ? keys.isNewest(record) : isNewestCompact(this.slab, this.slot, record);
  }

  /** The content of a received record, or undefined to drop it (EpochKeys.open). */
  open(record: DtlsRecord): OpenedRecord | undefined {
    if (!this.alive) return undefined;
    const keys = this.slab.extra[this.slot]?.keys;
    return keys ? keys.open(record) : openCompact(this.slab, this.slot, record);
  }

  /** One epoch-1 record of `type` carrying `content`. */
  seal(type: number, content: Uint8Array): Uint8Array {
    if (!this.alive) throw new Error('connection ended');
    const keys = this.slab.extra[this.slot]?.keys;
    return keys ? keys.seal(1, type, content) : sealCompact(this.slab, this.slot, type, content);
  }

  /** Keeps `handshake` for resends until `release` (or the timer set by the caller). */
  retain(handshake: HandshakeBase, timer: DtlsTimer): void {
    const extra = this.alive ? this.slab.extra[this.slot] : undefined;
    if (!extra) {
      timer.cancel();
      return;
    }
    extra.handshake = handshake;
    extra.timer = timer;
  }

  /** The retained handshake, if still kept. */
  get retained(): HandshakeBase | undefined {
    return this.alive ? this.slab.extra[this.slot]?.handshake : undefined;
  }

  /**
   * Forgets the handshake (and its final flight) and stores the record state compactly when it
   * can be (EpochKeys.compactState); otherwise the EpochKeys object stays.
   */
  release(): void {
    if (!this.alive) return;
    const extra = this.slab.extra[this.slot];
    if (!extra) return;
    extra.timer?.cancel();
    extra.handshake?.dispose();
    extra.timer = undefined;
    extra.handshake = undefined;
    const keys = extra.keys;
    const state = keys?.compactState();
    // a CID of ours the slab does not hold (a client that asked for one) stays with its EpochKeys
    const ownCidHeld = (this.slab.int[this.slot * Int.stride + Int.flags]! & Flag.ownCid) !== 0;
    if (!state || (keys!.ownCid.length > 0 && !ownCidHeld)) return;
    storeCompact(this.slab, this.slot, state);
    this.slab.extra[this.slot] = undefined;
  }

  private peers(): CachedPeers {
    const cache = this.slab.peerCache;
    const i = this.slot & (PEER_CACHE_SIZE - 1);
    const address = this.slab.address[this.slot]!;
    const hit = cache[i];
    if (hit?.slot === this.slot && hit.gen === this.gen && hit.address === address) return hit;
    const bar = address.lastIndexOf('|');
    const host = address.slice(0, bar);
    const port = Number(address.slice(bar + 1));
    // Literals in makePeer's property order (the same hidden classes as every other Peer), not
    // spreads: on Node 20 a spread then a property is a slow path, and this runs per record sent
    // or received by a connection whose peers are not cached (issue 17).
    const family = peerFamily(host);
    const inner: Peer = { address: host, port, family, key: address };
    const cid = this.cidKey;
    const peer: Peer = {
      address: host,
      port,
      family,
      key: cid === undefined ? address : CID_KEY_PREFIX + cid,
      identity: peerIdentityOf(this.identity),
    };
    const entry = { slot: this.slot, gen: this.gen, address, peer, inner };
    cache[i] = entry;
    return entry;
  }
}
