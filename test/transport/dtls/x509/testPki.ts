// A small PKI for certificate tests, issued with our CertificateBuilder: a root CA, an
// intermediate, a server and device certificates, and helpers for broken variants.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import {
  issueCertificate,
  type IssueCertificateOptions,
} from '../../../../src/transport/dtls/x509/CertificateBuilder.js';

export interface Issued {
  readonly der: Buffer;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

export const DAY = 24 * 3600 * 1000;
/**
 * "Now" of the tests: today at 00:00 UTC, so the certificates are valid against the real clock
 * too (servers and peers in end-to-end tests check validity against it); unit tests give the
 * verifier this clock, and every date here is relative to it.
 */
export const NOW = Math.floor(Date.now() / DAY) * DAY;

export function keyPair(): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' });
}

type Extra = Omit<IssueCertificateOptions, 'subject' | 'publicKey' | 'issuer' | 'selfKey'>;

export function selfSigned(commonName: string, extra: Extra = { ca: true }): Issued {
  const keys = keyPair();
  const der = issueCertificate({
    subject: { commonName },
    publicKey: keys.publicKey,
    selfKey: keys.privateKey,
    notBefore: NOW - 30 * DAY,
    notAfter: NOW + 365 * DAY,
    ...extra,
  });
  return { der, ...keys };
}

export function issued(commonName: string, issuer: Issued, extra: Extra = {}): Issued {
  const keys = keyPair();
  const der = issueCertificate({
    subject: { commonName },
    publicKey: keys.publicKey,
    issuer: { certificate: issuer.der, privateKey: issuer.privateKey },
    notBefore: NOW - DAY,
    notAfter: NOW + 90 * DAY,
    ...extra,
  });
  return { der, ...keys };
}

/** root → intermediate → leaves. */
export function testPki() {
  const root = selfSigned('Test Root CA', { ca: { pathLength: 1 } });
  const intermediate = issued('Test Intermediate CA', root, {
    ca: { pathLength: 0 },
    notBefore: NOW - 10 * DAY,
    notAfter: NOW + 300 * DAY,
  });
  const device = issued('urn:imei:490154203237518', intermediate, { extKeyUsage: ['clientAuth'] });
  const server = issued('lwm2m.example', intermediate, {
    extKeyUsage: ['serverAuth'],
    altNames: { dns: ['localhost', 'lwm2m.example'], ip: ['127.0.0.1', '::1'] },
  });
  return { root, intermediate, device, server };
}
