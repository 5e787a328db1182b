// Sample bodies of the certificate-suite handshake messages, built from the test PKI and real
// node:crypto keys and signatures: the corpus of the codec tests and fuzzers.
import { createECDH, sign } from 'node:crypto';
import { encodeCertificate } from '../../../../src/transport/dtls/handshake/messages/Certificate.js';
import {
  ECDSA_SIGN,
  encodeCertificateRequest,
} from '../../../../src/transport/dtls/handshake/messages/CertificateRequest.js';
import {
  SECP256R1,
  encodeEcdhClientKeyExchange,
  encodeEcdheServerKeyExchange,
  encodeServerEcdhParams,
} from '../../../../src/transport/dtls/handshake/messages/EcdheKeyExchange.js';
import {
  ECDSA_SHA256,
  encodeCertificateVerify,
} from '../../../../src/transport/dtls/handshake/messages/signatures.js';
import { certificateFields } from '../../../../src/transport/dtls/x509/certificateFields.js';
import { testPki } from './testPki.js';

export function certificateMessageSamples() {
  const pki = testPki();
  const ecdh = createECDH('prime256v1');
  const point = ecdh.generateKeys();
  const params = encodeServerEcdhParams({ namedCurve: SECP256R1, point });
  const signature = sign('sha256', Buffer.concat([Buffer.alloc(64, 7), params]), pki.server.privateKey);
  return {
    pki,
    x509Certificate: encodeCertificate({ type: 'x509', chain: [pki.device.der, pki.intermediate.der] }),
    emptyCertificate: encodeCertificate({ type: 'x509', chain: [] }),
    rpkCertificate: encodeCertificate({
      type: 'rawPublicKey',
      subjectPublicKeyInfo: certificateFields(pki.device.der).subjectPublicKeyInfo,
    }),
    serverKeyExchange: encodeEcdheServerKeyExchange(params, { algorithm: ECDSA_SHA256, signature }),
    clientKeyExchange: encodeEcdhClientKeyExchange(createECDH('prime256v1').generateKeys()),
    certificateVerify: encodeCertificateVerify({ algorithm: ECDSA_SHA256, signature }),
    certificateRequestWithAuthorities: encodeCertificateRequest({
      certificateTypes: [ECDSA_SIGN, 1],
      signatureAlgorithms: [ECDSA_SHA256, 0x0401],
      authorities: [Buffer.from('3012311030', 'hex'), Buffer.from('300f310d300b', 'hex')],
    }),
    certificateRequest: encodeCertificateRequest({
      certificateTypes: [ECDSA_SIGN],
      signatureAlgorithms: [ECDSA_SHA256],
      authorities: [],
    }),
  };
}
