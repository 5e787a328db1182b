// RFC 7252 section 5.3.2: responses match requests by (peer, token). One ValueTable keyed by
// `peerKey` + token (tokens of up to 6 bytes as a number, longer ones as hex): the entries come and
// go with every request, and a Map would keep finished exchanges reachable (see ValueTable.ts).
import { toHex } from './tokens.js';
import { ValueTable } from './ValueTable.js';

/** A map key for a token: its length and bytes as one number up to 6 bytes, else lower-case hex. */
export function tokenKey(token: Uint8Array): number | string {
  if (token.length > 6) return toHex(token);
  let v = 0;
  for (let i = 0; i < token.length; i++) v = v * 256 + token[i]!;
  return token.length * 2 ** 48 + v; // the length keeps [0, 1] apart from [1]; below 2^53
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

/**
 * The table key. Peer keys (address|port) never contain '#', so the split point is unambiguous;
 * 'x' marks a hex (long) token so it can never read as a short token's number.
 */
function key(peerKey: string, token: Uint8Array): string {
  const t = tokenKey(token);
  return typeof t === 'number' ? peerKey + '#' + t : peerKey + '#x' + t;
}
