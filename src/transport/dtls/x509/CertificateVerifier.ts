// Chain validation for certificate-mode DTLS (RFC 5280 section 6, profiled by RFC 7925 section
// 4.4): from the peer's leaf through the intermediates it presented up to a configured trust
// anchor, checking signatures, validity, basicConstraints (cA and pathLenConstraint), keyUsage
// (keyCertSign on CAs, digitalSignature on the ECDSA leaf), extKeyUsage against the purpose and
// unknown critical extensions. node:crypto does the parsing and the signature checks; it has no
// path building, so that is here. Parsed certificates and verdicts are cached by content
// (bounded LRU), verdicts only until the earliest expiry in their chain.

import { createHash, X509Certificate } from 'node:crypto';
import { DecodeError } from '../../DecodeError.js';
import { OldestFirst } from '../../OldestFirst.js';
import { certificateFields, type CertificateFields } from './certificateFields.js';
import { OID } from './oids.js';

/** Why a chain was refused. */
export type CertificateFailure =
  | 'empty-chain'
  | 'malformed'
  | 'chain-too-long'
  | 'expired'
  | 'not-yet-valid'
  | 'untrusted'
  | 'bad-signature'
  | 'not-a-ca'
  | 'path-length'
  | 'key-usage'
  | 'extended-key-usage'
  | 'unsupported-critical-extension';

/** A chain was refused, with the reason and which certificate (0 = leaf). */
export class CertificateError extends Error {
  readonly code = 'LWM2M_CERTIFICATE_REFUSED';
  constructor(
    readonly failure: CertificateFailure,
    readonly depth: number,
    message: string,
  ) {
    super(message);
    this.name = 'CertificateError';
  }
}

/** What the leaf is for: a client (TLS client auth) or a server. */
export type CertificatePurpose = 'client' | 'server';

/** A parsed certificate with the fields node:crypto does not expose. */
export interface ParsedCertificate {
  readonly der: Uint8Array;
  readonly x509: X509Certificate;
  readonly fields: CertificateFields;
  readonly notBefore: number;
  readonly notAfter: number;
  /** SHA-256 of the DER, hex. */
  readonly fingerprint: string;
}

export interface VerifiedChain {
  readonly leaf: ParsedCertificate;
  /** From the leaf to the trust anchor, both included. */
  readonly path: readonly ParsedCertificate[];
}

export interface CertificateVerifierOptions {
  /** Trust anchors, DER. */
  readonly trustAnchors: readonly Uint8Array[];
  /** Certificates in a path, leaf and anchor included (default 5). */
  readonly maxPathLength?: number;
  /** Parsed certificates and verdicts kept (default 1 024 each). */
  readonly cacheSize?: number;
  /** Wall-clock now in ms (default Date.now). */
  readonly now?: () => number;
}

/** extensions this verifier understands; any other marked critical refuses the chain (RFC 5280 4.2) */
const KNOWN_CRITICAL: ReadonlySet<string> = new Set([
  OID.basicConstraints,
  OID.keyUsage,
  OID.extKeyUsage,
  OID.subjectAltName,
  OID.subjectKeyIdentifier,
  OID.authorityKeyIdentifier,
]);

class Lru<V> {
  private readonly map = new Map<string, V>();
  private readonly oldest = new OldestFirst(this.map);
  constructor(private readonly max: number) {}
  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  set(key: string, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.max) this.oldest.evict();
  }
}

/** Parses one DER certificate (throws CertificateError 'malformed'). */
export function parseCertificate(der: Uint8Array, depth = 0): ParsedCertificate {
  try {
    const fields = certificateFields(der);
    const x509 = new X509Certificate(der);
    return {
      der,
      x509,
      fields,
      notBefore: Date.parse(x509.validFrom),
      notAfter: Date.parse(x509.validTo),
      fingerprint: createHash('sha256').update(der).digest('hex'),
    };
  } catch (e) {
    const why = e instanceof DecodeError || e instanceof Error ? e.message : String(e);
    throw new CertificateError('malformed', depth, `certificate ${depth} does not parse: ${why}`);
  }
}

/** Validates certificate chains against fixed trust anchors. */
export class CertificateVerifier {
  private readonly anchors: ParsedCertificate[];
  private readonly parsed: Lru<ParsedCertificate>;
  private readonly verdicts: Lru<{ chain: VerifiedChain; until: number }>;
  private readonly maxPath: number;
  private readonly now: () => number;

  constructor(options: CertificateVerifierOptions) {
    this.anchors = options.trustAnchors.map((der, i) => parseCertificate(der, i));
    this.maxPath = options.maxPathLength ?? 5;
    this.parsed = new Lru(options.cacheSize ?? 1024);
    this.verdicts = new Lru(options.cacheSize ?? 1024);
    this.now = options.now ?? Date.now;
  }

  /** A parsed certificate, from the cache when the same bytes were seen before. */
  parse(der: Uint8Array, depth = 0): ParsedCertificate {
    const key = createHash('sha256').update(der).digest('hex');
    const hit = this.parsed.get(key);
    if (hit) return hit;
    const cert = parseCertificate(der, depth);
    this.parsed.set(key, cert);
    return cert;
  }

  /**
   * Validates `chain` (the peer's Certificate message: leaf first, then whatever intermediates it
   * sent, in any order) for `purpose`. Throws CertificateError.
   */
  verify(chain: readonly Uint8Array[], purpose: CertificatePurpose): VerifiedChain {
    if (chain.length === 0) throw new CertificateError('empty-chain', 0, 'the peer sent no certificate');
    if (chain.length > this.maxPath)
      throw new CertificateError(
        'chain-too-long',
        chain.length - 1,
        `more than ${this.maxPath} certificates`,
      );
    const certs = chain.map((der, i) => this.parse(der, i));
    const now = this.now();
    const key = `${purpose}|${certs.map((c) => c.fingerprint).join('|')}`;
    const cached = this.verdicts.get(key);
    if (
      cached &&
      now < cached.until &&
      now >= cached.chain.path.reduce((m, c) => Math.max(m, c.notBefore), 0)
    )
      return cached.chain;
    const verified = this.build(certs, purpose, now);
    const until = verified.path.reduce((m, c) => Math.min(m, c.notAfter), Infinity);
    this.verdicts.set(key, { chain: verified, until });
    return verified;
  }

  private build(
    certs: readonly ParsedCertificate[],
    purpose: CertificatePurpose,
    now: number,
  ): VerifiedChain {
    const leaf = certs[0]!;
    checkLeaf(leaf, purpose);
    const path: ParsedCertificate[] = [leaf];
    const unused = certs.slice(1);
    for (let current = leaf; ;) {
      const depth = path.length - 1;
      checkTime(current, depth, now);
      checkCritical(current, depth);
      // a trust anchor, given as such (a pinned self-signed leaf included)
      if (this.anchors.some((a) => a.fingerprint === current.fingerprint)) return { leaf, path };
      // issuers by name (several under one name when a CA rolled its key), then by signature;
      // the reasons stay precise where OpenSSL's X509_check_issued would only say "no issuer"
      const named = (c: ParsedCertificate): boolean => c.x509.subject === current.x509.issuer;
      const signs = (c: ParsedCertificate): boolean => {
        try {
          return current.x509.verify(c.x509.publicKey);
        } catch {
          return false; // a CA whose key does not parse (a point off the curve) signs nothing
        }
      };
      const anchors = this.anchors.filter(named);
      const anchor = anchors.find(signs);
      if (anchor) {
        checkSigner(anchor, path, now, true);
        path.push(anchor);
        return { leaf, path };
      }
      const presented = unused.filter(named);
      const issuer = presented.find(signs);
      if (!issuer) {
        if (anchors.length + presented.length > 0)
          throw new CertificateError(
            'bad-signature',
            depth,
            `certificate ${depth} is not signed by the CA it names`,
          );
        throw new CertificateError(
          'untrusted',
          depth,
          `no trust anchor or presented CA issued certificate ${depth} (${current.x509.issuer.replace(/\n/g, ', ')})`,
        );
      }
      unused.splice(unused.indexOf(issuer), 1);
      if (path.length + 1 >= this.maxPath)
        throw new CertificateError(
          'chain-too-long',
          depth + 1,
          `the path exceeds ${this.maxPath} certificates`,
        );
      checkSigner(issuer, path, now, false);
      path.push(issuer);
      current = issuer;
    }
  }
}

function checkTime(cert: ParsedCertificate, depth: number, now: number): void {
  if (now < cert.notBefore)
    throw new CertificateError(
      'not-yet-valid',
      depth,
      `certificate ${depth} is valid from ${cert.x509.validFrom}`,
    );
  if (now > cert.notAfter)
    throw new CertificateError('expired', depth, `certificate ${depth} expired ${cert.x509.validTo}`);
}

function checkCritical(cert: ParsedCertificate, depth: number): void {
  const unknown = cert.fields.criticalExtensions.find((id) => !KNOWN_CRITICAL.has(id));
  if (unknown)
    throw new CertificateError(
      'unsupported-critical-extension',
      depth,
      `certificate ${depth} has the unsupported critical extension ${unknown}`,
    );
}

/** The leaf signs the handshake with ECDSA: digitalSignature, and the purpose if EKU is given. */
function checkLeaf(leaf: ParsedCertificate, purpose: CertificatePurpose): void {
  const usage = leaf.fields.keyUsage;
  if (usage && !usage.has('digitalSignature'))
    throw new CertificateError(
      'key-usage',
      0,
      'the certificate may not sign (keyUsage lacks digitalSignature)',
    );
  const eku = leaf.fields.extKeyUsage;
  const wanted = purpose === 'client' ? OID.clientAuth : OID.serverAuth;
  if (eku && !eku.includes(wanted) && !eku.includes(OID.anyExtendedKeyUsage))
    throw new CertificateError(
      'extended-key-usage',
      0,
      `the certificate is not for TLS ${purpose} authentication`,
    );
}

/** An issuer: a CA (v3 basicConstraints), allowed to sign certificates, within its path length. */
function checkSigner(
  issuer: ParsedCertificate,
  below: readonly ParsedCertificate[],
  now: number,
  anchor: boolean,
): void {
  const depth = below.length;
  if (!anchor) {
    checkTime(issuer, depth, now);
    checkCritical(issuer, depth);
  }
  const bc = issuer.fields.basicConstraints;
  // a configured anchor may be an old v1 root without extensions; one that says it is no CA is refused
  if (anchor ? bc && !bc.ca : !bc?.ca)
    throw new CertificateError('not-a-ca', depth, `certificate ${depth} is not a CA`);
  if (issuer.fields.keyUsage && !issuer.fields.keyUsage.has('keyCertSign'))
    throw new CertificateError('key-usage', depth, `certificate ${depth} may not sign certificates`);
  // pathLenConstraint counts the intermediate CAs below this one, the leaf excluded (RFC 5280 4.2.1.9)
  if (bc?.pathLength !== undefined && depth - 1 > bc.pathLength)
    throw new CertificateError(
      'path-length',
      depth,
      `certificate ${depth} allows ${bc.pathLength} CAs below it`,
    );
}
