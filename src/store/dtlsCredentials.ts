// Transport TS 1.1.1 section 5.2 (PSK, RPK and certificate modes) seen from a DTLS server: the
// credentials its handshakes ask for come from a SecurityStore. A PSK identity gets the key of
// the endpoint that has it; a raw public key (RFC 7250) is admitted when an endpoint has it as
// RPK credentials. Which endpoint the peer may then act for is the Authorizer's check
// (lwm2m/checkUplinkIdentity.ts), on every uplink; when an endpoint's key or certificate
// credentials are removed or changed, its registered session is ended (onRevokedCertificate), as
// the transport does itself for PSK identities. Shared by the server and the bootstrap server.
import type { SecurityInfo } from '../lwm2m/SecurityInfo.js';
import type { DtlsServerCredentials } from '../transport/dtls/bindDtlsServer.js';
import type { Peer } from '../transport/Peer.js';
import { pskOf } from './pskCredentials.js';
import type { RegistrationStore } from './RegistrationStore.js';
import type { SecurityChange, SecurityStore } from './SecurityStore.js';

/** True when `spki` (a DER SubjectPublicKeyInfo) is the raw public key of an endpoint in `store`. */
export async function isKnownRawPublicKey(store: SecurityStore, spki: Uint8Array): Promise<boolean> {
  return (await store.getByPublicKey(spki))?.kind === 'rpk';
}

/** The handshake credentials of a DTLS server whose clients are those of `store`. */
export function dtlsCredentialsOf(store: SecurityStore): DtlsServerCredentials {
  return {
    pskFor: (identity) => pskOf(store, identity),
    knownRawPublicKey: (spki) => isKnownRawPublicKey(store, spki),
  };
}

/**
 * The RPK or X.509 credentials `change` revoked: the endpoint had a raw public key and now has
 * none or another one, or had X.509 credentials and now has none (or another kind); undefined
 * when nothing was revoked.
 */
export function revokedCertificateEndpoint(change: SecurityChange): SecurityInfo | undefined {
  const { previous, current } = change;
  if (previous?.kind === 'rpk') {
    const same = current?.kind === 'rpk' && Buffer.from(current.publicKey).equals(previous.publicKey);
    return same ? undefined : previous;
  }
  if (previous?.kind === 'x509') return current?.kind === 'x509' ? undefined : previous;
  return undefined;
}

/**
 * Ends the live session of an endpoint whose RPK or X.509 credentials a write of `store` revoked:
 * `disconnect` gets its registration's peer when that peer authenticated with the revoked key (or
 * a certificate, for X.509), so the device's next exchange needs a handshake with what is
 * configured now (PSK identities are handled by the transport itself: onRevokedPsk). Returns the
 * unsubscribe function.
 */
export function onRevokedCertificate(
  store: SecurityStore,
  registrations: Pick<RegistrationStore, 'getByEndpoint'>,
  disconnect: (peer: Peer) => Promise<void>,
): () => void {
  return store.onChange((change) => {
    const revoked = revokedCertificateEndpoint(change);
    if (!revoked) return;
    void registrations.getByEndpoint(revoked.endpoint).then(
      async (reg) => {
        const identity = reg?.peer.identity;
        const authenticatedWithIt =
          revoked.kind === 'rpk'
            ? identity?.kind === 'rpk' && Buffer.from(identity.publicKey).equals(revoked.publicKey)
            : identity?.kind === 'x509';
        if (reg && authenticatedWithIt) await disconnect(reg.peer);
      },
      () => undefined,
    );
  });
}
