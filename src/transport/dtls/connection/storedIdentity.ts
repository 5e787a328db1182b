// How connections keep the identity their handshake authenticated: a PSK identity as its bare
// string (the common case: no object per connection, which the memory budget of issue 13 counts),
// a raw public key or a certificate identity as its PeerIdentity object.

import type { PeerIdentity } from '../../Peer.js';

/** A PeerIdentity as a connection stores it: a string is a PSK identity. */
export type StoredIdentity = string | PeerIdentity;

/** The stored form of `identity`. */
export const storeIdentity = (identity: PeerIdentity): StoredIdentity =>
  identity.kind === 'psk' ? identity.identity : identity;

/** The PeerIdentity a stored identity stands for. */
export const peerIdentityOf = (stored: StoredIdentity): PeerIdentity =>
  typeof stored === 'string' ? { kind: 'psk', identity: stored } : stored;

/** True when `identity` is the one stored (same kind, same PSK identity, key or certificate subject). */
export function sameIdentity(identity: PeerIdentity, stored: StoredIdentity): boolean {
  if (typeof stored === 'string') return identity.kind === 'psk' && identity.identity === stored;
  switch (stored.kind) {
    case 'psk':
      return identity.kind === 'psk' && identity.identity === stored.identity;
    case 'rpk':
      return identity.kind === 'rpk' && Buffer.from(identity.publicKey).equals(stored.publicKey);
    case 'x509':
      return identity.kind === 'x509' && identity.subject === stored.subject;
  }
}
