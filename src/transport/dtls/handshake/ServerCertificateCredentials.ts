// A DTLS server's certificate-suite credentials, prepared once per transport (RFC 7925 section
// 4.4, RFC 7250): our P-256 key, the raw public key derived from it (a DER SubjectPublicKeyInfo),
// our chain, the names of our client trust anchors for CertificateRequest.certificate_authorities
// (RFC 5246 7.4.4), the CertificateVerifier (its parsed-certificate and verdict caches serve every
// handshake of the transport) and the application's raw-public-key check. Clients' public keys
// are imported once (an import costs as much as a verify): raw keys in a bounded LRU by their
// bytes, certificate keys beside the verifier's cached parsed certificate.

import { createPublicKey, type KeyObject } from 'node:crypto';
import type { Peer } from '../../Peer.js';
import { OldestFirst } from '../../OldestFirst.js';
import type { HandshakeCrypto } from '../crypto/HandshakeCrypto.js';
import type { DtlsClientTrust, DtlsOwnCertificate } from '../DtlsTransportOptions.js';
import { CertificateVerifier, type ParsedCertificate } from '../x509/CertificateVerifier.js';
import { certificateFields } from '../x509/certificateFields.js';
import { children, readNode } from '../x509/der.js';
import { MAX_AUTHORITIES } from './messages/CertificateRequest.js';

/** What the server handshakes of one transport share for the ECDHE_ECDSA suites. */
export class ServerCertificateCredentials {
  readonly privateKey: KeyObject;
  /** Our raw public key: DER SubjectPublicKeyInfo (what an RPK Certificate message carries). */
  readonly publicKey: Uint8Array;
  /** Our chain, leaf first; undefined: raw public key only. */
  readonly chain: readonly Uint8Array[] | undefined;
  /** DER Names of the client trust anchors (CertificateRequest.certificate_authorities). */
  readonly authorities: readonly Uint8Array[];
  /** Validates clients' chains; undefined: X.509 clients are refused. */
  readonly verifier: CertificateVerifier | undefined;
  /** Imported raw keys by their SPKI (base64), least recently used first; undefined: not P-256. */
  private readonly rawKeys = new Map<string, KeyObject | undefined>();
  private readonly oldestKey = new OldestFirst(this.rawKeys);
  private readonly leafKeys = new WeakMap<ParsedCertificate, KeyObject | undefined>();

  constructor(
    own: DtlsOwnCertificate,
    private readonly trust: DtlsClientTrust | undefined,
    /** The transport's HandshakeCrypto (made on first use). */
    readonly crypto: () => HandshakeCrypto,
  ) {
    const details = own.privateKey.asymmetricKeyDetails;
    if (own.privateKey.type !== 'private' || details?.namedCurve !== 'prime256v1')
      throw new RangeError('the DTLS certificate key must be a P-256 (secp256r1) private key');
    this.privateKey = own.privateKey;
    this.publicKey = createPublicKey(own.privateKey).export({ type: 'spki', format: 'der' });
    this.chain = own.chain && own.chain.length > 0 ? own.chain : undefined;
    if (
      this.chain &&
      !Buffer.from(certificateFields(this.chain[0]!).subjectPublicKeyInfo).equals(this.publicKey)
    )
      throw new RangeError('the first certificate of the DTLS chain is not for the private key');
    const anchors = trust?.trustAnchors ?? [];
    this.verifier = anchors.length > 0 ? new CertificateVerifier({ trustAnchors: anchors }) : undefined;
    this.authorities = anchors.slice(0, MAX_AUTHORITIES).map(subjectName);
  }

  /** True when X.509 clients can be admitted (trust anchors configured). */
  get acceptsX509(): boolean {
    return this.verifier !== undefined;
  }

  /** True when raw-public-key clients can be admitted (knownRawPublicKey configured). */
  get acceptsRawPublicKey(): boolean {
    return this.trust?.knownRawPublicKey !== undefined;
  }

  /** A client's raw public key as a P-256 KeyObject; undefined when it is another kind of key; throws when malformed. */
  rawPublicKey(spki: Uint8Array): KeyObject | undefined {
    const id = Buffer.from(spki).toString('base64');
    if (this.rawKeys.has(id)) {
      const hit = this.rawKeys.get(id);
      this.rawKeys.delete(id);
      this.rawKeys.set(id, hit);
      return hit;
    }
    const key = p256(createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }));
    this.rawKeys.set(id, key);
    if (this.rawKeys.size > MAX_IMPORTED_KEYS) this.oldestKey.evict();
    return key;
  }

  /** The public key of a client's (verified) leaf certificate when it is P-256. */
  leafPublicKey(leaf: ParsedCertificate): KeyObject | undefined {
    if (this.leafKeys.has(leaf)) return this.leafKeys.get(leaf);
    const key = p256(leaf.x509.publicKey);
    this.leafKeys.set(leaf, key);
    return key;
  }

  /** The application's verdict on a client's raw public key. */
  admitRawPublicKey(spki: Uint8Array, peer: Peer): boolean | Promise<boolean> {
    return this.trust?.knownRawPublicKey?.(spki, peer) ?? false;
  }
}

/** Raw public keys kept imported (about 200 bytes each). */
const MAX_IMPORTED_KEYS = 1024;

/** `key` when it is a P-256 public key (RFC 7925 4.4 profiles secp256r1 only). */
function p256(key: KeyObject): KeyObject | undefined {
  return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1'
    ? key
    : undefined;
}

/** The DER subject Name of a certificate (tbsCertificate's sixth field after the version). */
function subjectName(der: Uint8Array): Uint8Array {
  const [tbs] = children(der, readNode(der, 0));
  const fields = children(der, tbs!);
  const subject = fields[(fields[0]?.tag === 0xa0 ? 1 : 0) + 4]!;
  return der.subarray(subject.start, subject.end);
}
