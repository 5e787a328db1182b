// How an LwM2M client accepts its server's certificate: the Security object's Server Public Key
// (/0/x/4) read with its Certificate Usage (/0/x/15), whose values are RFC 6698's (section
// 2.1.1): 0 CA constraint, 1 service certificate constraint, 2 trust anchor assertion, 3
// domain-issued certificate, the default when the resource is absent (Security object 1.1).
// Usages 0-2 also check the server's name against the URI's host (RFC 6125); 3 pins the exact
// certificate, which RFC 7671 section 5.1 exempts from PKIX, name and validity checks.

import {
  CertificateError,
  CertificateVerifier,
  type VerifiedChain,
  parseCertificate,
} from './CertificateVerifier.js';

export type CertificateUsage = 0 | 1 | 2 | 3;

export interface ServerCertificateRule {
  /** /0/x/15; default 3. */
  readonly usage?: CertificateUsage;
  /** /0/x/4: a certificate (DER). */
  readonly serverCertificate: Uint8Array;
  /** The client's own trust store, for usages 0 and 1. */
  readonly trustAnchors?: readonly Uint8Array[];
  /** The host of the server URI (a DNS name or an IP literal without brackets). */
  readonly host?: string;
  readonly now?: () => number;
}

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => Buffer.compare(a, b) === 0;

/** Accepts the server's chain (leaf first) under `rule`, or throws CertificateError. */
export function checkServerCertificate(
  chain: readonly Uint8Array[],
  rule: ServerCertificateRule,
): VerifiedChain {
  const usage = rule.usage ?? 3;
  if (chain.length === 0) throw new CertificateError('empty-chain', 0, 'the server sent no certificate');
  if (usage === 3) {
    if (!sameBytes(chain[0]!, rule.serverCertificate))
      throw new CertificateError(
        'untrusted',
        0,
        'the server certificate is not the one in the Security object',
      );
    const leaf = parseCertificate(chain[0]!);
    return { leaf, path: [leaf] };
  }
  const anchors = usage === 2 ? [rule.serverCertificate] : (rule.trustAnchors ?? []);
  const verifier = new CertificateVerifier({ trustAnchors: anchors, ...(rule.now ? { now: rule.now } : {}) });
  const verified = verifier.verify(chain, 'server');
  if (usage === 1 && !sameBytes(verified.leaf.der, rule.serverCertificate))
    throw new CertificateError(
      'untrusted',
      0,
      'the server certificate is not the one in the Security object',
    );
  if (usage === 0 && !verified.path.slice(1).some((c) => sameBytes(c.der, rule.serverCertificate)))
    throw new CertificateError(
      'untrusted',
      1,
      'the CA in the Security object is not in the server certificate path',
    );
  if (rule.host !== undefined) {
    const x509 = verified.leaf.x509;
    const ok =
      /^[\d.]+$/.test(rule.host) || rule.host.includes(':')
        ? x509.checkIP(rule.host)
        : x509.checkHost(rule.host);
    if (!ok) throw new CertificateError('untrusted', 0, `the server certificate is not for ${rule.host}`);
  }
  return verified;
}
