// RFC 7252 section 5.3.2: responses match requests by (peer, token). One ValueTable keyed by
// `peerKey` + token (the token as one character for its length and one per byte): the entries
// come and go with every request, and a Map would keep finished exchanges reachable (see
// ValueTable.ts). The key is built three times per request (a fresh token's check, its entry,
// its removal) and once per notification: characters cost about 180 ns a key with its hash,
// where the token as a 2^48-scale number turned into decimal cost about 430 (issue 17).
import { ValueTable } from './ValueTable.js';

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

/** Values by (peer key, token). */
export class PeerTokenMap<V> {
  private readonly table = new ValueTable<V>();

  /** Number of values. */
  get size(): number {
    return this.table.size;
  }

  /** The value for `token` at the peer `peerKey`, if any. */
  get(peerKey: string, token: Uint8Array): V | undefined {
    return this.table.get(key(peerKey, token));
  }

  /** Whether a value is stored for `token` at `peerKey`. */
  has(peerKey: string, token: Uint8Array): boolean {
    return this.table.has(key(peerKey, token));
  }

  /** Stores `value` for `token` at `peerKey`. */
  set(peerKey: string, token: Uint8Array, value: V): void {
    this.table.set(key(peerKey, token), value);
  }

  /** Removes the entry for `token` at `peerKey` if its value is `value`; true if it did. */
  deleteIf(peerKey: string, token: Uint8Array, value: V): boolean {
    const k = key(peerKey, token);
    if (this.table.get(k) !== value) return false;
    return this.table.delete(k);
  }

  /** A snapshot of every value. */
  values(): V[] {
    return this.table.values();
  }
}

/** The table key. Peer keys (address|port) never contain '#', so the split point is unambiguous. */
function key(peerKey: string, token: Uint8Array): string {
  return peerKey + '#' + tokenKey(token);
}
