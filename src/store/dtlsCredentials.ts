// Transport TS 1.1.1 section 5.2 (PSK, RPK and certificate modes) seen from a DTLS server: the
// credentials its handshakes ask for come from a SecurityStore. A PSK identity gets the key of
// the endpoint that has it; a raw public key (RFC 7250) is admitted when an endpoint has it as
// RPK credentials. Which endpoint the peer may then act for is the Authorizer's check
// (lwm2m/checkUplinkIdentity.ts), on every uplink. Shared by the server and the bootstrap server.
import type { DtlsServerCredentials } from '../transport/dtls/bindDtlsServer.js';
import { pskOf } from './pskCredentials.js';
import type { SecurityStore } from './SecurityStore.js';

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
