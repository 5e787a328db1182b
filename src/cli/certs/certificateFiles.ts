// Files of `lwm2m certs`: a certificate as PEM and DER, its private key as PKCS#8 PEM and DER
// (mode 0600; the DER forms are what the LwM2M Security object's /0/x/3 and /0/x/5 hold), and
// reading a CA back from its directory. Never overwrites without `force`; never prints keys.
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The four files of one certificate and key, by their base name in `dir`. */
export function certificatePaths(dir: string, name: string) {
  return {
    pem: join(dir, `${name}.pem`),
    der: join(dir, `${name}.der`),
    key: join(dir, `${name}.key`),
    keyDer: join(dir, `${name}.key.der`),
  };
}

/** A file name from an endpoint name: anything but letters, digits, '.', '_' and '-' becomes '_'. */
export const fileNameOf = (endpoint: string): string => endpoint.replace(/[^A-Za-z0-9._-]/g, '_');

/** Writes the certificate and key; returns the paths written. */
export function writeCertificate(
  dir: string,
  name: string,
  der: Uint8Array,
  privateKey: KeyObject,
  force: boolean,
): string[] {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const paths = certificatePaths(dir, name);
  if (!force) {
    const existing = Object.values(paths).filter((p) => existsSync(p));
    if (existing.length > 0)
      throw new Error(
        `${existing.join(', ')} already exist${existing.length === 1 ? 's' : ''} (--force replaces)`,
      );
  }
  writeFileSync(paths.pem, new X509Certificate(der).toString());
  writeFileSync(paths.der, der);
  writeFileSync(paths.key, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  writeFileSync(paths.keyDer, privateKey.export({ type: 'pkcs8', format: 'der' }), { mode: 0o600 });
  return [paths.pem, paths.der, paths.key, paths.keyDer];
}

/** The CA made by `lwm2m certs ca` in `dir`. */
export function readCa(dir: string): { certificate: Buffer; privateKey: KeyObject } {
  const paths = certificatePaths(dir, 'ca');
  if (!existsSync(paths.pem) || !existsSync(paths.key))
    throw new Error(`no CA in ${dir} (${paths.pem} and ${paths.key}): run 'lwm2m certs ca' first`);
  const certificate = Buffer.from(new X509Certificate(readFileSync(paths.pem)).raw);
  return { certificate, privateKey: createPrivateKey(readFileSync(paths.key)) };
}
