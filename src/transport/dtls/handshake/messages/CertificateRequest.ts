// CertificateRequest (RFC 5246 7.4.4): certificate_types<1..2^8-1>,
// supported_signature_algorithms<2..2^16-2> (pairs), certificate_authorities<0..2^16-1> of
// DistinguishedName<1..2^16-1>. The LwM2M server always asks (mutual authentication); it sends
// ecdsa_sign with ecdsa_secp256r1_sha256 and, for RPK, no authorities.

import { BodyReader } from './BodyReader.js';
import { BodyWriter } from './BodyWriter.js';

/** ClientCertificateType ecdsa_sign (RFC 8422 5.5). */
export const ECDSA_SIGN = 64;
/** Authorities listed at most (a server lists its trust anchors' names). */
export const MAX_AUTHORITIES = 64;

export interface CertificateRequest {
  readonly certificateTypes: readonly number[];
  /** hash << 8 | signature pairs. */
  readonly signatureAlgorithms: readonly number[];
  /** DER Names. */
  readonly authorities: readonly Uint8Array[];
}

export function decodeCertificateRequest(body: Uint8Array, base = 0): CertificateRequest {
  const r = new BodyReader(body, base);
  const certificateTypes = Array.from(r.vector(1, 1, 0xff, 'certificate_types'));
  const algs = r.vector(2, 2, 0xfffe, 'supported_signature_algorithms');
  if (algs.length % 2) throw r.error('odd supported_signature_algorithms length');
  const signatureAlgorithms: number[] = [];
  for (let i = 0; i < algs.length; i += 2) signatureAlgorithms.push((algs[i]! << 8) | algs[i + 1]!);
  const listAt = base + r.offset + 2; // after the vector's length
  const list = new BodyReader(r.vector(2, 0, 0xffff, 'certificate_authorities'), listAt);
  r.end('CertificateRequest');
  const authorities: Uint8Array[] = [];
  while (list.remaining > 0) {
    if (authorities.length === MAX_AUTHORITIES)
      throw list.error(`more than ${MAX_AUTHORITIES} authorities`, 'limit');
    authorities.push(list.vector(2, 1, 0xffff, 'DistinguishedName'));
  }
  return { certificateTypes, signatureAlgorithms, authorities };
}

export function encodeCertificateRequest(m: CertificateRequest): Uint8Array {
  const algs = new BodyWriter();
  for (const a of m.signatureAlgorithms) algs.u16(a, 'SignatureAndHashAlgorithm');
  const names = new BodyWriter();
  for (const n of m.authorities) names.vector(2, 1, 0xffff, n, 'DistinguishedName');
  return new BodyWriter()
    .vector(1, 1, 0xff, Uint8Array.from(m.certificateTypes), 'certificate_types')
    .vector(2, 2, 0xfffe, algs.finish(), 'supported_signature_algorithms')
    .vector(2, 0, 0xffff, names.finish(), 'certificate_authorities')
    .finish();
}
