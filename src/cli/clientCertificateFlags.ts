// `lwm2m client` with raw public keys or certificates (issue 15, Transport TS 1.1.1 5.2.8): --key
// (our P-256 private key) with --server-cert (the server's public key or certificate) makes the
// coaps:// accounts Security Mode 1 (RPK); adding --cert (our certificate, or our chain in one
// PEM, leaf first) makes them mode 2 (X.509), with --certificate-usage (RFC 6698, /0/x/15, default
// 3: --server-cert is the server's own certificate; 2: it is the CA the server's chain leads to;
// 0 and 1 check the server's chain against the client's own --ca files).
// Files are PEM or DER. Messages name the flag and file, never key bytes.
import { X509Certificate } from 'node:crypto';
import type { ClientCertificateConfig } from '../client/certificateCredentials.js';
import {
  CredentialFileError,
  readCertificates,
  readPrivateKey,
  readPublicKey,
  requireP256,
} from './certs/credentialFiles.js';

/** The certificate flags as commander gives them. */
export interface CertificateFlags {
  readonly server?: string;
  readonly bootstrap?: string;
  readonly pskIdentity?: string;
  readonly psk?: string;
  readonly cert?: string;
  readonly key?: string;
  readonly serverCert?: string;
  readonly certificateUsage?: number;
  /** CA files for certificate usages 0 and 1 (repeatable). */
  readonly ca?: readonly string[];
}

/** True when any certificate flag is given. */
export const hasCertificateFlags = (f: CertificateFlags): boolean =>
  f.cert !== undefined ||
  f.key !== undefined ||
  f.serverCert !== undefined ||
  f.certificateUsage !== undefined ||
  (f.ca?.length ?? 0) > 0;

/** Why the certificate flags do not fit together, or undefined (also when none is given). */
export function certificateFlagProblem(f: CertificateFlags): string | undefined {
  if (!hasCertificateFlags(f)) return undefined;
  if (f.pskIdentity !== undefined || f.psk !== undefined)
    return 'give --psk-identity/--psk or --key/--server-cert, not both';
  if (![f.server, f.bootstrap].some((u) => u?.startsWith('coaps:')))
    return '--key/--cert/--server-cert need a coaps:// --server or --bootstrap';
  if (f.key === undefined) return '--cert and --server-cert need --key (our private key)';
  if (f.serverCert === undefined)
    return "--key needs --server-cert (the server's public key, or its certificate or CA with --cert)";
  if (f.certificateUsage !== undefined && f.cert === undefined)
    return '--certificate-usage needs --cert (it is for certificate mode)';
  if (f.ca?.length && f.cert === undefined) return '--ca needs --cert (it is for certificate mode)';
  return undefined;
}

/** The client's own CAs (--ca), for servers checked with certificate usage 0 or 1. */
export function loadClientTrustAnchors(f: CertificateFlags): Uint8Array[] {
  return (f.ca ?? []).flatMap((path) => readCertificates('--ca', path));
}

/** The credentials of the flags (undefined without them); throws CredentialFileError naming the flag and file. */
export function loadClientCertificate(f: CertificateFlags): ClientCertificateConfig | undefined {
  if (f.key === undefined || f.serverCert === undefined) return undefined;
  const privateKey = requireP256('--key', f.key, readPrivateKey('--key', f.key));
  if (f.cert === undefined) return { privateKey, serverKey: readPublicKey('--server-cert', f.serverCert) };
  const chain = readCertificates('--cert', f.cert);
  if (!new X509Certificate(chain[0]!).checkPrivateKey(privateKey))
    throw new CredentialFileError('--cert', f.cert, `is not the certificate of --key ${f.key}`);
  const [serverKey] = readCertificates('--server-cert', f.serverCert);
  const usage = f.certificateUsage;
  return {
    privateKey,
    chain,
    serverKey: serverKey!,
    ...(usage === 0 || usage === 1 || usage === 2 || usage === 3 ? { certificateUsage: usage } : {}),
  };
}
