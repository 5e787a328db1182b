// Transport TS 1.1.1 section 5.2 (PSK mode) seen from a DTLS transport: the key a handshake asks
// for comes from a SecurityStore (PSK credentials only), and a write that takes an identity's
// credentials away or changes its key names the identity whose live connections must end.
// Shared by the server and the bootstrap server (roles never import each other).
import type { SecurityChange, SecurityStore } from './SecurityStore.js';

/** The PSK of `identity` in `store`, or undefined when no endpoint has PSK credentials with it. */
export async function pskOf(store: SecurityStore, identity: string): Promise<Uint8Array | undefined> {
  const info = await store.getByPskIdentity(identity);
  return info?.kind === 'psk' ? info.key : undefined;
}

/**
 * The PSK identity whose sessions `change` invalidates: the previous one when the endpoint lost
 * its PSK credentials, got another identity or another key; undefined when nothing was revoked
 * (a new endpoint, or a put of equal credentials).
 */
export function revokedPskIdentity(change: SecurityChange): string | undefined {
  const { previous, current } = change;
  if (previous?.kind !== 'psk') return undefined;
  if (
    current?.kind === 'psk' &&
    current.identity === previous.identity &&
    Buffer.from(current.key).equals(previous.key)
  )
    return undefined;
  return previous.identity;
}

/** Calls `revoke` with each PSK identity a write of `store` invalidates; returns the unsubscribe function. */
export function onRevokedPsk(store: SecurityStore, revoke: (identity: string) => void): () => void {
  return store.onChange((change) => {
    const identity = revokedPskIdentity(change);
    if (identity !== undefined) revoke(identity);
  });
}
