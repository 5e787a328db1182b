// The fatal alert for a refused peer certificate chain (RFC 5246 7.2.2): unknown_ca when no
// trust anchor leads to it (a missing intermediate included), certificate_expired outside its
// validity, unsupported_certificate when it may not be used for this (key usage, purpose, an
// unknown critical extension), bad_certificate for anything broken (malformed, bad signature,
// not a CA, path too long).

import type { CertificateFailure } from '../x509/CertificateVerifier.js';
import { AlertDescription } from './alerts.js';

/** The alert description that reports `failure`. */
export function certificateAlert(failure: CertificateFailure): number {
  switch (failure) {
    case 'untrusted':
      return AlertDescription.unknownCa;
    case 'expired':
    case 'not-yet-valid':
      return AlertDescription.certificateExpired;
    case 'key-usage':
    case 'extended-key-usage':
    case 'unsupported-critical-extension':
      return AlertDescription.unsupportedCertificate;
    case 'empty-chain':
    case 'malformed':
    case 'chain-too-long':
    case 'bad-signature':
    case 'not-a-ca':
    case 'path-length':
      return AlertDescription.badCertificate;
  }
}
