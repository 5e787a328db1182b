// A presented CA whose public key does not parse (a point off the curve, what a fuzzed chain
// holds) is refused with a CertificateError like any CA that did not sign the certificate below
// it; node:crypto's own decode error must not escape the verifier (found by
// test/fuzz/dtlsClientCertificateChecks.fuzz.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CertificateError,
  CertificateVerifier,
} from '../../../../src/transport/dtls/x509/CertificateVerifier.js';
import { NOW, testPki } from './testPki.js';

test('a presented intermediate with an unparseable key: CertificateError, not a crypto error', () => {
  const pki = testPki();
  const intermediate = Buffer.from(pki.intermediate.der);
  // the uncompressed point follows the BIT STRING header 03 42 00 of its P-256 SPKI
  const point = intermediate.indexOf(Buffer.from('034200', 'hex')) + 3;
  assert.equal(intermediate[point], 4);
  intermediate[point + 1] = intermediate[point + 1]! ^ 0xff; // now off the curve
  const verifier = new CertificateVerifier({ trustAnchors: [pki.root.der], now: () => NOW });
  assert.throws(
    () => verifier.verify([pki.server.der, intermediate], 'server'),
    (e: unknown) => e instanceof CertificateError && e.failure === 'bad-signature',
  );
});
