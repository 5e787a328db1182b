// LwM2M Transport TS 1.1.1 section 5.2.8 (raw public keys, certificates) with Core TS 1.1.1
// Appendix E.1 (Security object): the DTLS credentials a client reads from one Security instance
// in mode 1 (RPK) or 2 (certificate).
//   /0/x/3 RPK: our DER SubjectPublicKeyInfo (optional here: derived from /0/x/5 when empty);
//          X.509: our DER certificate, or our certification path, leaf first and without the
//          trust anchor (TS 5.2.8.4), as DER certificates one after the other
//   /0/x/4 RPK: the server's DER SubjectPublicKeyInfo, pinned; X.509: the server's certificate
//          or a trust anchor for it, read with /0/x/15 (RFC 6698 usage 0-3, default 3)
//   /0/x/5 our P-256 private key, DER: PKCS#8 (what we write) or SEC 1 (accepted)
// The URI's host is the reference identifier the server's certificate is checked against (TS
// 5.2.8.4, RFC 6125). Every problem names the resource and why; nothing here prints key bytes.
import { createHash, createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import type { DtlsClientCertificate } from '../transport/dtls/DtlsTransportOptions.js';
import type { CertificateUsage } from '../transport/dtls/x509/serverCertificateUsage.js';

/** Security Mode 1 (Raw Public Key). */
export const SECURITY_MODE_RPK = 1;
/** Security Mode 2 (Certificate). */
export const SECURITY_MODE_CERTIFICATE = 2;
/** Most certificates /0/x/3 may hold (our chain; as many as a Certificate message carries here). */
export const MAX_OWN_CHAIN_LENGTH = 8;

/** The resources of a Security instance that make certificate credentials. */
export interface CertificateResources {
  /** /0/x/2: 1 RPK or 2 certificate. */
  readonly mode: number;
  /** /0/x/0, whose host names the server. */
  readonly uri: string;
  /** /0/x/3 */
  readonly publicKeyOrIdentity: Uint8Array;
  /** /0/x/4 */
  readonly serverPublicKey: Uint8Array;
  /** /0/x/5 */
  readonly secretKey: Uint8Array;
  /** /0/x/15; undefined: absent (3). */
  readonly certificateUsage?: number;
}

/** Certificate material that cannot be used, naming the resource. */
export class CertificateMaterialError extends Error {
  readonly code = 'LWM2M_CERTIFICATE_MATERIAL';
  constructor(
    /** The Security resource at fault (3, 4, 5 or 15). */
    readonly resource: number,
    reason: string,
  ) {
    super(`resource ${resource} ${reason}`);
    this.name = 'CertificateMaterialError';
  }
}

const spki = (k: KeyObject): Buffer => k.export({ type: 'spki', format: 'der' });

/** Our private key from /0/x/5 (PKCS#8 or SEC 1 DER), which must be on P-256. */
export function privateKeyOfResource(der: Uint8Array): KeyObject {
  if (der.length === 0) throw new CertificateMaterialError(5, 'is empty: the private key is missing');
  for (const type of ['pkcs8', 'sec1'] as const) {
    let key: KeyObject;
    try {
      key = createPrivateKey({ key: Buffer.from(der), format: 'der', type });
    } catch {
      continue;
    }
    // RFC 7925 4.4 / RFC 7251: ECDSA on secp256r1 is what the LwM2M suites sign with
    if (key.asymmetricKeyDetails?.namedCurve !== 'prime256v1')
      throw new CertificateMaterialError(5, 'is not a P-256 (secp256r1) EC private key');
    return key;
  }
  throw new CertificateMaterialError(5, 'is not a DER private key (PKCS#8 or SEC 1)');
}

function publicKeyOfResource(der: Uint8Array, resource: number, what: string): KeyObject {
  if (der.length === 0) throw new CertificateMaterialError(resource, `is empty: ${what} is missing`);
  try {
    return createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' });
  } catch {
    throw new CertificateMaterialError(resource, `is not a DER SubjectPublicKeyInfo (${what})`);
  }
}

/** The server's raw public key from /0/x/4: a SubjectPublicKeyInfo or, liberally, a certificate's key. */
function serverKeyOfResource(der: Uint8Array): KeyObject {
  try {
    return publicKeyOfResource(der, 4, "the server's raw public key");
  } catch (e) {
    try {
      return new X509Certificate(der).publicKey;
    } catch {
      throw e;
    }
  }
}

/** Length of the DER element at `at` (tag, length and content), or undefined when it does not fit. */
function derElementLength(bytes: Uint8Array, at: number): number | undefined {
  if (at + 2 > bytes.length || bytes[at] !== 0x30) return undefined;
  const first = bytes[at + 1]!;
  if (first < 0x80) return at + 2 + first <= bytes.length ? 2 + first : undefined;
  const n = first & 0x7f;
  if (n === 0 || n > 3 || at + 2 + n > bytes.length) return undefined;
  let length = 0;
  for (let i = 0; i < n; i++) length = length * 256 + bytes[at + 2 + i]!;
  const total = 2 + n + length;
  return at + total <= bytes.length ? total : undefined;
}

/** The DER certificates of `bytes`, one after the other; throws naming `resource`. */
export function certificatesOfResource(bytes: Uint8Array, resource: number): Uint8Array[] {
  if (bytes.length === 0)
    throw new CertificateMaterialError(resource, 'is empty: the certificate is missing');
  const out: Uint8Array[] = [];
  for (let at = 0; at < bytes.length;) {
    const length = derElementLength(bytes, at);
    if (length === undefined || out.length === MAX_OWN_CHAIN_LENGTH)
      throw new CertificateMaterialError(
        resource,
        length === undefined
          ? `is not DER X.509 certificates (bad element at byte ${at})`
          : `holds more than ${MAX_OWN_CHAIN_LENGTH} certificates`,
      );
    const der = new Uint8Array(bytes.subarray(at, at + length)); // a copy of our own
    try {
      new X509Certificate(der);
    } catch {
      throw new CertificateMaterialError(
        resource,
        `is not DER X.509 certificates (certificate ${out.length + 1})`,
      );
    }
    out.push(der);
    at += length;
  }
  return out;
}

/** The host of `uri` as the server's certificate must name it: an IP literal without brackets, or a DNS name. */
export function hostOfUri(uri: string): string {
  return new URL(uri).hostname.replace(/^\[|\]$/g, '');
}

function usageOf(usage: number | undefined): CertificateUsage {
  if (usage === undefined) return 3;
  if (usage === 0 || usage === 1 || usage === 2 || usage === 3) return usage;
  throw new CertificateMaterialError(15, `must be a Certificate Usage 0 to 3 (RFC 6698), got ${usage}`);
}

/**
 * A SHA-256 over the resources `r` (length-prefixed): equal when the Security instance still holds
 * the same material, so the credentials made from it can be reused (the transport then finds its
 * imported keys by object, and no key is parsed again per handshake).
 */
export function materialKey(r: CertificateResources): string {
  const h = createHash('sha256');
  for (const part of [
    String(r.mode),
    r.uri,
    r.publicKeyOrIdentity,
    r.serverPublicKey,
    r.secretKey,
    String(r.certificateUsage),
  ]) {
    const b = typeof part === 'string' ? Buffer.from(part, 'utf8') : part;
    h.update(
      Buffer.from([b.length >>> 24, (b.length >>> 16) & 255, (b.length >>> 8) & 255, b.length & 255]),
    ).update(b);
  }
  return h.digest('hex');
}

/**
 * The DtlsClientCertificate of a Security instance in mode 1 or 2; `trustAnchors` are the
 * client's own CAs (certificate usages 0 and 1). Throws CertificateMaterialError naming the
 * resource when the material is missing, malformed or inconsistent.
 */
export function clientCertificateOf(
  r: CertificateResources,
  trustAnchors: readonly Uint8Array[] = [],
): DtlsClientCertificate {
  const privateKey = privateKeyOfResource(r.secretKey);
  const ours = spki(createPublicKey(privateKey));
  if (r.mode === SECURITY_MODE_RPK) {
    if (r.publicKeyOrIdentity.length > 0) {
      const own = publicKeyOfResource(r.publicKeyOrIdentity, 3, 'our raw public key');
      if (!spki(own).equals(ours))
        throw new CertificateMaterialError(3, 'is not the public key of resource 5');
    }
    const server = serverKeyOfResource(r.serverPublicKey);
    return { mode: 'rpk', privateKey, serverPublicKey: Uint8Array.from(spki(server)) };
  }
  if (r.mode !== SECURITY_MODE_CERTIFICATE)
    throw new TypeError(`security mode ${r.mode} has no certificate credentials`);
  const chain = certificatesOfResource(r.publicKeyOrIdentity, 3);
  if (!new X509Certificate(chain[0]!).checkPrivateKey(privateKey))
    throw new CertificateMaterialError(3, 'is not the certificate of the private key in resource 5');
  const [serverCertificate, ...extra] = certificatesOfResource(r.serverPublicKey, 4);
  if (extra.length > 0) throw new CertificateMaterialError(4, 'must hold one certificate');
  const usage = usageOf(r.certificateUsage);
  return {
    mode: 'x509',
    privateKey,
    chain,
    server: {
      usage,
      serverCertificate: serverCertificate!,
      host: hostOfUri(r.uri),
      ...(trustAnchors.length > 0 ? { trustAnchors } : {}),
    },
  };
}

/**
 * Raw public key or certificate credentials an application gives for one account (factory
 * bootstrap): written to its Security instance as the TS encodes them.
 */
export interface ClientCertificateConfig {
  /** Our P-256 private key; /0/x/5 gets it as PKCS#8 DER. Never logged. */
  readonly privateKey: KeyObject;
  /** Our certificate chain, DER, leaf first, without the trust anchor: Security Mode 2; absent: mode 1 (RPK). */
  readonly chain?: readonly Uint8Array[];
  /** /0/x/4: RPK, the server's DER SubjectPublicKeyInfo; X.509, its certificate or a CA for it (by `certificateUsage`). */
  readonly serverKey: Uint8Array;
  /** /0/x/15 (mode 2): RFC 6698 Certificate Usage 0-3; default 3 (the server's own certificate). */
  readonly certificateUsage?: CertificateUsage;
}

/** The Security instance resources (2, 3, 4, 5 and, in mode 2, 15) of `c`. */
export function certificateResources(c: ClientCertificateConfig): {
  securityMode: number;
  identity: Uint8Array;
  serverPublicKey: Uint8Array;
  secretKey: Uint8Array;
  certificateUsage?: number;
} {
  const secretKey = Uint8Array.from(c.privateKey.export({ type: 'pkcs8', format: 'der' }));
  const serverPublicKey = Uint8Array.from(c.serverKey);
  if (c.chain === undefined || c.chain.length === 0)
    return {
      securityMode: SECURITY_MODE_RPK,
      identity: Uint8Array.from(spki(createPublicKey(c.privateKey))),
      serverPublicKey,
      secretKey,
    };
  return {
    securityMode: SECURITY_MODE_CERTIFICATE,
    identity: Uint8Array.from(Buffer.concat(c.chain.map((der) => Buffer.from(der)))),
    serverPublicKey,
    secretKey,
    certificateUsage: c.certificateUsage ?? 3,
  };
}
