// Public surface of the DTLS 1.2 transport (RFC 6347 + RFC 7925 profile; PSK and ECDHE_ECDSA
// suites, Connection ID, resumption): the transport, its options and counters, the suites, the errors a send can
// reject with, and the key-log helper for Wireshark.
export { DtlsTransport } from './DtlsTransport.js';
export type {
  DtlsClientCertificate,
  DtlsClientOptions,
  DtlsClientPsk,
  DtlsClientTrust,
  DtlsCommonOptions,
  DtlsOwnCertificate,
  DtlsServerOptions,
  DtlsStats,
  DtlsTransportOptions,
} from './DtlsTransportOptions.js';
export {
  DtlsCapacityError,
  DtlsClosedError,
  DtlsError,
  DtlsHandshakeError,
  DtlsIdentityMismatchError,
  DtlsNoConnectionError,
} from './DtlsErrors.js';
export {
  CIPHER_SUITES,
  DEFAULT_CERTIFICATE_SUITES,
  DEFAULT_CIPHER_SUITES,
  TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
  TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8,
  TLS_PSK_WITH_AES_128_CBC_SHA256,
  TLS_PSK_WITH_AES_128_CCM_8,
  type CipherSuite,
} from './suites.js';
export { keyLogLine, sslKeyLogFileWriter } from './keyLog.js';
export type { DtlsClock, DtlsTimer } from './DtlsClock.js';
