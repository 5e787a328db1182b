// RFC 7252 section 5.3.1: tokens, generated from the injected random source (the exchange layer
// draws until one is unique among the exchanges outstanding with the peer; see PeerTokenMap).
import type { RandomSource } from './Clock.js';

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Lower-case hex of `bytes` (table driven: this runs for every response received). */
export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i]!]!;
  return s;
}

/** The exchange key of `token` at the peer whose key is `peerKey`. */
export const exchangeKey = (peerKey: string, token: Uint8Array): string => peerKey + '#' + toHex(token);

/** `length` (1..8) random bytes drawn from `random`. */
export function randomToken(random: RandomSource, length: number): Uint8Array {
  const t = new Uint8Array(length);
  for (let i = 0; i < length; i++) t[i] = Math.floor(random() * 256) & 0xff;
  return t;
}
