// Writes test PKI material as the PEM files interop peers read (openssl, GnuTLS, libcoap), in a
// fresh temporary directory the caller removes.
import { X509Certificate, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PemDir {
  /** Writes certificates (DER, concatenated as PEM) and returns the path. */
  certificates(name: string, ...ders: Uint8Array[]): string;
  /** Writes a private key (PKCS#8, or SEC1 'EC PRIVATE KEY' with `sec1`) and returns the path. */
  privateKey(name: string, key: KeyObject, sec1?: boolean): string;
  /** Writes a public key (SubjectPublicKeyInfo PEM) and returns the path. */
  publicKey(name: string, key: KeyObject): string;
  remove(): void;
}

export function pemDir(): PemDir {
  const dir = mkdtempSync(join(tmpdir(), 'lwm2m-pem-'));
  const write = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  return {
    certificates: (name, ...ders) => write(name, ders.map((d) => new X509Certificate(d).toString()).join('')),
    privateKey: (name, key, sec1 = false) =>
      write(name, key.export({ type: sec1 ? 'sec1' : 'pkcs8', format: 'pem' }) as string),
    publicKey: (name, key) => write(name, key.export({ type: 'spki', format: 'pem' }) as string),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
