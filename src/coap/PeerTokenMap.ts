// RFC 7252 section 5.3.2: responses match requests by (peer, token). Most entries live in a
// table keyed by the token alone, as a number (tokens of up to 6 bytes: this endpoint's own are
// 4), with the peer's key kept beside each entry and compared on lookup: no string is built or
// hashed per request or notification. Building `peerKey#token` and hashing its characters was
// about 9% of a server-initiated Read's CPU, a third of it in re-hashing the keys a delete
// shifts back (issue 17). An entry whose token another peer already holds in that table, and
// every entry with a longer token, goes to a second table keyed by `peerKey#token` text, which is
// consulted only while it holds anything. Both tables are ValueTable-like (see ValueTable.ts: a
// Map would keep finished exchanges reachable).
import { SlotTable } from './SlotTable.js';
import { ValueTable } from './ValueTable.js';

/** Tokens of up to this many bytes get a numeric key (length * 2^48 + value < 2^53). */
const NUMERIC_TOKEN_BYTES = 6;
const TWO_TO_48 = 2 ** 48;

/** A map key for a token: one character for its length (0..8), then one per byte. */
export function tokenKey(t: Uint8Array): string {
  switch (t.length) {
    case 0:
      return '\u0000';
    case 1:
      return String.fromCharCode(1, t[0]!);
    case 2:
      return String.fromCharCode(2, t[0]!, t[1]!);
    case 3:
      return String.fromCharCode(3, t[0]!, t[1]!, t[2]!);
    case 4:
      return String.fromCharCode(4, t[0]!, t[1]!, t[2]!, t[3]!);
    default:
      return String.fromCharCode(t.length, ...t);
  }
}

/** The numeric key of a token of at most NUMERIC_TOKEN_BYTES bytes (its length, then its bytes), else -1. */
export function tokenNumber(t: Uint8Array): number {
  const n = t.length;
  if (n > NUMERIC_TOKEN_BYTES) return -1;
  let v = 0;
  for (let i = 0; i < n; i++) v = v * 256 + t[i]!;
  return n * TWO_TO_48 + v;
}

/** Values by (peer key, token). */
export class PeerTokenMap<V> {
  /** Numeric token -> slot in `held` / `peerKeys`. */
  private readonly byToken = new SlotTable();
  private readonly held: (V | undefined)[] = [];
  private readonly peerKeys: (string | undefined)[] = [];
  private readonly free: number[] = [];
  /** Entries `byToken` cannot hold: a token held there by another peer, or longer than 6 bytes. */
  private readonly others = new ValueTable<V>();

  /** Number of values. */
  get size(): number {
    return this.byToken.size + this.others.size;
  }

  /** The value for `token` at the peer `peerKey`, if any. */
  get(peerKey: string, token: Uint8Array): V | undefined {
    const n = tokenNumber(token);
    if (n >= 0) {
      const slot = this.byToken.get(n);
      if (slot >= 0 && this.peerKeys[slot] === peerKey) return this.held[slot];
    }
    return this.others.size === 0 ? undefined : this.others.get(key(peerKey, token));
  }

  /** Whether a value is stored for `token` at `peerKey`. */
  has(peerKey: string, token: Uint8Array): boolean {
    return this.get(peerKey, token) !== undefined;
  }

  /**
   * Whether `token` is free for a new exchange with `peerKey` and, if it has a numeric key, held by
   * no other peer either (so the entry gets the numeric table: what a generated token is drawn until).
   */
  isFree(peerKey: string, token: Uint8Array): boolean {
    const n = tokenNumber(token);
    if (n >= 0 && this.byToken.get(n) >= 0) return false;
    return this.others.size === 0 || !this.others.has(key(peerKey, token));
  }

  /** Stores `value` (not undefined) for `token` at `peerKey`. */
  set(peerKey: string, token: Uint8Array, value: V): void {
    const n = tokenNumber(token);
    if (n >= 0) {
      const slot = this.byToken.get(n);
      if (slot >= 0 && this.peerKeys[slot] === peerKey) {
        this.held[slot] = value;
        return;
      }
      // The pair is in neither table, or in `others` (put there while another peer held the token).
      if (slot < 0 && (this.others.size === 0 || !this.others.has(key(peerKey, token)))) {
        const fresh = this.free.pop() ?? this.held.length;
        this.byToken.set(n, fresh);
        this.held[fresh] = value;
        this.peerKeys[fresh] = peerKey;
        return;
      }
    }
    this.others.set(key(peerKey, token), value);
  }

  /** Removes the entry for `token` at `peerKey` if its value is `value`; true if it did. */
  deleteIf(peerKey: string, token: Uint8Array, value: V): boolean {
    const n = tokenNumber(token);
    if (n >= 0) {
      const slot = this.byToken.get(n);
      if (slot >= 0 && this.peerKeys[slot] === peerKey) {
        if (this.held[slot] !== value) return false;
        this.byToken.delete(n);
        this.held[slot] = undefined;
        this.peerKeys[slot] = undefined;
        this.free.push(slot);
        return true;
      }
    }
    if (this.others.size === 0) return false;
    const k = key(peerKey, token);
    if (this.others.get(k) !== value) return false;
    return this.others.delete(k);
  }

  /** A snapshot of every value. */
  values(): V[] {
    const out = this.others.values();
    for (const v of this.held) if (v !== undefined) out.push(v);
    return out;
  }
}

/** The text key of `others`. Peer keys (address|port) never contain '#', so the split point is unambiguous. */
function key(peerKey: string, token: Uint8Array): string {
  return peerKey + '#' + tokenKey(token);
}
