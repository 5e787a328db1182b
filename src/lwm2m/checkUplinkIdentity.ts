// LwM2M Transport TS 1.1.1 section 5.2 (endpoint name binding: a server compares the `ep` of a
// Register or Bootstrap-Request with the identity the DTLS handshake authenticated, and answers
// 4.00 when they differ; the Core TS Register response table likewise lists a name that does not
// match the credentials under 4.00 and a registration the server does not allow under 4.03): the
// pure rules a role's Authorizer applies before it lets an uplink (Register, Update, De-register,
// Send, Bootstrap-Request) touch any store. An uplink may act for an endpoint only when the
// identity its transport authenticated is the one configured for that endpoint; an endpoint that
// has credentials may never be reached in clear.
import type { PeerIdentity } from '../transport/Peer.js';
import type { SecurityInfo } from './SecurityInfo.js';

/** What the operator requires of uplinks. */
export interface UplinkSecurityPolicy {
  /** Refuse uplinks over an unsecured transport (NoSec), even for endpoints without credentials. */
  readonly requireSecurity: boolean;
}

/** Why an uplink was refused, with the CoAP code to answer it with. */
export type UplinkRefusal =
  /** Secured, but with an identity that is not this endpoint's: 4.00 Bad Request. */
  | { readonly kind: 'mismatch'; readonly coapCode: 0x80; readonly reason: string }
  /** The policy refuses it, e.g. NoSec where security is required: 4.03 Forbidden. */
  | { readonly kind: 'forbidden'; readonly coapCode: 0x83; readonly reason: string }
  /** Secured, but the endpoint has no credentials here: 4.03 Forbidden. */
  | { readonly kind: 'unknown'; readonly coapCode: 0x83; readonly reason: string };

/** The verdict on an uplink: 'ok' or the refusal. */
export type UplinkVerdict = 'ok' | UplinkRefusal;

/**
 * True when `peer` is the identity `info` describes: the same PSK identity (compared octet for
 * octet, no Unicode normalization), the same raw public key, or a certificate naming the endpoint
 * (Transport TS 1.1.1 5.2: RPK keys match exactly; the server compares the endpoint name with
 * "the identifier used at the DTLS handshake", for a certificate its subject CN, or, liberal in
 * what we accept, a subjectAltName DNS or URI entry equal to the endpoint name, e.g. a URN
 * `urn:imei:...` endpoint carried as a URI SAN). Names compare exactly: no case folding.
 */
export function identityMatches(info: SecurityInfo, peer: PeerIdentity): boolean {
  switch (info.kind) {
    case 'psk':
      return peer.kind === 'psk' && peer.identity === info.identity;
    case 'rpk':
      return peer.kind === 'rpk' && Buffer.from(peer.publicKey).equals(info.publicKey);
    case 'x509':
      return (
        peer.kind === 'x509' &&
        (peer.commonName === info.endpoint || (peer.subjectAltNames ?? []).includes(info.endpoint))
      );
  }
}

const describe = (peer: PeerIdentity): string =>
  peer.kind === 'psk'
    ? `PSK identity ${JSON.stringify(peer.identity)}`
    : peer.kind === 'rpk'
      ? 'a raw public key'
      : `certificate ${JSON.stringify(peer.subject)}`;

/**
 * Decides whether an uplink claiming `endpoint`, received from a peer that authenticated as
 * `peer` (undefined over NoSec), may proceed, given the endpoint's credentials `info` (undefined
 * when it has none) and the `policy`.
 *
 * - NoSec, endpoint with credentials: forbidden (a client that has credentials must use them;
 *   accepting it in clear would let anyone who knows the name act for it).
 * - NoSec, no credentials: ok, unless the policy requires security (forbidden).
 * - Secured, no credentials for the endpoint: unknown (the identity belongs to nobody or to
 *   another endpoint; the spec names no code for it: 4.03, as for any endpoint not allowed).
 * - Secured, credentials of another identity: mismatch (4.00 Bad Request: the request claims an endpoint its credentials do not name).
 */
export function checkUplinkIdentity(
  endpoint: string,
  peer: PeerIdentity | undefined,
  info: SecurityInfo | undefined,
  policy: UplinkSecurityPolicy,
): UplinkVerdict {
  if (peer === undefined) {
    if (info !== undefined)
      return {
        kind: 'forbidden',
        coapCode: 0x83,
        reason: `endpoint ${JSON.stringify(endpoint)} has ${info.kind} credentials and must use them`,
      };
    if (policy.requireSecurity)
      return { kind: 'forbidden', coapCode: 0x83, reason: 'this server requires a secured connection' };
    return 'ok';
  }
  if (info === undefined)
    return {
      kind: 'unknown',
      coapCode: 0x83,
      reason: `endpoint ${JSON.stringify(endpoint)} has no credentials for ${describe(peer)}`,
    };
  if (!identityMatches(info, peer))
    return {
      kind: 'mismatch',
      coapCode: 0x80,
      reason: `${describe(peer)} does not belong to endpoint ${JSON.stringify(endpoint)}`,
    };
  return 'ok';
}
