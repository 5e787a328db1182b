// Fuzzes the X.509 field reader (issue 15: certificate codecs, DTLS_FUZZ_INPUTS inputs, default
// 1M) with mutations of certificates from the test PKI: it throws nothing but DecodeError, and a
// certificate it accepts keeps the invariants the verifier relies on. parseCertificate (our reader
// plus node:crypto's X509Certificate) is fuzzed with a smaller count: it may only throw
// CertificateError 'malformed'. Set FUZZ_SEED to replay a run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { certificateFields } from '../../src/transport/dtls/x509/certificateFields.js';
import { CertificateError, parseCertificate } from '../../src/transport/dtls/x509/CertificateVerifier.js';
import { issued, testPki } from '../transport/dtls/x509/testPki.js';
import { DTLS_FUZZ_INPUTS } from './dtlsFuzzInputs.js';
import { FUZZ_SEED, Mutator, announceSeed, fuzzDecoder } from './mutator.js';

const pki = testPki();
const corpus = [
  pki.root.der,
  pki.intermediate.der,
  pki.device.der,
  pki.server.der,
  issued('dev', pki.intermediate, {
    extraExtensions: [{ oid: '1.2.3.4', critical: true, value: Buffer.from([0x04, 0x01, 0x00]) }],
  }).der,
].map((b) => new Uint8Array(b));

test(`certificateFields: ${DTLS_FUZZ_INPUTS} mutated certificates throw nothing but DecodeError`, () => {
  const { ok, rejected } = fuzzDecoder('x509 fields', corpus, DTLS_FUZZ_INPUTS, (bytes) => {
    const f = certificateFields(bytes);
    assert.ok(f.subjectPublicKeyInfo.length <= bytes.length);
    if (f.basicConstraints?.pathLength !== undefined) assert.ok(f.basicConstraints.pathLength >= 0);
    for (const ip of f.altNames.ip) assert.match(ip, /^[\d.]+$|^[\da-f:]+$/);
  });
  assert.ok(ok > 0 && rejected > 0, `accepted ${ok}, rejected ${rejected}`);
});

test('parseCertificate: mutated certificates give a certificate or CertificateError malformed, nothing else', () => {
  announceSeed('x509 parse');
  const m = new Mutator(FUZZ_SEED + 1);
  const n = Math.min(DTLS_FUZZ_INPUTS, 50_000);
  let parsed = 0;
  for (let i = 0; i < n; i++) {
    const input = m.mutate(m.pick(corpus), corpus);
    try {
      parseCertificate(input);
      parsed++;
    } catch (e) {
      if (!(e instanceof CertificateError) || e.failure !== 'malformed')
        assert.fail(
          `seed ${FUZZ_SEED + 1}, input ${i} (${Buffer.from(input).toString('hex')}): ${String(e)}`,
        );
    }
  }
  assert.ok(parsed > 0);
});
