// Chain validation (issue 15 item 3): each refusal reason, the cache, and accepted shapes of chains.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CertificateError,
  CertificateVerifier,
  type CertificateFailure,
} from '../../../../src/transport/dtls/x509/CertificateVerifier.js';
import { DAY, NOW, issued, selfSigned, testPki } from './testPki.js';

const pki = testPki();
const verifier = (anchors: Uint8Array[] = [pki.root.der], now = NOW) =>
  new CertificateVerifier({ trustAnchors: anchors, now: () => now });

function refused(f: () => unknown, failure: CertificateFailure, depth?: number): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof CertificateError, String(e));
    assert.equal(e.failure, failure, e.message);
    if (depth !== undefined) assert.equal(e.depth, depth, e.message);
    return true;
  });
}

test('a device chain (leaf, intermediate) validates to the root; the path ends at the anchor', () => {
  const v = verifier().verify([pki.device.der, pki.intermediate.der], 'client');
  assert.deepEqual(
    v.path.map((c) => c.fields.commonNames[0]),
    ['urn:imei:490154203237518', 'Test Intermediate CA', 'Test Root CA'],
  );
  assert.deepEqual(v.leaf.fields.commonNames, ['urn:imei:490154203237518']);
});

test('the root may be sent too, and intermediates in any order', () => {
  const sub = issued('Sub CA', pki.intermediate, { ca: true });
  const root = selfSigned('Root', { ca: true });
  const mid = issued('Mid', root, { ca: true });
  const low = issued('Low', mid, { ca: true });
  const leaf = issued('dev', low);
  assert.equal(verifier([root.der]).verify([leaf.der, mid.der, low.der, root.der], 'client').path.length, 4);
  assert.ok(sub.der.length > 0);
  assert.equal(
    verifier().verify([pki.device.der, pki.intermediate.der, pki.root.der], 'client').path.length,
    3,
  );
});

test('a pinned self-signed leaf is trusted as an anchor', () => {
  const leaf = selfSigned('dev', { ca: false, keyUsage: ['digitalSignature'] });
  assert.equal(verifier([leaf.der]).verify([leaf.der], 'client').path.length, 1);
  refused(() => verifier().verify([leaf.der], 'client'), 'untrusted', 0);
});

test('a missing intermediate or an unknown CA is untrusted', () => {
  refused(() => verifier().verify([pki.device.der], 'client'), 'untrusted', 0);
  const other = selfSigned('Test Root CA'); // same name, other key
  refused(
    () => verifier([other.der]).verify([pki.device.der, pki.intermediate.der], 'client'),
    'bad-signature',
    1,
  );
  refused(
    () => verifier([selfSigned('Else').der]).verify([pki.device.der, pki.intermediate.der], 'client'),
    'untrusted',
    1,
  );
});

test('expired and not-yet-valid certificates are refused at every depth', () => {
  refused(
    () => verifier([pki.root.der], NOW + 91 * DAY).verify([pki.device.der, pki.intermediate.der], 'client'),
    'expired',
    0,
  );
  refused(
    () => verifier([pki.root.der], NOW - 2 * DAY).verify([pki.device.der, pki.intermediate.der], 'client'),
    'not-yet-valid',
    0,
  );
  const oldMid = issued('Old CA', pki.root, { ca: true, notBefore: NOW - 100 * DAY, notAfter: NOW - DAY });
  const leaf = issued('dev', oldMid);
  refused(() => verifier().verify([leaf.der, oldMid.der], 'client'), 'expired', 1);
});

test('an issuer must be a CA allowed to sign certificates, within its path length', () => {
  const notCa = issued('Not a CA', pki.root, { keyUsage: ['digitalSignature', 'keyCertSign'] });
  refused(() => verifier().verify([issued('dev', notCa).der, notCa.der], 'client'), 'not-a-ca', 1);
  const noCertSign = issued('No certSign', pki.root, { ca: true, keyUsage: ['cRLSign'] });
  refused(() => verifier().verify([issued('dev', noCertSign).der, noCertSign.der], 'client'), 'key-usage', 1);
  // the intermediate says pathLength 0: no CA may sit below it
  const sub = issued('Sub CA', pki.intermediate, { ca: true });
  refused(
    () => verifier().verify([issued('dev', sub).der, sub.der, pki.intermediate.der], 'client'),
    'path-length',
    2,
  );
});

test('the leaf must be allowed to sign, and for the purpose its extKeyUsage names', () => {
  refused(() => verifier().verify([pki.server.der, pki.intermediate.der], 'client'), 'extended-key-usage', 0);
  assert.ok(verifier().verify([pki.server.der, pki.intermediate.der], 'server'));
  const agreeOnly = issued('dev', pki.intermediate, { keyUsage: ['keyAgreement'] });
  refused(() => verifier().verify([agreeOnly.der, pki.intermediate.der], 'client'), 'key-usage', 0);
  const any = issued('dev', pki.intermediate, { extKeyUsage: ['2.5.29.37.0'] });
  assert.ok(verifier().verify([any.der, pki.intermediate.der], 'client'));
});

test('an unknown critical extension refuses the certificate; a non-critical one is ignored', () => {
  const value = Buffer.from([0x05, 0x00]); // NULL
  const critical = issued('dev', pki.intermediate, {
    extraExtensions: [{ oid: '1.3.6.1.4.1.99999.1', critical: true, value }],
  });
  refused(
    () => verifier().verify([critical.der, pki.intermediate.der], 'client'),
    'unsupported-critical-extension',
    0,
  );
  const plain = issued('dev', pki.intermediate, {
    extraExtensions: [{ oid: '1.3.6.1.4.1.99999.1', critical: false, value }],
  });
  assert.ok(verifier().verify([plain.der, pki.intermediate.der], 'client'));
});

test('empty, oversized and malformed chains are refused with their reason', () => {
  refused(() => verifier().verify([], 'client'), 'empty-chain');
  refused(() => verifier().verify(Array(6).fill(pki.device.der), 'client'), 'chain-too-long');
  const broken = Buffer.from(pki.device.der);
  broken[broken.length - 80]! ^= 0xff;
  refused(() => verifier().verify([pki.device.der.subarray(0, 100)], 'client'), 'malformed', 0);
  assert.throws(() => verifier().verify([broken, pki.intermediate.der], 'client'), CertificateError);
});

test('verdicts are cached by content until the earliest expiry of their path', () => {
  let now = NOW;
  const v = new CertificateVerifier({ trustAnchors: [pki.root.der], now: () => now });
  const first = v.verify([pki.device.der, pki.intermediate.der], 'client');
  assert.equal(v.verify([Buffer.from(pki.device.der), Buffer.from(pki.intermediate.der)], 'client'), first);
  now = NOW + 91 * DAY; // the device certificate expired
  refused(() => v.verify([pki.device.der, pki.intermediate.der], 'client'), 'expired', 0);
});
