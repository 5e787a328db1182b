// Object identifiers of the X.509 profile the DTLS layer reads and issues (RFC 5280, RFC 5480,
// RFC 5758; RFC 7925 section 4.4 profiles certificates for constrained devices).

export const OID = {
  // Attribute types of a Name (RFC 5280 appendix A)
  commonName: '2.5.4.3',
  organizationName: '2.5.4.10',
  organizationalUnitName: '2.5.4.11',
  countryName: '2.5.4.6',
  // Extensions (RFC 5280 4.2.1)
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  // Extended key usages (RFC 5280 4.2.1.12)
  anyExtendedKeyUsage: '2.5.29.37.0',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  // Algorithms (RFC 5480, RFC 5758)
  ecPublicKey: '1.2.840.10045.2.1',
  prime256v1: '1.2.840.10045.3.1.7',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
} as const;

/** keyUsage bit positions (RFC 5280 4.2.1.3). */
export const KeyUsageBit = {
  digitalSignature: 0,
  nonRepudiation: 1,
  keyEncipherment: 2,
  dataEncipherment: 3,
  keyAgreement: 4,
  keyCertSign: 5,
  cRLSign: 6,
} as const;
export type KeyUsageName = keyof typeof KeyUsageBit;
