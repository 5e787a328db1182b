// The certificate-suite part of one server handshake (TLS_ECDHE_ECDSA_*; RFC 8422, RFC 7251,
// RFC 7925 section 4.4, RFC 7250 for raw public keys): the bodies of our Certificate,
// ServerKeyExchange and CertificateRequest, then the client's Certificate, ClientKeyExchange and
// CertificateVerify. ServerHandshake runs the state machine; this holds what the certificate path
// needs on top: the ephemeral ECDH key, the client's public key (imported once, from its leaf or
// its raw key, and used for CertificateVerify) and the handshake messages themselves, since
// CertificateVerify signs them all, not a hash we could keep running (RFC 5246 7.4.8).
// The public-key operations go through HandshakeCrypto (by default on worker threads); they
// reject with CryptoBusyError when the pool is saturated, which the handshake turns into a drop.

import type { KeyObject } from 'node:crypto';
import type { Peer, PeerIdentity } from '../../Peer.js';
import type { EcdhKeyPair } from '../crypto/HandshakeCrypto.js';
import { CryptoBusyError } from '../crypto/WorkerHandshakeCrypto.js';
import { CertificateError } from '../x509/CertificateVerifier.js';
import { x509PeerIdentity } from '../x509/x509PeerIdentity.js';
import { AlertDescription } from './alerts.js';
import { certificateAlert } from './certificateAlert.js';
import type { CertificateNegotiation } from './certificateNegotiation.js';
import { HandshakeAbort } from './HandshakeBase.js';
import { decodeCertificate, encodeCertificate } from './messages/Certificate.js';
import { ECDSA_SIGN, encodeCertificateRequest } from './messages/CertificateRequest.js';
import {
  SECP256R1,
  decodeEcdhClientKeyExchange,
  encodeEcdheServerKeyExchange,
  encodeServerEcdhParams,
} from './messages/EcdheKeyExchange.js';
import { ECDSA_SHA256, decodeCertificateVerify } from './messages/signatures.js';
import type { ServerCertificateCredentials } from './ServerCertificateCredentials.js';

/** Length of an uncompressed secp256r1 point: 0x04 | X | Y (RFC 8422 5.4.1). */
const POINT_LENGTH = 65;
/** ServerECDHParams up to the point: curve type, named curve, point length (RFC 8422 5.4). */
const PARAMS_BEFORE_POINT = encodeServerEcdhParams({
  namedCurve: SECP256R1,
  point: new Uint8Array(POINT_LENGTH),
}).subarray(0, -POINT_LENGTH);

/** Our flight's certificate-suite message bodies. */
export interface ServerCertificateBodies {
  readonly certificate: Uint8Array;
  readonly serverKeyExchange: Uint8Array;
  readonly certificateRequest: Uint8Array;
}

/** The certificate-suite work of one server handshake. */
export class ServerCertificateExchange {
  /** Every handshake message so far, in order, for CertificateVerify (dropped once checked). */
  private messages: Uint8Array[] = [];
  private ephemeral: EcdhKeyPair | undefined;
  private clientKey: KeyObject | undefined;
  private clientIdentity: PeerIdentity | undefined;

  constructor(
    private readonly credentials: ServerCertificateCredentials,
    readonly negotiated: CertificateNegotiation,
    private readonly peer: Peer,
    private readonly clientRandom: Uint8Array,
  ) {}

  /** The authenticated client (after its Certificate). */
  get identity(): PeerIdentity {
    return this.clientIdentity!;
  }

  /** Adds a handshake message (its transcript form) to what CertificateVerify covers. */
  record(wire: Uint8Array): void {
    this.messages.push(wire);
  }

  /** Our Certificate, ServerKeyExchange (a fresh P-256 key, signed) and CertificateRequest. */
  async firstFlight(serverRandom: Uint8Array): Promise<ServerCertificateBodies> {
    const c = this.credentials;
    // RFC 8422 5.4: the signature covers ClientHello.random + ServerHello.random + ServerECDHParams,
    // which end with the point: generated and signed in one call (one worker round trip)
    const prefix = Buffer.concat([this.clientRandom, serverRandom, PARAMS_BEFORE_POINT]);
    const { pair, signature } = await c.crypto().ecdhGenerateSigned(prefix, c.privateKey);
    this.ephemeral = pair;
    const params = encodeServerEcdhParams({ namedCurve: SECP256R1, point: pair.publicPoint });
    return {
      certificate: encodeCertificate(
        this.negotiated.serverType === 'x509'
          ? { type: 'x509', chain: c.chain! }
          : { type: 'rawPublicKey', subjectPublicKeyInfo: c.publicKey },
      ),
      serverKeyExchange: encodeEcdheServerKeyExchange(params, { algorithm: ECDSA_SHA256, signature }),
      // LwM2M requires mutual authentication: always requested (RFC 7925 4.4, 8422 5.5)
      certificateRequest: encodeCertificateRequest({
        certificateTypes: [ECDSA_SIGN],
        signatureAlgorithms: [ECDSA_SHA256],
        authorities: this.negotiated.clientType === 'x509' ? c.authorities : [],
      }),
    };
  }

  /** Checks the client's Certificate; a promise when the application's RPK check is asynchronous. */
  takeClientCertificate(body: Uint8Array): Promise<void> | void {
    const m = decodeCertificate(body, this.negotiated.clientType);
    if (m.type === 'x509') {
      // an empty list: the client has no certificate; we require one (RFC 5246 7.4.6)
      if (m.chain.length === 0)
        throw new HandshakeAbort(AlertDescription.handshakeFailure, 'no client certificate');
      let leaf;
      try {
        leaf = this.credentials.verifier!.verify(m.chain, 'client').leaf;
      } catch (e) {
        if (e instanceof CertificateError) throw new HandshakeAbort(certificateAlert(e.failure), e.message);
        throw e;
      }
      this.clientKey = p256(this.credentials.leafPublicKey(leaf));
      this.clientIdentity = x509PeerIdentity(leaf);
      return;
    }
    const spki = m.subjectPublicKeyInfo;
    let key: KeyObject | undefined;
    try {
      key = this.credentials.rawPublicKey(spki);
    } catch {
      throw new HandshakeAbort(AlertDescription.badCertificate, 'the raw public key does not parse');
    }
    this.clientKey = p256(key);
    this.clientIdentity = { kind: 'rpk', publicKey: Uint8Array.from(spki) };
    let verdict: boolean | Promise<boolean>;
    try {
      verdict = this.credentials.admitRawPublicKey(spki, this.peer);
    } catch {
      throw new HandshakeAbort(AlertDescription.internalError, 'raw public key lookup failed');
    }
    if (verdict === true) return;
    if (verdict === false) throw new HandshakeAbort(AlertDescription.accessDenied, 'unknown raw public key');
    return verdict.then(
      (known) => {
        if (!known) throw new HandshakeAbort(AlertDescription.accessDenied, 'unknown raw public key');
      },
      () => {
        throw new HandshakeAbort(AlertDescription.internalError, 'raw public key lookup failed');
      },
    );
  }

  /** The ECDHE premaster secret from the client's point (RFC 8422 5.10: the shared x coordinate). */
  async premasterSecret(clientKeyExchange: Uint8Array): Promise<Uint8Array> {
    const point = decodeEcdhClientKeyExchange(clientKeyExchange);
    // uncompressed points only (RFC 8422 5.1.2, 5.4.1)
    if (point.length !== POINT_LENGTH || point[0] !== 4)
      throw new HandshakeAbort(AlertDescription.illegalParameter, 'not an uncompressed P-256 point');
    // the ephemeral key serves this one computation (RFC 8422 2): not kept with the handshake,
    // which a completed connection retains a while for resends
    const privateKey = this.ephemeral!.privateKey;
    this.ephemeral = undefined;
    try {
      return await this.credentials.crypto().ecdhCompute(privateKey, point);
    } catch (e) {
      if (e instanceof CryptoBusyError) throw e;
      throw new HandshakeAbort(AlertDescription.illegalParameter, 'the client point is not on P-256');
    }
  }

  /** Checks CertificateVerify over every message before it (RFC 5246 7.4.8); bad: decrypt_error. */
  async checkCertificateVerify(body: Uint8Array): Promise<void> {
    const signed = decodeCertificateVerify(body);
    if (signed.algorithm !== ECDSA_SHA256)
      throw new HandshakeAbort(
        AlertDescription.illegalParameter,
        'CertificateVerify algorithm not requested',
      );
    const covered = Buffer.concat(this.messages);
    this.messages = [];
    const ok = await this.credentials.crypto().verify(covered, this.clientKey!, signed.signature);
    if (!ok) throw new HandshakeAbort(AlertDescription.decryptError, 'CertificateVerify does not verify');
  }
}

/** A client key that is P-256 (checked on import), else unsupported_certificate (RFC 7925 4.4). */
function p256(key: KeyObject | undefined): KeyObject {
  if (!key) throw new HandshakeAbort(AlertDescription.unsupportedCertificate, 'the client key is not P-256');
  return key;
}
