// Device simulator (issue 5 item 6): a small seeded pseudo-random source (the mulberry32
// generator, a public-domain 32-bit mixing function) so that simulated values are reproducible.
import type { RandomSource } from '../../coap/Clock.js';

/** A deterministic RandomSource in [0, 1) seeded by a 32-bit integer. Not for cryptography. */
export function seededRandom(seed: number): RandomSource {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
