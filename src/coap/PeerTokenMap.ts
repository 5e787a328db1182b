// RFC 7252 section 5.3.2: responses match requests by (peer, token). This map keys by peer and
// then by token as a number (tokens of up to 6 bytes; longer ones as hex), so matching a
// response builds no `peerKey#tokenHex` string per request as a single flat Map would.
import { toHex } from './tokens.js';

/** A map key for a token: its length and bytes as one number up to 6 bytes, else lower-case hex. */
export function tokenKey(token: Uint8Array): number | string {
  if (token.length > 6) return toHex(token);
  let v = 0;
  for (let i = 0; i < token.length; i++) v = v * 256 + token[i]!;
  return token.length * 2 ** 48 + v; // the length keeps [0, 1] apart from [1]; below 2^53
}

/** Values by (peer key, token). */
export class PeerTokenMap<V> {
  private readonly byPeer = new Map<string, Map<number | string, V>>();
  private count = 0;

  /** Number of values. */
  get size(): number {
    return this.count;
  }

  /** The value for `token` at the peer `peerKey`, if any. */
  get(peerKey: string, token: Uint8Array): V | undefined {
    return this.byPeer.get(peerKey)?.get(tokenKey(token));
  }

  /** Whether a value is stored for `token` at `peerKey`. */
  has(peerKey: string, token: Uint8Array): boolean {
    return this.byPeer.get(peerKey)?.has(tokenKey(token)) ?? false;
  }

  /** Stores `value` for `token` at `peerKey`. */
  set(peerKey: string, token: Uint8Array, value: V): void {
    let tokens = this.byPeer.get(peerKey);
    if (!tokens) this.byPeer.set(peerKey, (tokens = new Map()));
    const key = tokenKey(token);
    if (!tokens.has(key)) this.count++;
    tokens.set(key, value);
  }

  /** Removes the entry for `token` at `peerKey` if its value is `value`; true if it did. */
  deleteIf(peerKey: string, token: Uint8Array, value: V): boolean {
    const tokens = this.byPeer.get(peerKey);
    const key = tokenKey(token);
    if (tokens?.get(key) !== value) return false;
    tokens.delete(key);
    if (tokens.size === 0) this.byPeer.delete(peerKey);
    this.count--;
    return true;
  }

  /** A snapshot of every value. */
  values(): V[] {
    const out: V[] = [];
    for (const tokens of this.byPeer.values()) for (const v of tokens.values()) out.push(v);
    return out;
  }
}
