// RFC 7252 section 4.5: duplicate detection. A message ID from a peer is remembered for
// EXCHANGE_LIFETIME (CON) or NON_LIFETIME (NON); a duplicate CON gets the same reply again, a
// duplicate whose reply is not ready yet (and any duplicate NON) is ignored.
//
// Memory layout (the cache is on the hot path of a server at tens of thousands of requests/s):
// entries live in a ring of parallel typed arrays, in arrival order, which is also expiry order
// for equal lifetimes; a SlotTable (flat open-addressing hash) finds them. The message layer's
// keys are numbers (PeerIndex: `peerIndex * 65536 + mid`), so an entry is no heap object at all.
// Reply bytes live in one byte arena written round-robin; an entry points at its reply by
// absolute arena position, so a reply overwritten by newer ones is detected without bookkeeping.
//
// Per-entry estimate (ENTRY_BYTES_ESTIMATE = 80, measured in test/coap/dedupCache.test.ts):
//   ring slots: key 8 + expiry f64 8 + reply position f64 8 + reply length i32 4 +
//   token fingerprint i32 4 + state u8 1 = 33; SlotTable at 25-50% load: 24-48;
//   a string key (tests only) adds its own ~40-56 bytes but the table is then preallocated.
// The token fingerprint tells a retransmission (same MID, same token) from a new message whose
// sender reused the MID too early (a load generator past 65 536 messages per EXCHANGE_LIFETIME):
// the latter is treated as new instead of getting another exchange's reply.
// Stored reply bytes come on top, inside the arena. Both parts count against `maxBytes`.
import type { Clock } from './Clock.js';
import { SlotTable, type SlotKey } from './SlotTable.js';

/** What the cache knows about a message ID. */
export const DedupState = {
  /** Not seen before (the call has now remembered it, with no reply yet). */
  NEW: 0,
  /** Seen, no reply decided yet: ignore the duplicate. */
  PENDING: 1,
  /** Seen and answered: replay the stored reply bytes (see `replay`). */
  REPLY: 2,
  /** Seen and answered with an empty ACK: send an empty ACK with the same MID again. */
  EMPTY_ACK: 3,
  /** Seen and answered with a Reset: send the RST again. */
  RESET: 4,
  /** Seen, and duplicates need no answer (NON messages). */
  IGNORE: 5,
} as const;
/** One of the DedupState values. */
export type DedupState = (typeof DedupState)[keyof typeof DedupState];

/** A message key: the message layer's numeric (peer, MID) key, or any string. */
export type DedupKey = SlotKey;

/** Estimated bytes one remembered message ID costs, not counting its stored reply. */
export const ENTRY_BYTES_ESTIMATE = 80;

/** Limits of a DedupCache. */
export interface DedupCacheOptions {
  /** Cap on the estimated bytes (entries + reply arena), half for each. Default 64 MiB. */
  readonly maxBytes: number;
}

const INITIAL_CAPACITY = 256;

/** A 32-bit hash of a token and its length, stored to tell a reused MID from a retransmission. */
export function tokenFingerprint(token: Uint8Array): number {
  let h = token.length;
  for (let i = 0; i < token.length; i++) h = (Math.imul(h, 31) + token[i]!) | 0;
  return h;
}
const INITIAL_ARENA = 64 * 1024;

/** Compact, byte-bounded duplicate detection keyed by (peer, MID); oldest entries go first. */
export class DedupCache {
  private readonly map = new SlotTable();
  private readonly maxEntries: number;
  private readonly maxArena: number;
  private cap = INITIAL_CAPACITY;
  private head = 0;
  private count = 0;
  private keys: (DedupKey | undefined)[] = new Array<DedupKey | undefined>(INITIAL_CAPACITY);
  private expires = new Float64Array(INITIAL_CAPACITY);
  private replyAt = new Float64Array(INITIAL_CAPACITY);
  private replyLen = new Int32Array(INITIAL_CAPACITY);
  private tokenFps = new Int32Array(INITIAL_CAPACITY);
  private states = new Uint8Array(INITIAL_CAPACITY);
  private arena: Uint8Array;
  private arenaWrite = 0;

  constructor(
    private readonly clock: Clock,
    options: Partial<DedupCacheOptions> = {},
  ) {
    const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    this.maxEntries = Math.max(16, Math.floor(maxBytes / 2 / ENTRY_BYTES_ESTIMATE));
    this.maxArena = Math.max(1024, Math.floor(maxBytes / 2));
    this.arena = new Uint8Array(Math.min(INITIAL_ARENA, this.maxArena));
  }

  /** Number of remembered message IDs (some may be expired but not yet swept). */
  get size(): number {
    return this.count;
  }

  /** Most entries the byte cap allows. */
  get capacity(): number {
    return this.maxEntries;
  }

  /** Estimated bytes in use: entries at ENTRY_BYTES_ESTIMATE each plus the reply arena. */
  get estimatedBytes(): number {
    return this.count * ENTRY_BYTES_ESTIMATE + this.arena.length;
  }

  /**
   * Looks `key` up; when unknown, expired or seen with another token fingerprint (see
   * `tokenFingerprint`), remembers it for `lifetimeMs` and returns NEW. `now` is the clock's
   * time, passed on by a caller that has just read it.
   */
  check(key: DedupKey, lifetimeMs: number, tokenFp = 0, now = this.clock.now()): DedupState {
    this.expireHead(now);
    const slot = this.map.get(key);
    if (slot >= 0 && this.expires[slot]! > now && this.tokenFps[slot] === tokenFp)
      return this.states[slot] as DedupState;
    if (this.count >= this.maxEntries) this.evictHead();
    else if (this.count === this.cap) this.grow();
    const s = (this.head + this.count) & (this.cap - 1);
    this.keys[s] = key;
    this.expires[s] = now + lifetimeMs;
    this.states[s] = DedupState.PENDING;
    this.replyLen[s] = 0;
    this.tokenFps[s] = tokenFp;
    this.map.set(key, s);
    this.count++;
    return DedupState.NEW;
  }

  /** Records the outcome for `key`: EMPTY_ACK, RESET, IGNORE or PENDING (no bytes needed). */
  setState(key: DedupKey, state: DedupState): void {
    const slot = this.map.get(key);
    if (slot >= 0) this.states[slot] = state;
  }

  /** Stores the reply bytes (an ACK, usually piggybacking a response) to replay for duplicates. */
  setReply(key: DedupKey, bytes: Uint8Array): void {
    const slot = this.map.get(key);
    if (slot < 0) return;
    if (bytes.length > this.maxArena / 4) {
      this.states[slot] = DedupState.IGNORE; // too large to keep; a duplicate is then ignored
      return;
    }
    let pos = this.arenaWrite % this.arena.length;
    if (pos + bytes.length > this.arena.length) {
      if (this.arena.length < this.maxArena) {
        this.growArena(bytes.length);
        pos = this.arenaWrite;
      } else {
        this.arenaWrite += this.arena.length - pos; // skip the tail and wrap around
        pos = 0;
      }
    }
    this.arena.set(bytes, pos);
    this.replyAt[slot] = this.arenaWrite;
    this.replyLen[slot] = bytes.length;
    this.arenaWrite += bytes.length;
    this.states[slot] = DedupState.REPLY;
  }

  /** A copy of the stored reply for `key`, or undefined when none is stored or it was overwritten. */
  replay(key: DedupKey): Uint8Array | undefined {
    const slot = this.map.get(key);
    if (slot < 0 || this.states[slot] !== DedupState.REPLY) return undefined;
    const at = this.replyAt[slot]!;
    // Intact while no later write reached the same arena bytes again.
    if (this.arenaWrite > at + this.arena.length) return undefined;
    const pos = at % this.arena.length;
    return this.arena.slice(pos, pos + this.replyLen[slot]!);
  }

  /** Forgets everything. */
  clear(): void {
    this.map.clear();
    this.keys.fill(undefined);
    this.head = 0;
    this.count = 0;
  }

  private expireHead(now: number): void {
    while (this.count > 0 && this.expires[this.head]! <= now) this.evictHead();
  }

  private evictHead(): void {
    const h = this.head;
    const key = this.keys[h]!;
    if (this.map.get(key) === h) this.map.delete(key);
    this.keys[h] = undefined;
    this.head = (h + 1) & (this.cap - 1);
    this.count--;
  }

  /**
   * Doubles the full ring (up to the cap rounded up to a power of two). The head stays where it
   * is: entries from the head to the old end keep their slots, and only the wrapped ones (slots
   * 0 .. head-1) move, to just past the old end, so the table is updated for those alone.
   */
  private grow(): void {
    const old = this.cap;
    const cap = old * 2;
    const head = this.head;
    const keys = new Array<DedupKey | undefined>(cap);
    for (let i = head; i < old; i++) keys[i] = this.keys[i];
    const widen = <T extends Float64Array | Int32Array | Uint8Array>(from: T, to: T): T => {
      to.set(from.subarray(head, old), head);
      to.set(from.subarray(0, head), old);
      return to;
    };
    this.expires = widen(this.expires, new Float64Array(cap));
    this.replyAt = widen(this.replyAt, new Float64Array(cap));
    this.replyLen = widen(this.replyLen, new Int32Array(cap));
    this.tokenFps = widen(this.tokenFps, new Int32Array(cap));
    this.states = widen(this.states, new Uint8Array(cap));
    for (let s = 0; s < head; s++) {
      const key = this.keys[s]!;
      keys[old + s] = key;
      if (this.map.get(key) === s) this.map.set(key, old + s);
    }
    this.keys = keys;
    this.cap = cap;
  }

  /** Doubles the arena (up to maxArena) and compacts the live replies to its start. */
  private growArena(needed: number): void {
    let size = this.arena.length * 2;
    while (size < needed * 2 && size < this.maxArena) size *= 2;
    const next = new Uint8Array(Math.min(size, this.maxArena));
    let write = 0;
    for (let i = 0; i < this.count; i++) {
      const s = (this.head + i) & (this.cap - 1);
      if (this.states[s] !== DedupState.REPLY) continue;
      const at = this.replyAt[s]!;
      const len = this.replyLen[s]!;
      if (this.arenaWrite > at + this.arena.length || write + len > next.length) {
        this.states[s] = DedupState.IGNORE; // already overwritten (or no room): ignore duplicates
        continue;
      }
      const pos = at % this.arena.length;
      next.set(this.arena.subarray(pos, pos + len), write);
      this.replyAt[s] = write;
      write += len;
    }
    this.arena = next;
    this.arenaWrite = write;
  }
}
