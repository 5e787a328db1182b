// A server's resumable sessions (RFC 5246 7.3) in one byte slab: a server keeps one per full
// handshake, up to `maxSessions` (100 000 by default), so each is a fixed-size slot rather than
// a map entry, a key string and a packed string (~250 B of heap each, bench/dtls.ts):
//   bytes: session id after its first 4 bytes (28) | master secret (48) | SHA-256 of the PSK (32)
//          | suite (2)
//   expiresAt (Float64Array, 0: empty), identity (the PSK identity string).
// The session id is ours to choose (RFC 5246 7.4.1.2: an arbitrary byte sequence): its first 4
// bytes are the slot number, the other 28 are random, so a lookup needs no index; a hello naming
// a slot whose stored id differs (or any id of another length) finds nothing.
//
// Slots are handed out in ring order: the slot a new id gets is the least recently issued one,
// and storing into it evicts the session there (the oldest, counted) or an expired one. The slab
// grows by a quarter at a time up to `maxSessions` slots. Holds master secrets: never logged nor handed out,
// and zeroed when a session goes.

import { MASTER_SECRET_LENGTH } from '../handshake/KeySchedule.js';
import type { DtlsSession } from './DtlsSession.js';
import { SESSION_ID_LENGTH } from './DtlsSession.js';
import type { SessionCacheOptions } from './SessionCache.js';

const SLOT_BYTES = 4;
const TAIL_LENGTH = SESSION_ID_LENGTH - SLOT_BYTES;
const DIGEST_LENGTH = 32;
const MASTER_AT = TAIL_LENGTH;
const DIGEST_AT = MASTER_AT + MASTER_SECRET_LENGTH;
const SUITE_AT = DIGEST_AT + DIGEST_LENGTH;
const STRIDE = SUITE_AT + 2;
const INITIAL_SLOTS = 64;

/** Bounded, expiring store of server sessions, addressed by the slot in their id. */
export class ServerSessionSlab {
  private bytes = Buffer.alloc(0);
  private expiresAt = new Float64Array(0);
  private readonly identity: (string | undefined)[] = [];
  private capacity = 0;
  /** The next slot to issue an id for. */
  private cursor = 0;
  private count = 0;

  constructor(private readonly options: SessionCacheOptions) {
    if (!(options.maxEntries >= 0))
      throw new RangeError(`maxSessions must be >= 0, got ${options.maxEntries}`);
    if (!(options.lifetimeMs > 0))
      throw new RangeError(`sessionLifetimeMs must be > 0, got ${options.lifetimeMs}`);
  }

  /** Sessions held now (expired ones included until looked up or replaced). */
  get size(): number {
    return this.count;
  }

  /** A fresh session id: the next slot in ring order, then `random` bytes. */
  newId(random: (n: number) => Uint8Array): Uint8Array {
    const max = this.options.maxEntries;
    if (this.cursor >= this.capacity) {
      if (this.capacity < max)
        this.grow(Math.min(max, this.capacity + Math.max(INITIAL_SLOTS, this.capacity >> 2)));
      else this.cursor = 0;
    }
    const id = new Uint8Array(SESSION_ID_LENGTH);
    new DataView(id.buffer).setUint32(0, this.cursor);
    id.set(random(TAIL_LENGTH).subarray(0, TAIL_LENGTH), SLOT_BYTES);
    this.cursor++;
    return id;
  }

  /** The live session `id` names; an expired one is dropped (and counted). */
  find(id: Uint8Array): DtlsSession | undefined {
    const slot = this.slotOf(id);
    if (slot < 0) return undefined;
    if (this.options.clock.now() >= this.expiresAt[slot]!) {
      this.drop(slot, 'expired');
      return undefined;
    }
    const at = slot * STRIDE;
    const b = this.bytes;
    return {
      id: Uint8Array.from(id),
      master: Uint8Array.from(b.subarray(at + MASTER_AT, at + DIGEST_AT)),
      pskDigest: Uint8Array.from(b.subarray(at + DIGEST_AT, at + SUITE_AT)),
      suiteId: b.readUInt16BE(at + SUITE_AT),
      extendedMasterSecret: true,
      identity: this.identity[slot]!,
    };
  }

  /**
   * Stores `s` (an EMS session with its PSK digest, under an id from `newId`) in the slot its id
   * names; returns a reference for `forgetRef`, or undefined when it cannot be kept.
   */
  store(s: DtlsSession): number | undefined {
    if (this.options.maxEntries === 0 || s.id.length !== SESSION_ID_LENGTH) return undefined;
    if (s.master.length !== MASTER_SECRET_LENGTH || s.pskDigest?.length !== DIGEST_LENGTH) return undefined;
    const slot = Buffer.from(s.id.buffer, s.id.byteOffset, SLOT_BYTES).readUInt32BE(0);
    if (slot >= this.capacity) return undefined;
    if (this.expiresAt[slot]! > 0)
      this.drop(slot, this.options.clock.now() >= this.expiresAt[slot]! ? 'expired' : 'evicted');
    const at = slot * STRIDE;
    this.bytes.set(s.id.subarray(SLOT_BYTES), at);
    this.bytes.set(s.master, at + MASTER_AT);
    this.bytes.set(s.pskDigest, at + DIGEST_AT);
    this.bytes.writeUInt16BE(s.suiteId, at + SUITE_AT);
    // whole ms, rounded up
    this.expiresAt[slot] = Math.ceil(this.options.clock.now() + this.options.lifetimeMs);
    this.identity[slot] = s.identity;
    this.count++;
    return refOf(slot, this.bytes[at]!, this.bytes[at + 1]!);
  }

  /** The reference of the session `id` names, if held (a resumed connection's). */
  refOf(id: Uint8Array): number | undefined {
    const slot = this.slotOf(id);
    return slot < 0 ? undefined : refOf(slot, this.bytes[slot * STRIDE]!, this.bytes[slot * STRIDE + 1]!);
  }

  /** Forgets the session `id` names (a fatal alert, credentials gone). */
  forget(id: Uint8Array): void {
    const slot = this.slotOf(id);
    if (slot >= 0) this.drop(slot);
  }

  /** Forgets the session `store` returned `ref` for, if it is still there. */
  forgetRef(ref: number): void {
    const slot = Math.floor(ref / 4096);
    const at = slot * STRIDE;
    if (
      slot < this.capacity &&
      this.expiresAt[slot]! > 0 &&
      refOf(slot, this.bytes[at]!, this.bytes[at + 1]!) === ref
    )
      this.drop(slot);
  }

  /** Forgets every session of PSK `identity`; returns how many. */
  forgetIdentity(identity: string): number {
    let n = 0;
    for (let slot = 0; slot < this.capacity; slot++)
      if (this.expiresAt[slot]! > 0 && this.identity[slot] === identity) {
        this.drop(slot);
        n++;
      }
    return n;
  }

  /** The slot holding exactly the session `id`, or -1. */
  private slotOf(id: Uint8Array): number {
    if (id.length !== SESSION_ID_LENGTH) return -1;
    const slot = Buffer.from(id.buffer, id.byteOffset, SLOT_BYTES).readUInt32BE(0);
    if (slot >= this.capacity || !(this.expiresAt[slot]! > 0)) return -1;
    const at = slot * STRIDE;
    return this.bytes.compare(id, SLOT_BYTES, SESSION_ID_LENGTH, at, at + TAIL_LENGTH) === 0 ? slot : -1;
  }

  private drop(slot: number, reason?: 'evicted' | 'expired'): void {
    this.expiresAt[slot] = 0;
    this.identity[slot] = undefined;
    this.bytes.fill(0, slot * STRIDE, (slot + 1) * STRIDE);
    this.count--;
    if (reason) this.options.onDrop?.(reason);
  }

  private grow(to: number): void {
    const bytes = Buffer.alloc(to * STRIDE);
    this.bytes.copy(bytes);
    this.bytes.fill(0);
    const expiresAt = new Float64Array(to);
    expiresAt.set(this.expiresAt);
    this.bytes = bytes;
    this.expiresAt = expiresAt;
    this.capacity = to;
  }
}

/** A session's reference: its slot and 12 bits of its id (a reused slot rarely matches). */
function refOf(slot: number, a: number, b: number): number {
  return slot * 4096 + (((a << 8) | b) & 4095);
}
