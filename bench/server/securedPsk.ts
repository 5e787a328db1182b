// The PSK credentials of the server benchmark's secured clients (benchmark values, not secrets):
// the server child puts them in its security store, the simulator's SecuredClients use them.
import { createHash } from 'node:crypto';

/** The endpoint name of secured client `i`. */
export const securedEndpoint = (i: number): string => `secure-${i}`;

/** PSK identity and 16-byte key of secured client `i`. */
export function securedPsk(i: number): { identity: string; key: Uint8Array } {
  const key = createHash('sha256').update(`lwm2m-ts bench psk ${i}`).digest().subarray(0, 16);
  return { identity: securedEndpoint(i), key: Uint8Array.from(key) };
}
