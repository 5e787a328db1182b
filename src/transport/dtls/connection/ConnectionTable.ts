// Established DTLS connections, bounded (research/dtls.md 3.1, Scandium's connection store): kept
// in least-recently-active order, and when full only a *stale* connection (no record from its
// peer for `staleAfterMs`) may be evicted to make room, so a flood of new handshakes can never
// push live devices out. The state itself sits in a ConnectionSlab (struct of arrays, a few
// hundred bytes per connection); lookups hand out short-lived DtlsConnection handles to a slot.
//
// The order is coarse: `touch` (every authenticated record) moves a slot to the back only when
// it was last placed there `reorderMs` ago or more (1 s, or 1/16 of `staleAfterMs` if shorter),
// otherwise it just writes the time; eviction may pick a connection up to `reorderMs` less idle
// than the least recently active one, never a live one.
//
// Two indexes find the connection a record belongs to (research/dtls.md 7): the CID we issued
// (RFC 9146: a tls12_cid record may come from any address) and the peer's current address
// (records without CID, handshake repeats, sends to an address key). A connection's key is
// `dtls-cid:<hex>` with a CID (fixed for its life) or its address. A new connection at an address
// replaces the one there; a connection that moves to an address (`moveTo`) takes the index over,
// and one without CID keyed by that address goes (its address now belongs to another peer).

import type { Peer } from '../../Peer.js';
import type { DtlsClock } from '../DtlsClock.js';
import type { EpochKeys } from '../record/EpochKeys.js';
import { cidHex } from './CidIssuer.js';
import { ConnectionSlab, Flag, Int, KEYS_LENGTH, Num } from './ConnectionSlab.js';
import { CID_KEY_PREFIX, DtlsConnection } from './DtlsConnection.js';
import type { StoredIdentity } from './storedIdentity.js';

/** What a completed handshake hands to the table. */
export interface NewConnection {
  /** `address|port` of the peer (the inner transport's peer key). */
  readonly addressKey: string;
  /** The identity the handshake authenticated. */
  readonly identity: StoredIdentity;
  /** The handshake's record state (stored compactly once the handshake is released). */
  readonly keys: EpochKeys;
  /** The CID we issued (empty: none; the connection is keyed by its address). */
  readonly ownCid: Uint8Array;
  /** Server: the ClientHello.random of the handshake, to spot a late duplicate of it. */
  readonly helloRandom?: Uint8Array;
}

/** A bounded, activity-ordered table of connections with stale-only eviction. */
export class ConnectionTable {
  readonly slab: ConnectionSlab;
  private readonly byAddress = new Map<string, number>();
  private readonly byCid = new Map<string, number>();
  private count = 0;
  /** How old a placing must be for `touch` to move the slot to the back again. */
  private readonly reorderMs: number;

  constructor(
    private readonly max: number,
    private readonly staleAfterMs: number,
    private readonly clock: DtlsClock,
    /** Length of the CIDs issued (0: none). */
    cidLength = 0,
  ) {
    if (!(max >= 1)) throw new RangeError(`maxConnections must be at least 1, got ${max}`);
    this.reorderMs = Math.min(1_000, staleAfterMs / 16);
    this.slab = new ConnectionSlab(cidLength);
  }

  get size(): number {
    return this.count;
  }

  /** The connection whose peer sends from `addressKey` (`address|port`). */
  getByAddress(addressKey: string): DtlsConnection | undefined {
    const slot = this.byAddress.get(addressKey);
    return slot === undefined ? undefined : this.handle(slot);
  }

  /** The connection that was issued the CID `cidKey` (hex). */
  getByCid(cidKey: string): DtlsConnection | undefined {
    const slot = this.byCid.get(CID_KEY_PREFIX + cidKey);
    return slot === undefined ? undefined : this.handle(slot);
  }

  /** The connection that was issued `cid` (a received record's). */
  getByCidBytes(cid: Uint8Array): DtlsConnection | undefined {
    const slot = this.byCid.get(cidPeerKeyOf(cid));
    return slot === undefined ? undefined : this.handle(slot);
  }

  /** The connection a peer key names: `dtls-cid:<hex>` by its CID, anything else by address. */
  get(peerKey: string): DtlsConnection | undefined {
    // the CID index is keyed by the whole peer key: a send finds it without cutting the string
    const slot = (this.byCid.size > 0 ? this.byCid.get(peerKey) : undefined) ?? this.byAddress.get(peerKey);
    return slot === undefined ? undefined : this.handle(slot);
  }

  /** True when a connection holds the CID `cidKey` (hex). */
  hasCid(cidKey: string): boolean {
    return this.byCid.has(CID_KEY_PREFIX + cidKey);
  }

  /** The peer key (`dtls-cid:<hex>`) of the connection in `slot` if it has a CID, as indexed. */
  cidPeerKey(slot: number): string | undefined {
    if ((this.slab.int[slot * Int.stride + Int.flags]! & Flag.ownCid) === 0) return undefined;
    const at = slot * this.slab.byteStride + KEYS_LENGTH;
    return CID_KEY_PREFIX + this.slab.bytes.toString('hex', at, at + this.slab.cidLength);
  }

  /** Every connection, least recently active first. */
  values(): DtlsConnection[] {
    const all: DtlsConnection[] = [];
    for (let s = this.slab.head; s !== -1; s = this.slab.nextOf(s)) all.push(this.handle(s));
    return all;
  }

  /** True when a connection could be added (room, a stale one to evict, or one it replaces). */
  hasRoom(addressKey?: string): boolean {
    return (
      (addressKey !== undefined && this.byAddress.has(addressKey)) ||
      this.count < this.max ||
      this.oldestStale() !== -1
    );
  }

  /**
   * Adds a connection, replacing the one at its address (RFC 6347 4.2.8: a client that started
   * over) or evicting a stale one when full; undefined when the table is full of live ones.
   */
  add(c: NewConnection): DtlsConnection | undefined {
    const same = this.byAddress.get(c.addressKey);
    if (same !== undefined) this.remove(same);
    else if (this.count >= this.max) {
      const stale = this.oldestStale();
      if (stale === -1) return undefined;
      this.remove(stale);
    }
    const slab = this.slab;
    const slot = slab.allocate();
    const now = Math.floor(this.clock.now());
    const n = slot * Num.stride;
    slab.num[n + Num.lastActivity] = now;
    slab.num[n + Num.listedAt] = now;
    slab.num[n + Num.highest] = -1;
    const addressKey = flat(c.addressKey);
    slab.address[slot] = addressKey;
    slab.identity[slot] = c.identity;
    slab.extra[slot] = { keys: c.keys };
    const i = slot * Int.stride;
    if (c.ownCid.length > 0) {
      if (c.ownCid.length !== slab.cidLength) throw new RangeError('CID of another length than issued');
      slab.bytes.set(c.ownCid, slot * slab.byteStride + KEYS_LENGTH);
      slab.int[i + Int.flags]! |= Flag.ownCid;
      this.byCid.set(flat(CID_KEY_PREFIX + cidHex(c.ownCid)), slot);
    }
    if (c.helloRandom !== undefined && c.helloRandom.length >= 8) {
      const r = c.helloRandom;
      const tag = Buffer.from(r.buffer, r.byteOffset + r.length - 8, 8);
      slab.int[i + Int.helloHigh] = tag.readInt32BE(0);
      slab.int[i + Int.helloLow] = tag.readInt32BE(4);
      slab.int[i + Int.flags]! |= Flag.hello;
    }
    this.byAddress.set(addressKey, slot);
    slab.append(slot);
    this.count++;
    return this.handle(slot);
  }

  /** Removes `conn` (and releases what it kept) if it is still in the table. */
  delete(conn: DtlsConnection): void {
    if (conn.alive) this.remove(conn.slot);
  }

  /** Marks `conn` active now (and moves it to the most recent end unless it was moved lately). */
  touch(conn: DtlsConnection): void {
    if (!conn.alive) return;
    const slot = conn.slot;
    const n = slot * Num.stride;
    const now = Math.floor(this.clock.now()); // whole ms
    this.slab.num[n + Num.lastActivity] = now;
    if (now - this.slab.num[n + Num.listedAt]! < this.reorderMs) return;
    this.slab.unlink(slot);
    this.slab.append(slot);
    this.slab.num[n + Num.listedAt] = now;
  }

  /** Follows `conn`'s peer to the address of `from` (RFC 9146 section 6); the key stays. */
  moveTo(conn: DtlsConnection, from: Peer): void {
    if (!conn.alive) return;
    const slot = conn.slot;
    const old = this.slab.address[slot]!;
    if (this.byAddress.get(old) === slot) this.byAddress.delete(old);
    const there = this.byAddress.get(from.key);
    // a connection without CID keyed by that address: the address is another peer's now
    if (
      there !== undefined &&
      there !== slot &&
      (this.slab.int[there * Int.stride + Int.flags]! & Flag.ownCid) === 0
    )
      this.remove(there);
    const addressKey = flat(from.key);
    this.slab.address[slot] = addressKey;
    this.byAddress.set(addressKey, slot);
  }

  /** A handle to `slot` (live). */
  private handle(slot: number): DtlsConnection {
    return new DtlsConnection(this.slab, slot, this.slab.int[slot * Int.stride + Int.gen]!);
  }

  private remove(slot: number): void {
    const slab = this.slab;
    const address = slab.address[slot]!;
    if (this.byAddress.get(address) === slot) this.byAddress.delete(address);
    const cidKey = this.cidPeerKey(slot);
    if (cidKey !== undefined && this.byCid.get(cidKey) === slot) this.byCid.delete(cidKey);
    const extra = slab.extra[slot];
    extra?.timer?.cancel();
    extra?.handshake?.dispose();
    slab.unlink(slot);
    slab.release(slot);
    this.count--;
  }

  /** The least recently active slot when it is stale, else -1. */
  private oldestStale(): number {
    const head = this.slab.head;
    if (head === -1) return -1;
    const idle = this.clock.now() - this.slab.num[head * Num.stride + Num.lastActivity]!;
    return idle >= this.staleAfterMs ? head : -1;
  }
}

const HEX = '0123456789abcdef';
/** Scratch for `cidPeerKeyOf`: the prefix, then room for a 255-byte CID in hex. */
const keyScratch = Buffer.alloc(CID_KEY_PREFIX.length + 2 * 255);
keyScratch.write(CID_KEY_PREFIX, 0, 'latin1');

/** `dtls-cid:<hex of cid>` as one flat string (a received record's lookup key: no rope to flatten). */
function cidPeerKeyOf(cid: Uint8Array): string {
  let at = CID_KEY_PREFIX.length;
  for (let i = 0; i < cid.length; i++) {
    keyScratch[at++] = HEX.charCodeAt(cid[i]! >> 4);
    keyScratch[at++] = HEX.charCodeAt(cid[i]! & 15);
  }
  return keyScratch.toString('latin1', 0, at);
}

/**
 * `s` as one flat string: an `address|port` key built by a template literal is a rope of three
 * strings (~90 B kept per connection) where a flat copy is ~35 B.
 */
function flat(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}
