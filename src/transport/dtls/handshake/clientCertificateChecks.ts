// The checks a client makes on a server's certificate-suite messages (RFC 8422, RFC 7250, RFC
// 7925 section 4.4), kept apart from the exchange that sequences them:
// - the server's Certificate: with raw public keys, its key must be the pinned one (/0/x/4)
//   byte for byte; a server that sends X.509 anyway (it left server_certificate_type out, RFC
//   7250 section 4.2) is accepted when its leaf carries that key. With X.509, the chain goes
//   through checkServerCertificate (certificate usage /0/x/15, trust anchors, host name) and the
//   leaf key must be P-256. Failures map to bad_certificate, unknown_ca, certificate_expired or
//   unsupported_certificate (RFC 5246 7.2.2);
// - the ServerKeyExchange: named_curve secp256r1 only (RFC 8422 5.4, the one group offered), an
//   uncompressed point (5.1.2), ecdsa_secp256r1_sha256 (the one algorithm offered); a missing
//   signature is decrypt_error like a bad one.

import { createPublicKey, type KeyObject } from 'node:crypto';
import { DecodeError } from '../../DecodeError.js';
import type { PeerIdentity } from '../../Peer.js';
import type { DtlsClientCertificate } from '../DtlsTransportOptions.js';
import { CertificateError } from '../x509/CertificateVerifier.js';
import { certificateFields } from '../x509/certificateFields.js';
import { checkServerCertificate } from '../x509/serverCertificateUsage.js';
import { x509PeerIdentity } from '../x509/x509PeerIdentity.js';
import { AlertDescription } from './alerts.js';
import { HandshakeAbort } from './HandshakeBase.js';
import { BodyReader } from './messages/BodyReader.js';
import type { CertificateMessage } from './messages/Certificate.js';
import { SECP256R1, decodeEcdheServerKeyExchange } from './messages/EcdheKeyExchange.js';
import { ECDSA_SHA256 } from './messages/signatures.js';

/** The server as its Certificate authenticated it: the key that signs, and who it is. */
export interface AcceptedServer {
  /** A KeyObject (X.509 leaf) or the pinned SPKI DER (raw public key). */
  readonly key: KeyObject | Uint8Array;
  readonly identity: PeerIdentity;
}

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => Buffer.compare(a, b) === 0;

/**
 * Pinned server keys imported once per credentials' key bytes (an import costs about as much as
 * the signature check: ~140 of ~190 µs here); weak, so keys of dropped credentials go.
 */
const importedPins = new WeakMap<Uint8Array, KeyObject>();
function pinnedKey(spki: Uint8Array): KeyObject | Uint8Array {
  let key = importedPins.get(spki);
  if (!key) {
    try {
      key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
    } catch {
      return spki; // a pin that does not parse verifies nothing (HandshakeCrypto.verify says false)
    }
    importedPins.set(spki, key);
  }
  return key;
}
const P256_POINT_LENGTH = 65;

/** The alert for a refused server chain. */
function certificateAlert(e: CertificateError): number {
  if (e.failure === 'expired' || e.failure === 'not-yet-valid') return AlertDescription.certificateExpired;
  // the verifier's "no trust anchor or presented CA issued certificate N"
  if (e.failure === 'untrusted' && /trust anchor/.test(e.message)) return AlertDescription.unknownCa;
  return AlertDescription.badCertificate;
}

/** Accepts the server's Certificate under our credentials, or throws HandshakeAbort. */
export function acceptServerCertificate(m: CertificateMessage, c: DtlsClientCertificate): AcceptedServer {
  if (c.mode === 'rpk') {
    let spki: Uint8Array;
    try {
      spki =
        m.type === 'rawPublicKey'
          ? m.subjectPublicKeyInfo
          : certificateFields(m.chain[0] ?? new Uint8Array(0)).subjectPublicKeyInfo;
    } catch (e) {
      if (e instanceof DecodeError) throw new HandshakeAbort(AlertDescription.badCertificate, e.message);
      throw e;
    }
    if (!sameBytes(spki, c.serverPublicKey))
      throw new HandshakeAbort(AlertDescription.badCertificate, 'the server key is not the pinned one');
    return { key: pinnedKey(c.serverPublicKey), identity: { kind: 'rpk', publicKey: Uint8Array.from(spki) } };
  }
  if (m.type !== 'x509')
    throw new HandshakeAbort(AlertDescription.unsupportedCertificate, 'raw public key not offered');
  let leaf;
  try {
    leaf = checkServerCertificate(
      m.chain.map((d) => Uint8Array.from(d)),
      c.server,
    ).leaf;
  } catch (e) {
    if (e instanceof CertificateError) throw new HandshakeAbort(certificateAlert(e), e.message);
    throw e;
  }
  let key: KeyObject;
  try {
    key = leaf.x509.publicKey;
  } catch {
    throw new HandshakeAbort(AlertDescription.badCertificate, 'the server certificate key does not parse');
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1')
    throw new HandshakeAbort(AlertDescription.unsupportedCertificate, 'the server key is not a P-256 key');
  return { key, identity: x509PeerIdentity(leaf) };
}

/** True when `body` is a whole ServerECDHParams with nothing after it (no signature at all). */
function paramsOnly(body: Uint8Array): boolean {
  try {
    const r = new BodyReader(body);
    r.u8('ECCurveType');
    r.u16('NamedCurve');
    r.vector(1, 1, 0xff, 'ECPoint');
    return r.remaining === 0;
  } catch {
    return false;
  }
}

/** A checked ECDHE ServerKeyExchange: the server's point, the signed bytes and the signature (copies). */
export interface CheckedServerKeyExchange {
  readonly point: Uint8Array;
  readonly signed: Uint8Array;
  readonly signature: Uint8Array;
}

/** Reads and checks a ServerKeyExchange (the signature itself is checked by the caller). */
export function readServerKeyExchange(
  body: Uint8Array,
  clientRandom: Uint8Array,
  serverRandom: Uint8Array,
): CheckedServerKeyExchange {
  let ske;
  try {
    ske = decodeEcdheServerKeyExchange(body);
  } catch (e) {
    if (e instanceof DecodeError && paramsOnly(body))
      throw new HandshakeAbort(AlertDescription.decryptError, 'ServerKeyExchange without a signature');
    throw e;
  }
  const { namedCurve, point } = ske.params;
  if (namedCurve !== SECP256R1)
    throw new HandshakeAbort(AlertDescription.illegalParameter, `curve ${namedCurve} not offered`);
  if (point.length !== P256_POINT_LENGTH || point[0] !== 4)
    throw new HandshakeAbort(AlertDescription.illegalParameter, 'ECDH point not uncompressed P-256');
  if (ske.signed.algorithm !== ECDSA_SHA256)
    throw new HandshakeAbort(
      AlertDescription.illegalParameter,
      `signature algorithm ${ske.signed.algorithm.toString(16)} not offered`,
    );
  if (ske.signed.signature.length === 0)
    throw new HandshakeAbort(AlertDescription.decryptError, 'ServerKeyExchange with an empty signature');
  return {
    point: Uint8Array.from(point),
    signed: Buffer.concat([clientRandom, serverRandom, ske.paramsBytes]),
    signature: Uint8Array.from(ske.signed.signature),
  };
}
