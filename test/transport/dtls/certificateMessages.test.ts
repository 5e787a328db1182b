// Codecs of the certificate-suite handshake messages (issue 15 item 1): known layouts, round
// trips, and refusals (wrong curve type, oversize lists, trailing bytes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { verify } from 'node:crypto';
import {
  MAX_CERTIFICATES,
  decodeCertificate,
  encodeCertificate,
} from '../../../src/transport/dtls/handshake/messages/Certificate.js';
import { decodeCertificateRequest } from '../../../src/transport/dtls/handshake/messages/CertificateRequest.js';
import {
  decodeEcdhClientKeyExchange,
  decodeEcdheServerKeyExchange,
} from '../../../src/transport/dtls/handshake/messages/EcdheKeyExchange.js';
import {
  ECDSA_SHA256,
  decodeCertificateVerify,
} from '../../../src/transport/dtls/handshake/messages/signatures.js';
import {
  decodeCertificateTypeChoice,
  decodeCertificateTypeList,
  decodeEcPointFormats,
  decodeSignatureAlgorithms,
  decodeSupportedGroups,
  encodeCertificateTypeList,
  encodeSignatureAlgorithms,
  encodeSupportedGroups,
} from '../../../src/transport/dtls/handshake/messages/certificateExtensions.js';
import { DecodeError } from '../../../src/transport/DecodeError.js';
import { certificateMessageSamples } from './x509/certificateMessages.js';

const s = certificateMessageSamples();
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

test('Certificate: an X.509 list in order, an empty list, and an RPK as a single SPKI', () => {
  const x = decodeCertificate(s.x509Certificate, 'x509');
  assert.equal(x.type, 'x509');
  assert.deepEqual(x.type === 'x509' && x.chain.map(hex), [
    hex(s.pki.device.der),
    hex(s.pki.intermediate.der),
  ]);
  const total = s.pki.device.der.length + s.pki.intermediate.der.length + 6;
  assert.equal(hex(s.x509Certificate.subarray(0, 3)), total.toString(16).padStart(6, '0'));
  assert.deepEqual(decodeCertificate(s.emptyCertificate, 'x509'), { type: 'x509', chain: [] });
  const rpk = decodeCertificate(s.rpkCertificate, 'rawPublicKey');
  assert.equal(rpk.type === 'rawPublicKey' && rpk.subjectPublicKeyInfo.length, 91); // P-256 SPKI
  // the same bytes read as the other type do not decode
  assert.throws(() => decodeCertificate(s.rpkCertificate, 'x509'), DecodeError);
});

test('Certificate: more than MAX_CERTIFICATES, empty entries and trailing bytes are refused', () => {
  const many = encodeCertificate({ type: 'x509', chain: Array(MAX_CERTIFICATES).fill(Uint8Array.of(1)) });
  assert.equal(decodeCertificate(many, 'x509').type, 'x509');
  const tooMany = Buffer.from(many);
  const extra = Buffer.concat([tooMany.subarray(3), Buffer.from([0, 0, 1, 1])]);
  const body = Buffer.concat([Buffer.from([0, extra.length >> 8, extra.length & 0xff]), extra]);
  assert.throws(
    () => decodeCertificate(body, 'x509'),
    (e: unknown) => e instanceof DecodeError && e.kind === 'limit',
  );
  assert.throws(() => decodeCertificate(Buffer.from('000003000000', 'hex'), 'x509'), DecodeError);
  assert.throws(
    () => decodeCertificate(Buffer.concat([s.emptyCertificate, Buffer.of(0)]), 'x509'),
    DecodeError,
  );
});

test('ServerKeyExchange: named curve secp256r1, 65-byte point, ECDSA-SHA256 signature over randoms + params', () => {
  const m = decodeEcdheServerKeyExchange(s.serverKeyExchange);
  assert.equal(m.params.namedCurve, 23);
  assert.equal(m.params.point.length, 65);
  assert.equal(m.params.point[0], 4);
  assert.equal(hex(m.paramsBytes.subarray(0, 4)), '03001741');
  assert.equal(m.signed.algorithm, ECDSA_SHA256);
  const data = Buffer.concat([Buffer.alloc(64, 7), m.paramsBytes]);
  assert.ok(verify('sha256', data, s.pki.server.publicKey, m.signed.signature));
  // explicit_prime (1) and explicit_char2 (2) curve types are refused
  const other = Buffer.from(s.serverKeyExchange);
  other[0] = 1;
  assert.throws(() => decodeEcdheServerKeyExchange(other), DecodeError);
  // no signature
  assert.throws(() => decodeEcdheServerKeyExchange(m.paramsBytes), DecodeError);
});

test('ClientKeyExchange (ECDH), CertificateVerify and CertificateRequest decode; truncations do not', () => {
  assert.equal(decodeEcdhClientKeyExchange(s.clientKeyExchange).length, 65);
  assert.equal(decodeCertificateVerify(s.certificateVerify).algorithm, ECDSA_SHA256);
  assert.deepEqual(decodeCertificateRequest(s.certificateRequest), {
    certificateTypes: [64],
    signatureAlgorithms: [0x0403],
    authorities: [],
  });
  assert.equal(hex(s.certificateRequest), '01400002040300' + '00');
  const cut = (b: Uint8Array): Uint8Array => b.subarray(0, b.length - 1);
  assert.throws(() => decodeEcdhClientKeyExchange(cut(s.clientKeyExchange)), DecodeError);
  assert.throws(() => decodeCertificateVerify(cut(s.certificateVerify)), DecodeError);
  assert.throws(() => decodeCertificateRequest(cut(s.certificateRequest)), DecodeError);
});

test('hello extensions: groups, point formats, signature algorithms, certificate types', () => {
  assert.deepEqual(decodeSupportedGroups(encodeSupportedGroups([23, 29])), [23, 29]);
  assert.equal(hex(encodeSupportedGroups([23])), '00020017');
  assert.deepEqual(decodeSignatureAlgorithms(encodeSignatureAlgorithms([0x0403, 0x0804])), [0x0403, 0x0804]);
  assert.deepEqual(decodeEcPointFormats(Buffer.from('0100', 'hex')), [0]);
  assert.deepEqual(decodeCertificateTypeList(encodeCertificateTypeList([2, 0])), [2, 0]);
  assert.equal(decodeCertificateTypeChoice(Uint8Array.of(2)), 2);
  assert.throws(() => decodeSupportedGroups(Buffer.from('000117', 'hex')), DecodeError);
  assert.throws(() => decodeCertificateTypeList(Buffer.from('00', 'hex')), DecodeError);
  assert.throws(() => decodeCertificateTypeChoice(Buffer.from('0200', 'hex')), DecodeError);
});
