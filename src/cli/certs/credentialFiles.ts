// The certificate and key files `lwm2m server|bootstrap|client` read (--cert, --key, --ca,
// --server-cert): PEM or DER, as `lwm2m certs` writes them and as openssl does. A PEM file may hold
// several certificates (a chain, leaf first). Errors name the flag and the file, never the bytes.
import { createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** A certificate or key file that cannot be used; its message names the flag and the path. */
export class CredentialFileError extends Error {
  constructor(flag: string, path: string, reason: string) {
    super(`${flag} ${path}: ${reason}`);
    this.name = 'CredentialFileError';
  }
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/g;

function read(flag: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new CredentialFileError(flag, path, `cannot read it (${(e as NodeJS.ErrnoException).code})`);
  }
}

const isPem = (bytes: Buffer): boolean => bytes.includes('-----BEGIN');

/** The certificates (DER) of a PEM file (every CERTIFICATE block, in order) or a DER file. */
export function readCertificates(flag: string, path: string): Uint8Array[] {
  const bytes = read(flag, path);
  const ders = isPem(bytes)
    ? [...bytes.toString('latin1').matchAll(PEM_CERTIFICATE)].map((m) => Buffer.from(m[1]!, 'base64'))
    : [bytes];
  if (ders.length === 0) throw new CredentialFileError(flag, path, 'holds no certificate');
  return ders.map((der, i) => {
    try {
      return Uint8Array.from(new X509Certificate(der).raw);
    } catch {
      throw new CredentialFileError(flag, path, `certificate ${i + 1} is not an X.509 certificate`);
    }
  });
}

/** The private key of a PEM file or of a DER file (PKCS#8 or SEC 1). */
export function readPrivateKey(flag: string, path: string): KeyObject {
  const bytes = read(flag, path);
  const attempts = isPem(bytes)
    ? [() => createPrivateKey(bytes)]
    : (['pkcs8', 'sec1'] as const).map((type) => () => createPrivateKey({ key: bytes, format: 'der', type }));
  for (const attempt of attempts) {
    try {
      return attempt();
    } catch {
      /* next form */
    }
  }
  throw new CredentialFileError(flag, path, 'is not a private key (PEM, or DER PKCS#8 / SEC 1)');
}

/** A DER SubjectPublicKeyInfo from a public key file (PEM or DER) or from a certificate file's key. */
export function readPublicKey(flag: string, path: string): Uint8Array {
  const bytes = read(flag, path);
  if (bytes.includes('PRIVATE KEY'))
    throw new CredentialFileError(flag, path, 'is a private key: give the public key or a certificate');
  const attempts: (() => KeyObject)[] = [
    () => new X509Certificate(bytes).publicKey,
    () =>
      isPem(bytes) ? createPublicKey(bytes) : createPublicKey({ key: bytes, format: 'der', type: 'spki' }),
  ];
  for (const attempt of attempts) {
    try {
      return Uint8Array.from(attempt().export({ type: 'spki', format: 'der' }));
    } catch {
      /* next form */
    }
  }
  throw new CredentialFileError(flag, path, 'is not a public key or a certificate (PEM or DER)');
}

/** Throws CredentialFileError when `key` is not P-256 (what the LwM2M ECDHE_ECDSA suites sign with). */
export function requireP256(flag: string, path: string, key: KeyObject): KeyObject {
  if (key.asymmetricKeyDetails?.namedCurve !== 'prime256v1')
    throw new CredentialFileError(flag, path, 'is not a P-256 (secp256r1) EC key');
  return key;
}
