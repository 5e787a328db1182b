// What our client accepts of a server's Certificate and ServerKeyExchange
// (handshake/clientCertificateChecks.ts) and the alert each refusal sends (RFC 5246 7.2.2):
// certificate_expired, unknown_ca, bad_certificate, illegal_parameter, decrypt_error; and the
// liberal case of RFC 7250 4.2: an RPK client whose server sends X.509 carrying the pinned key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createECDH, type KeyObject } from 'node:crypto';
import type { DtlsClientCertificate } from '../../../src/transport/dtls/DtlsTransportOptions.js';
import {
  acceptServerCertificate,
  readServerKeyExchange,
} from '../../../src/transport/dtls/handshake/clientCertificateChecks.js';
import { HandshakeAbort } from '../../../src/transport/dtls/handshake/HandshakeBase.js';
import {
  encodeEcdheServerKeyExchange,
  encodeServerEcdhParams,
  SECP256R1,
} from '../../../src/transport/dtls/handshake/messages/EcdheKeyExchange.js';
import { ECDSA_SHA256 } from '../../../src/transport/dtls/handshake/messages/signatures.js';
import { DAY, issued, NOW, testPki } from './x509/testPki.js';

const pki = testPki();
const spki = (k: KeyObject): Buffer => k.export({ type: 'spki', format: 'der' });
const x509 = (
  server: Partial<Extract<DtlsClientCertificate, { mode: 'x509' }>['server']>,
): DtlsClientCertificate => ({
  mode: 'x509',
  privateKey: pki.device.privateKey,
  chain: [pki.device.der],
  server: { usage: 2, serverCertificate: pki.root.der, host: 'localhost', now: () => NOW, ...server },
});
const alertOf = (f: () => unknown): number => {
  try {
    f();
  } catch (e) {
    if (e instanceof HandshakeAbort) return e.description;
    throw e;
  }
  return -1;
};

test('X.509 usage 2: the server chain to our root is accepted with its subject, CN and DNS names', () => {
  const accepted = acceptServerCertificate(
    { type: 'x509', chain: [pki.server.der, pki.intermediate.der] },
    x509({}),
  );
  assert.deepEqual(accepted.identity, {
    kind: 'x509',
    subject: 'CN=lwm2m.example',
    commonName: 'lwm2m.example',
    subjectAltNames: ['localhost', 'lwm2m.example'], // DNS and URI entries only, not the IPs
  });
});

test('X.509: an expired server certificate is certificate_expired (45)', () => {
  const old = issued('localhost', pki.intermediate, {
    extKeyUsage: ['serverAuth'],
    altNames: { dns: ['localhost'] },
    notBefore: NOW - 100 * DAY,
    notAfter: NOW - DAY,
  });
  const chain = [old.der, pki.intermediate.der];
  assert.equal(
    alertOf(() => acceptServerCertificate({ type: 'x509', chain }, x509({}))),
    45,
  );
});

test('X.509: a chain leading to no anchor of ours is unknown_ca (48); a name mismatch bad_certificate (42)', () => {
  const chain = [pki.server.der]; // the intermediate is missing
  assert.equal(
    alertOf(() => acceptServerCertificate({ type: 'x509', chain }, x509({}))),
    48,
  );
  const full = [pki.server.der, pki.intermediate.der];
  assert.equal(
    alertOf(() => acceptServerCertificate({ type: 'x509', chain: full }, x509({ host: 'x.example' }))),
    42,
  );
  assert.equal(
    alertOf(() => acceptServerCertificate({ type: 'x509', chain: [] }, x509({}))),
    42,
  );
});

test('RPK mode: X.509 carrying the pinned key is accepted (RFC 7250 4.2 default type), another key is not', () => {
  const rpk: DtlsClientCertificate = {
    mode: 'rpk',
    privateKey: pki.device.privateKey,
    serverPublicKey: spki(pki.server.publicKey),
  };
  const accepted = acceptServerCertificate({ type: 'x509', chain: [pki.server.der] }, rpk);
  assert.deepEqual(accepted.identity, { kind: 'rpk', publicKey: new Uint8Array(spki(pki.server.publicKey)) });
  assert.equal(
    alertOf(() => acceptServerCertificate({ type: 'x509', chain: [pki.device.der] }, rpk)),
    42,
  );
  assert.equal(
    alertOf(() => acceptServerCertificate({ type: 'x509', chain: [Uint8Array.of(1, 2)] }, rpk)),
    42,
  );
});

test('ServerKeyExchange: compressed point or another signature algorithm is illegal_parameter, empty signature decrypt_error', () => {
  const random = new Uint8Array(32);
  const ske = (point: Uint8Array, algorithm: number, signature: Uint8Array): Uint8Array =>
    encodeEcdheServerKeyExchange(encodeServerEcdhParams({ namedCurve: SECP256R1, point }), {
      algorithm,
      signature,
    });
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const sig = Uint8Array.of(0x30, 0);
  const read = (b: Uint8Array) => () => readServerKeyExchange(b, random, random);
  assert.equal(alertOf(read(ske(ecdh.getPublicKey(null, 'compressed'), ECDSA_SHA256, sig))), 47);
  assert.equal(alertOf(read(ske(ecdh.getPublicKey(), 0x0401, sig))), 47);
  assert.equal(alertOf(read(ske(ecdh.getPublicKey(), ECDSA_SHA256, new Uint8Array(0)))), 51);
  const ok = readServerKeyExchange(ske(ecdh.getPublicKey(), ECDSA_SHA256, sig), random, random);
  assert.equal(ok.signed.length, 64 + 4 + 65); // both randoms, then the params as sent
});
