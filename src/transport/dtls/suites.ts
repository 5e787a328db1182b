// The cipher suites this DTLS 1.2 stack knows, with the lengths the key schedule and the record
// protection need (RFC 5246 section 6.3 and appendix C), and the server's choice among a
// client's offer.
//
// - TLS_PSK_WITH_AES_128_CCM_8 (0xC0A8, RFC 6655 section 4): mandatory in RFC 7925 section 4.2
//   and the LwM2M Transport TS; AEAD with a 4-byte implicit salt and an 8-byte explicit nonce,
//   no MAC key, 8-byte tag.
// - TLS_PSK_WITH_AES_128_CBC_SHA256 (0x00AE, RFC 5487 section 3.1): a LwM2M server MUST accept
//   it, but CBC MAC-then-encrypt is weaker than an AEAD, so it is off unless enabled. TLS 1.2 CBC
//   records carry an explicit 16-byte IV, so the key block has no IVs for it (RFC 5246 6.3).
// - TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8 (0xC0AE, RFC 7251 section 2): mandatory in RFC 7925
//   section 4.4 and the LwM2M Transport TS for raw public keys and certificates; records as for
//   the PSK CCM_8 suite, keys from an ephemeral ECDH on secp256r1 signed with ECDSA.
// - TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256 (0xC023, RFC 5289 section 3.2): accepted by a server
//   when enabled, off by default (as for the PSK CBC suite).
// All use the TLS 1.2 PRF with SHA-256. A role only negotiates the certificate suites when it has
// certificate credentials (raw public key or X.509): DEFAULT_CIPHER_SUITES are the PSK ones,
// DEFAULT_CERTIFICATE_SUITES the ECDHE_ECDSA ones.

/** How a suite protects records. */
export type RecordCipher = 'aes-128-ccm8' | 'aes-128-cbc-hmac-sha256';

/** One cipher suite and the lengths derived from it. */
export interface CipherSuite {
  /** The 16-bit code point on the wire. */
  readonly id: number;
  /** The IANA name. */
  readonly name: string;
  /** Key exchange: pre-shared keys, or ephemeral ECDH signed with ECDSA (raw public keys, X.509). */
  readonly keyExchange: 'psk' | 'ecdhe_ecdsa';
  readonly cipher: RecordCipher;
  /** MAC key bytes per direction in the key block (0 for an AEAD). */
  readonly macKeyLength: number;
  /** Encryption key bytes per direction. */
  readonly encKeyLength: number;
  /** Implicit IV (salt) bytes per direction in the key block. */
  readonly fixedIvLength: number;
  /** Explicit nonce or IV bytes carried at the start of every protected record. */
  readonly recordIvLength: number;
  /** Authentication tag (AEAD) or MAC bytes at the end of every protected record. */
  readonly tagLength: number;
  /** Off unless the application enables it. */
  readonly enabledByDefault: boolean;
}

/** TLS_PSK_WITH_AES_128_CCM_8: the suite every LwM2M peer speaks. */
export const TLS_PSK_WITH_AES_128_CCM_8: CipherSuite = {
  id: 0xc0a8,
  name: 'TLS_PSK_WITH_AES_128_CCM_8',
  keyExchange: 'psk',
  cipher: 'aes-128-ccm8',
  macKeyLength: 0,
  encKeyLength: 16,
  fixedIvLength: 4,
  recordIvLength: 8,
  tagLength: 8,
  enabledByDefault: true,
};

/** TLS_PSK_WITH_AES_128_CBC_SHA256: accepted by a LwM2M server when enabled. */
export const TLS_PSK_WITH_AES_128_CBC_SHA256: CipherSuite = {
  id: 0x00ae,
  name: 'TLS_PSK_WITH_AES_128_CBC_SHA256',
  keyExchange: 'psk',
  cipher: 'aes-128-cbc-hmac-sha256',
  macKeyLength: 32,
  encKeyLength: 16,
  fixedIvLength: 0,
  recordIvLength: 16,
  tagLength: 32,
  enabledByDefault: false,
};

/** TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8: the suite of raw public keys and certificates. */
export const TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8: CipherSuite = {
  ...TLS_PSK_WITH_AES_128_CCM_8,
  id: 0xc0ae,
  name: 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8',
  keyExchange: 'ecdhe_ecdsa',
};

/** TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256: accepted by a server when enabled. */
export const TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256: CipherSuite = {
  ...TLS_PSK_WITH_AES_128_CBC_SHA256,
  id: 0xc023,
  name: 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256',
  keyExchange: 'ecdhe_ecdsa',
};

/** Every known suite, in the server's order of preference. */
export const CIPHER_SUITES: readonly CipherSuite[] = [
  TLS_PSK_WITH_AES_128_CCM_8,
  TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8,
  TLS_PSK_WITH_AES_128_CBC_SHA256,
  TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
];

/** TLS_EMPTY_RENEGOTIATION_INFO_SCSV (RFC 5746 section 3.3): a signal, not a suite. */
export const TLS_EMPTY_RENEGOTIATION_INFO_SCSV = 0x00ff;

/** The PSK suites on by default. */
export const DEFAULT_CIPHER_SUITES: readonly CipherSuite[] = CIPHER_SUITES.filter(
  (s) => s.enabledByDefault && s.keyExchange === 'psk',
);

/** The certificate (ECDHE_ECDSA) suites on by default, for a role with RPK or X.509 credentials. */
export const DEFAULT_CERTIFICATE_SUITES: readonly CipherSuite[] = CIPHER_SUITES.filter(
  (s) => s.enabledByDefault && s.keyExchange === 'ecdhe_ecdsa',
);

/** The known suite with code point `id`, if any. */
export function suiteById(id: number): CipherSuite | undefined {
  return CIPHER_SUITES.find((s) => s.id === id);
}

/** Bytes of key block a suite needs: two MAC keys, two keys, two salts (RFC 5246 6.3). */
export function keyBlockLength(suite: CipherSuite): number {
  return 2 * (suite.macKeyLength + suite.encKeyLength + suite.fixedIvLength);
}

/**
 * The server's choice: the first of `enabled` (its preference order) that the client offered,
 * or undefined when there is none in common. Unknown code points in the offer are ignored.
 */
export function selectSuite(
  offered: readonly number[],
  enabled: readonly CipherSuite[] = DEFAULT_CIPHER_SUITES,
): CipherSuite | undefined {
  return enabled.find((s) => offered.includes(s.id));
}
