// The identity a verified X.509 leaf gives its peer: the subject, the first commonName and the
// subjectAltName DNS names and URIs (RFC 5280 4.2.1.6), which the LwM2M server may bind the
// endpoint name to (LwM2M Transport TS 1.1.1 section 5.2, endpoint name binding; the rule itself
// is lwm2m/checkUplinkIdentity.ts).

import type { PeerIdentity } from '../../Peer.js';
import type { ParsedCertificate } from './CertificateVerifier.js';

/** The x509 PeerIdentity of `leaf`; `subjectAltNames` absent when it has no DNS or URI entry. */
export function x509PeerIdentity(leaf: ParsedCertificate): PeerIdentity {
  const commonName = leaf.fields.commonNames[0];
  const { dns, uri } = leaf.fields.altNames;
  const subjectAltNames = [...dns, ...uri];
  return {
    kind: 'x509',
    subject: leaf.x509.subject,
    ...(commonName !== undefined ? { commonName } : {}),
    ...(subjectAltNames.length > 0 ? { subjectAltNames } : {}),
  };
}
