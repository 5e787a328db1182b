// Whether a ClientHello allows an ECDHE_ECDSA suite with our credentials, and with which
// certificate types (the server side of RFC 8422 section 5.1 and RFC 7250 section 4.2):
// - supported_groups must list secp256r1 when present (absent: accepted, being liberal: secp256r1
//   is the curve RFC 7925 section 4.4 mandates);
// - signature_algorithms must allow ecdsa_secp256r1_sha256 when present (RFC 5246 7.4.1.4.1);
// - ec_point_formats must list uncompressed when present, else illegal_parameter (RFC 8422 5.1.2);
// - server_certificate_type (what we send): RawPublicKey when the client lists it first, else
//   X.509 when it lists it (or omits the extension) and we have a chain, else RawPublicKey if
//   listed; client_certificate_type (what we accept): the client's first type we can admit, X.509
//   (absent extension) needing trust anchors. No type in common: unsupported_certificate (4.2).
// Failing a check makes the certificate suites unusable for this hello; the server may still pick
// a PSK suite, and the alert reported here is sent only when nothing else is left.

import type { ClientHello } from './messages/ClientHello.js';
import { AlertDescription } from './alerts.js';
import { CertificateType, type CertificateTypeName } from './messages/Certificate.js';
import {
  CertificateExtensionType,
  UNCOMPRESSED,
  decodeCertificateTypeList,
  decodeEcPointFormats,
  decodeSignatureAlgorithms,
  decodeSupportedGroups,
  encodeCertificateTypeChoice,
  encodeEcPointFormats,
} from './messages/certificateExtensions.js';
import { SECP256R1 } from './messages/EcdheKeyExchange.js';
import { findExtension, type Extension } from './messages/extensions.js';
import { ECDSA_SHA256 } from './messages/signatures.js';

/** What our credentials allow (ServerCertificateCredentials). */
export interface CertificateAbilities {
  readonly chain: readonly Uint8Array[] | undefined;
  readonly acceptsX509: boolean;
  readonly acceptsRawPublicKey: boolean;
}

/** The outcome for an ECDHE_ECDSA suite. */
export interface CertificateNegotiation {
  /** What our Certificate message carries. */
  readonly serverType: CertificateTypeName;
  /** What the client's Certificate message must carry. */
  readonly clientType: CertificateTypeName;
  /** ServerHello extensions answering the client's. */
  readonly extensions: readonly Extension[];
}

const typeName = (type: number): CertificateTypeName | undefined =>
  type === CertificateType.x509 ? 'x509' : type === CertificateType.rawPublicKey ? 'rawPublicKey' : undefined;

/** The negotiation, or the fatal alert that refuses the certificate suites for this hello. */
export function negotiateCertificate(
  hello: ClientHello,
  ours: CertificateAbilities,
): CertificateNegotiation | number {
  const ext = hello.extensions;
  const groups = findExtension(ext, CertificateExtensionType.supportedGroups);
  if (groups !== undefined && !decodeSupportedGroups(groups).includes(SECP256R1))
    return AlertDescription.handshakeFailure;
  const algorithms = findExtension(ext, CertificateExtensionType.signatureAlgorithms);
  if (algorithms !== undefined && !decodeSignatureAlgorithms(algorithms).includes(ECDSA_SHA256))
    return AlertDescription.handshakeFailure;
  const formats = findExtension(ext, CertificateExtensionType.ecPointFormats);
  if (formats !== undefined && !decodeEcPointFormats(formats).includes(UNCOMPRESSED))
    return AlertDescription.illegalParameter;

  const serverList = findExtension(ext, CertificateExtensionType.serverCertificateType);
  const serverTypes =
    serverList === undefined ? [CertificateType.x509] : decodeCertificateTypeList(serverList);
  let serverType: CertificateTypeName | undefined;
  if (serverTypes[0] === CertificateType.rawPublicKey) serverType = 'rawPublicKey';
  else if (ours.chain && serverTypes.includes(CertificateType.x509)) serverType = 'x509';
  else if (serverTypes.includes(CertificateType.rawPublicKey)) serverType = 'rawPublicKey';

  const clientList = findExtension(ext, CertificateExtensionType.clientCertificateType);
  const clientTypes =
    clientList === undefined ? [CertificateType.x509] : decodeCertificateTypeList(clientList);
  const clientType = clientTypes
    .map(typeName)
    .find((t) => (t === 'x509' && ours.acceptsX509) || (t === 'rawPublicKey' && ours.acceptsRawPublicKey));
  if (!serverType || !clientType) return AlertDescription.unsupportedCertificate;

  const extensions: Extension[] = [];
  if (formats !== undefined)
    extensions.push({
      type: CertificateExtensionType.ecPointFormats,
      data: encodeEcPointFormats([UNCOMPRESSED]),
    });
  if (clientList !== undefined)
    extensions.push({
      type: CertificateExtensionType.clientCertificateType,
      data: encodeCertificateTypeChoice(CertificateType[clientType]),
    });
  if (serverList !== undefined)
    extensions.push({
      type: CertificateExtensionType.serverCertificateType,
      data: encodeCertificateTypeChoice(CertificateType[serverType]),
    });
  return { serverType, clientType, extensions };
}
