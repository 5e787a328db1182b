// The client's check of its server's certificate under the Security object's Certificate Usage
// (/0/x/15, RFC 6698 values 0-3) and Server Public Key (/0/x/4), with the name check (issue 15 item 3).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CertificateError } from '../../../../src/transport/dtls/x509/CertificateVerifier.js';
import { checkServerCertificate } from '../../../../src/transport/dtls/x509/serverCertificateUsage.js';
import { DAY, NOW, issued, testPki } from './testPki.js';

const pki = testPki();
const chain = [pki.server.der, pki.intermediate.der];
const now = () => NOW;
const failure = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof CertificateError, String(e));
    return e.failure;
  }
  return 'accepted';
};

test('usage 3 (the default): exactly the certificate in /0/x/4, without PKIX, name or expiry checks (RFC 7671 5.1)', () => {
  assert.equal(
    checkServerCertificate(chain, { serverCertificate: pki.server.der, host: 'elsewhere.example' }).leaf.der,
    pki.server.der,
  );
  const expired = issued('lwm2m.example', pki.intermediate, {
    notAfter: NOW - DAY,
    notBefore: NOW - 2 * DAY,
  });
  assert.equal(
    failure(() => checkServerCertificate([expired.der], { serverCertificate: expired.der, now })),
    'accepted',
  );
  assert.equal(
    failure(() => checkServerCertificate(chain, { serverCertificate: pki.device.der, now })),
    'untrusted',
  );
});

test('usage 2: /0/x/4 is the trust anchor the chain must reach, and the name must match the URI host', () => {
  const rule = { usage: 2 as const, serverCertificate: pki.root.der, now };
  assert.equal(
    failure(() => checkServerCertificate(chain, { ...rule, host: '127.0.0.1' })),
    'accepted',
  );
  assert.equal(
    failure(() => checkServerCertificate(chain, { ...rule, host: '::1' })),
    'accepted',
  );
  assert.equal(
    failure(() => checkServerCertificate(chain, { ...rule, host: 'localhost' })),
    'accepted',
  );
  assert.equal(
    failure(() => checkServerCertificate(chain, { ...rule, host: '10.0.0.1' })),
    'untrusted',
  );
  assert.equal(
    failure(() => checkServerCertificate(chain, { ...rule, host: 'other.example' })),
    'untrusted',
  );
  assert.equal(
    failure(() => checkServerCertificate([pki.server.der], { ...rule, host: 'localhost' })),
    'untrusted',
  );
  // the anchor is /0/x/4 alone: a device certificate from the same PKI is no server certificate
  assert.equal(
    failure(() => checkServerCertificate([pki.device.der, pki.intermediate.der], rule)),
    'extended-key-usage',
  );
});

test('usage 1: PKIX to the client trust store and the leaf equal to /0/x/4', () => {
  const rule = { usage: 1 as const, trustAnchors: [pki.root.der], now, host: 'lwm2m.example' };
  assert.equal(
    failure(() => checkServerCertificate(chain, { ...rule, serverCertificate: pki.server.der })),
    'accepted',
  );
  const other = issued('lwm2m.example', pki.intermediate, {
    extKeyUsage: ['serverAuth'],
    altNames: { dns: ['lwm2m.example'] },
  });
  assert.equal(
    failure(() =>
      checkServerCertificate([other.der, pki.intermediate.der], {
        ...rule,
        serverCertificate: pki.server.der,
      }),
    ),
    'untrusted',
  );
  assert.equal(
    failure(() =>
      checkServerCertificate(chain, { ...rule, trustAnchors: [], serverCertificate: pki.server.der }),
    ),
    'untrusted',
  );
});

test('usage 0: PKIX to the client trust store with the CA of /0/x/4 in the path', () => {
  const rule = { usage: 0 as const, trustAnchors: [pki.root.der], now, host: 'lwm2m.example' };
  assert.equal(
    failure(() => checkServerCertificate(chain, { ...rule, serverCertificate: pki.intermediate.der })),
    'accepted',
  );
  assert.equal(
    failure(() => checkServerCertificate(chain, { ...rule, serverCertificate: pki.root.der })),
    'accepted',
  );
  assert.equal(
    failure(() => checkServerCertificate(chain, { ...rule, serverCertificate: pki.server.der })),
    'untrusted',
  );
});
