// The Certificate message in its two shapes. X.509 (RFC 5246 7.4.2): certificate_list<0..2^24-1>
// of ASN.1Cert<1..2^24-1>, the sender's certificate first. Raw public key (RFC 7250 section 3):
// one ASN.1_subjectPublicKeyInfo<1..2^24-1>, no list. Which shape is read follows the certificate
// type the hellos negotiated. A list is capped in count here (MAX_CERTIFICATES); the handshake
// caps the message size before it gets here.

import { BodyReader } from './BodyReader.js';
import { BodyWriter } from './BodyWriter.js';

/** Certificate types (RFC 7250 section 3; IANA TLS Certificate Types). */
export const CertificateType = { x509: 0, rawPublicKey: 2 } as const;
export type CertificateTypeName = keyof typeof CertificateType;

/** Certificates in one list at most: a leaf and a few CAs (RFC 7925 4.4 keeps chains short). */
export const MAX_CERTIFICATES = 8;

export type CertificateMessage =
  | { readonly type: 'x509'; readonly chain: readonly Uint8Array[] }
  | { readonly type: 'rawPublicKey'; readonly subjectPublicKeyInfo: Uint8Array };

/** Decodes a Certificate body of the negotiated `type`; DecodeError when malformed. */
export function decodeCertificate(body: Uint8Array, type: CertificateTypeName, base = 0): CertificateMessage {
  const r = new BodyReader(body, base);
  if (type === 'rawPublicKey') {
    const subjectPublicKeyInfo = r.vector(3, 1, 0xffffff, 'ASN.1_subjectPublicKeyInfo');
    r.end('Certificate');
    return { type, subjectPublicKeyInfo };
  }
  const list = new BodyReader(r.vector(3, 0, 0xffffff, 'certificate_list'), base + 3);
  r.end('Certificate');
  const chain: Uint8Array[] = [];
  while (list.remaining > 0) {
    if (chain.length === MAX_CERTIFICATES)
      throw list.error(`more than ${MAX_CERTIFICATES} certificates`, 'limit');
    chain.push(list.vector(3, 1, 0xffffff, 'ASN.1Cert'));
  }
  return { type, chain };
}

/** Encodes a Certificate body. */
export function encodeCertificate(m: CertificateMessage): Uint8Array {
  if (m.type === 'rawPublicKey')
    return new BodyWriter()
      .vector(3, 1, 0xffffff, m.subjectPublicKeyInfo, 'ASN.1_subjectPublicKeyInfo')
      .finish();
  if (m.chain.length > MAX_CERTIFICATES) throw new RangeError(`more than ${MAX_CERTIFICATES} certificates`);
  const list = new BodyWriter();
  for (const cert of m.chain) list.vector(3, 1, 0xffffff, cert, 'ASN.1Cert');
  return new BodyWriter().vector(3, 0, 0xffffff, list.finish(), 'certificate_list').finish();
}
