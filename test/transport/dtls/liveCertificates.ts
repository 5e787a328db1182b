// Certificates for interop tests with external DTLS peers, valid around the real clock (the
// peers check validity against it): a root CA issuing a server certificate (localhost,
// 127.0.0.1) and a device certificate, written as PEM files for openssl / gnutls / libcoap.
import { X509Certificate, type KeyObject } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DAY, issued, selfSigned, type Issued } from './x509/testPki.js';

export interface LivePki {
  readonly root: Issued;
  readonly server: Issued;
  readonly device: Issued;
  /** Another self-signed server certificate (a wrong pin). */
  readonly stranger: Issued;
}

export function livePki(): LivePki {
  const now = Date.now();
  const dates = { notBefore: now - DAY, notAfter: now + 30 * DAY };
  const root = selfSigned('Live Test Root CA', { ca: { pathLength: 0 }, ...dates });
  return {
    root,
    server: issued('localhost', root, {
      extKeyUsage: ['serverAuth'],
      altNames: { dns: ['localhost'], ip: ['127.0.0.1'] },
      ...dates,
    }),
    device: issued('urn:dev:test-device', root, { extKeyUsage: ['clientAuth'], ...dates }),
    stranger: selfSigned('localhost', { altNames: { dns: ['localhost'], ip: ['127.0.0.1'] }, ...dates }),
  };
}

export const certificatePem = (der: Uint8Array): string => new X509Certificate(der).toString();
export const privateKeyPem = (key: KeyObject): string =>
  key.export({ type: 'pkcs8', format: 'pem' }).toString();
export const publicKeyPem = (key: KeyObject): string =>
  key.export({ type: 'spki', format: 'pem' }).toString();

/** Writes `files` (name → text) under `dir`; returns their paths by name. */
export function writeFiles(dir: string, files: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, text] of Object.entries(files)) {
    out[name] = join(dir, name);
    writeFileSync(out[name], text);
  }
  return out;
}
