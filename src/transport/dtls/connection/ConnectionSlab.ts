// Storage of established connections as a struct of arrays (issue 13: DTLS state per connection):
// one slot per connection across a few typed arrays and four plain arrays, rather than a graph
// of objects per connection (connection, peer, identity, epoch keys, replay window, two record
// protections, key strings: ~1.1 KB of heap each at 100k, bench/dtls.ts; ~400 B now, sessions
// included).
//
// Per slot:
//   num   (Float64Array): epoch-1 write sequence, replay window's highest, last activity, listed at
//   int   (Int32Array):   replay mask low and high, ClientHello tag high and low, prev, next, gen,
//                         flags
//   bytes (Buffer):       write key (16) | write salt (4) | read key (16) | read salt (4) | our CID
//   address: the peer's `address|port` (the string the address index is keyed by)
//   identity: the identity the handshake authenticated (storedIdentity.ts: a PSK one as a string)
//   session: the connection's resumable session: a client's cache key or a server's slot reference
//            (session/DtlsSessions.ts)
//   extra: what only some connections need for a while: the handshake kept for final-flight
//          resends, an EpochKeys object when the state is not compact (CBC suites, a peer CID,
//          before the handshake is released)
// plus a cache of the Peer objects of up to PEER_CACHE_SIZE recently active slots (4096: about
// 1 MB at most; with 256, a server reading from 1 000 devices rebuilt two Peers per record).
// `prev`/`next` chain the live slots in least-recently-active order; free slots are chained by
// `next`. `gen` counts the reuses of a slot, so a handle to an ended connection does nothing.
// The arrays grow by a quarter (copying), from 64 slots, so at most a fifth of them is unused;
// they are not shrunk.

import type { Peer } from '../../Peer.js';
import type { DtlsTimer } from '../DtlsClock.js';
import type { HandshakeBase } from '../handshake/HandshakeBase.js';
import type { EpochKeys } from '../record/EpochKeys.js';
import type { StoredIdentity } from './storedIdentity.js';

/** Float64 fields of a slot. */
export const Num = { writeSeq: 0, highest: 1, lastActivity: 2, listedAt: 3, stride: 4 } as const;

/** Int32 fields of a slot. */
export const Int = {
  low: 0,
  high: 1,
  helloHigh: 2,
  helloLow: 3,
  prev: 4,
  next: 5,
  gen: 6,
  flags: 7,
  stride: 8,
} as const;

/** Flag bits of a slot. */
export const Flag = {
  live: 1,
  /** The connection uses a CID we issued (stored after the keys). */
  ownCid: 2,
  /** A ClientHello tag is kept. */
  hello: 4,
} as const;

/** Bytes of the key material of a compact slot: two directions of key (16) and salt (4). */
export const KEYS_LENGTH = 40;
/** Where a direction's key and salt start in a slot's bytes. */
export const WRITE_KEY_AT = 0;
export const READ_KEY_AT = 20;

/** The rarely present part of a connection. */
export interface SlotExtra {
  /** The record state while it is not compact (see above). */
  keys?: EpochKeys;
  /** The handshake kept for resends, and the timer that releases it. */
  handshake?: HandshakeBase;
  timer?: DtlsTimer;
}

/** The delivered and inner peers of a slot, built on demand and cached for busy slots. */
export interface CachedPeers {
  readonly slot: number;
  readonly gen: number;
  /** The address they were built for. */
  readonly address: string;
  readonly peer: Peer;
  readonly inner: Peer;
}

/** Entries of the peer cache (direct-mapped by slot). */
export const PEER_CACHE_SIZE = 4096;

const NONE = -1;
const INITIAL_SLOTS = 64;

/** The arrays, the free list and the activity order of established connections. */
export class ConnectionSlab {
  num = new Float64Array(INITIAL_SLOTS * Num.stride);
  int = new Int32Array(INITIAL_SLOTS * Int.stride);
  bytes: Buffer;
  readonly address: (string | undefined)[] = [];
  readonly identity: (StoredIdentity | undefined)[] = [];
  readonly session: (string | number | undefined)[] = [];
  readonly extra: (SlotExtra | undefined)[] = [];
  /** Peers of recently active slots (bounded: PEER_CACHE_SIZE entries; DtlsConnection.ts). */
  readonly peerCache: (CachedPeers | undefined)[] = [];
  /** Bytes per slot in `bytes`. */
  readonly byteStride: number;
  /** Least recently active live slot (NONE when empty) and most recently active one. */
  head = NONE;
  tail = NONE;
  private free = NONE;
  private capacity = 0;

  constructor(
    /** Length of the CIDs we issue (0: none). */
    readonly cidLength: number,
  ) {
    this.byteStride = KEYS_LENGTH + cidLength;
    this.bytes = Buffer.alloc(INITIAL_SLOTS * this.byteStride);
    this.grow(INITIAL_SLOTS);
  }

  /** A free slot, marked live (its fields zeroed), not yet in the activity order. */
  allocate(): number {
    if (this.free === NONE) this.grow(this.capacity + Math.max(INITIAL_SLOTS, this.capacity >> 2));
    const slot = this.free;
    const i = slot * Int.stride;
    this.free = this.int[i + Int.next]!;
    this.num.fill(0, slot * Num.stride, (slot + 1) * Num.stride);
    const gen = this.int[i + Int.gen]!;
    this.int.fill(0, i, i + Int.stride);
    this.int[i + Int.gen] = gen;
    this.int[i + Int.flags] = Flag.live;
    this.int[i + Int.prev] = NONE;
    this.int[i + Int.next] = NONE;
    return slot;
  }

  /** Returns `slot` (already unlinked) to the free list; handles to it go dead. */
  release(slot: number): void {
    const i = slot * Int.stride;
    this.int[i + Int.flags] = 0;
    this.int[i + Int.gen] = (this.int[i + Int.gen]! + 1) | 0;
    this.int[i + Int.next] = this.free;
    this.free = slot;
    this.address[slot] = undefined;
    this.identity[slot] = undefined;
    this.session[slot] = undefined;
    this.extra[slot] = undefined;
    this.bytes.fill(0, slot * this.byteStride, (slot + 1) * this.byteStride); // no key left behind
  }

  isLive(slot: number, gen: number): boolean {
    const i = slot * Int.stride;
    return (this.int[i + Int.flags]! & Flag.live) !== 0 && this.int[i + Int.gen] === gen;
  }

  /** Appends `slot` at the most recently active end. */
  append(slot: number): void {
    const i = slot * Int.stride;
    this.int[i + Int.prev] = this.tail;
    this.int[i + Int.next] = NONE;
    if (this.tail === NONE) this.head = slot;
    else this.int[this.tail * Int.stride + Int.next] = slot;
    this.tail = slot;
  }

  /** Takes `slot` out of the activity order. */
  unlink(slot: number): void {
    const i = slot * Int.stride;
    const prev = this.int[i + Int.prev]!;
    const next = this.int[i + Int.next]!;
    if (prev === NONE) this.head = next;
    else this.int[prev * Int.stride + Int.next] = next;
    if (next === NONE) this.tail = prev;
    else this.int[next * Int.stride + Int.prev] = prev;
  }

  /** The slot after `slot` in activity order, or -1. */
  nextOf(slot: number): number {
    return this.int[slot * Int.stride + Int.next]!;
  }

  private grow(to: number): void {
    const num = new Float64Array(to * Num.stride);
    num.set(this.num.subarray(0, this.capacity * Num.stride));
    const int = new Int32Array(to * Int.stride);
    int.set(this.int.subarray(0, this.capacity * Int.stride));
    const bytes = Buffer.alloc(to * this.byteStride);
    this.bytes.copy(bytes, 0, 0, this.capacity * this.byteStride);
    this.bytes.fill(0);
    this.num = num;
    this.int = int;
    this.bytes = bytes;
    // chain the new slots into the free list, lowest first
    for (let s = to - 1; s >= this.capacity; s--) {
      int[s * Int.stride + Int.next] = this.free;
      this.free = s;
    }
    this.capacity = to;
  }
}
