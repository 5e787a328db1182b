// TLS 1.2 signatures (RFC 5246 4.7 digitally-signed, 7.4.1.4.1 SignatureAndHashAlgorithm): the
// algorithm pair then signature<0..2^16-1>. This stack signs and accepts ECDSA with SHA-256 only
// (RFC 7925 section 4.3 and the LwM2M Transport TS: secp256r1, ecdsa_secp256r1_sha256); an ECDSA
// signature is the DER Ecdsa-Sig-Value (RFC 8422 5.4).

import { BodyReader } from './BodyReader.js';
import { BodyWriter } from './BodyWriter.js';

/** HashAlgorithm and SignatureAlgorithm code points used here. */
export const HashAlgorithm = { sha256: 4 } as const;
export const SignatureAlgorithm = { ecdsa: 3 } as const;

/** ecdsa_secp256r1_sha256, as the two bytes of a SignatureAndHashAlgorithm. */
export const ECDSA_SHA256 = (HashAlgorithm.sha256 << 8) | SignatureAlgorithm.ecdsa;

/** A digitally-signed element. */
export interface DigitallySigned {
  /** hash << 8 | signature. */
  readonly algorithm: number;
  readonly signature: Uint8Array;
}

export function readDigitallySigned(r: BodyReader): DigitallySigned {
  const algorithm = r.u16('SignatureAndHashAlgorithm');
  const signature = r.vector(2, 0, 0xffff, 'signature');
  return { algorithm, signature };
}

export function writeDigitallySigned(w: BodyWriter, s: DigitallySigned): void {
  w.u16(s.algorithm, 'SignatureAndHashAlgorithm').vector(2, 0, 0xffff, s.signature, 'signature');
}

/** CertificateVerify (RFC 5246 7.4.8): a digitally-signed hash of the handshake so far. */
export function decodeCertificateVerify(body: Uint8Array, base = 0): DigitallySigned {
  const r = new BodyReader(body, base);
  const s = readDigitallySigned(r);
  r.end('CertificateVerify');
  return s;
}

export function encodeCertificateVerify(s: DigitallySigned): Uint8Array {
  const w = new BodyWriter();
  writeDigitallySigned(w, s);
  return w.finish();
}
