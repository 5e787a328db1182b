// Certificates cross-checked with an independent implementation (OpenSSL, Debian `openssl`):
// OpenSSL accepts the chains our CertificateBuilder issues, for the purposes they name, and our
// CertificateVerifier accepts chains OpenSSL issued and refuses what OpenSSL refuses.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import {
  CertificateError,
  CertificateVerifier,
} from '../../../../src/transport/dtls/x509/CertificateVerifier.js';
import { findBinary, skipOrFail } from '../../../support/peers.js';
import { NOW, testPki } from './testPki.js';

const pem = (der: Uint8Array): string => new X509Certificate(der).toString();

function withOpenssl(t: TestContext): ((args: string[], cwd: string) => string) | undefined {
  const openssl = findBinary('openssl');
  if (!openssl) {
    skipOrFail(t, 'PEER MISSING: openssl not found (apt-get install openssl); certificate interop skipped');
    return undefined;
  }
  return (args, cwd) =>
    execFileSync(openssl, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

test('openssl verify accepts the chains CertificateBuilder issues, for their purposes only', (t) => {
  const run = withOpenssl(t);
  if (!run) return;
  const dir = mkdtempSync(join(tmpdir(), 'x509-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const pki = testPki();
  writeFileSync(join(dir, 'root.pem'), pem(pki.root.der));
  writeFileSync(join(dir, 'mid.pem'), pem(pki.intermediate.der));
  writeFileSync(join(dir, 'device.pem'), pem(pki.device.der));
  writeFileSync(join(dir, 'server.pem'), pem(pki.server.der));
  // the test PKI is dated around NOW (today): verify at that time
  const at = ['-attime', String(NOW / 1000)];
  const verify = (leaf: string, purpose: string): string =>
    run(['verify', ...at, '-CAfile', 'root.pem', '-untrusted', 'mid.pem', '-purpose', purpose, leaf], dir);
  assert.match(verify('device.pem', 'sslclient'), /device\.pem: OK/);
  assert.match(verify('server.pem', 'sslserver'), /server\.pem: OK/);
  assert.throws(() => verify('device.pem', 'sslserver'));
  assert.throws(() => run(['verify', ...at, '-CAfile', 'root.pem', 'device.pem'], dir)); // no intermediate
});

test('CertificateVerifier accepts an OpenSSL-issued EC chain and refuses it under another root', (t) => {
  const run = withOpenssl(t);
  if (!run) return;
  const dir = mkdtempSync(join(tmpdir(), 'x509-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(
    join(dir, 'ext.cnf'),
    [
      '[ca]',
      'basicConstraints=critical,CA:TRUE',
      'keyUsage=critical,keyCertSign,cRLSign',
      '[leaf]',
      'basicConstraints=CA:FALSE',
      'keyUsage=critical,digitalSignature',
      'extendedKeyUsage=clientAuth',
      'subjectAltName=URI:urn:dev:openssl',
      '',
    ].join('\n'),
  );
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  run(
    [
      'req',
      '-x509',
      ...ec,
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-subj',
      '/CN=OpenSSL CA',
      '-days',
      '2',
      '-extensions',
      'ca',
      '-config',
      'ext.cnf',
    ],
    dir,
  );
  run(['req', ...ec, '-keyout', 'dev.key', '-out', 'dev.csr', '-subj', '/O=acme/CN=urn:dev:openssl'], dir);
  run(
    [
      'x509',
      '-req',
      '-in',
      'dev.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'dev.pem',
      '-days',
      '1',
      '-extfile',
      'ext.cnf',
      '-extensions',
      'leaf',
    ],
    dir,
  );
  const der = (f: string): Buffer => Buffer.from(new X509Certificate(readFileSync(join(dir, f))).raw);
  const verified = new CertificateVerifier({ trustAnchors: [der('ca.pem')] }).verify(
    [der('dev.pem')],
    'client',
  );
  assert.deepEqual(verified.leaf.fields.commonNames, ['urn:dev:openssl']);
  assert.deepEqual(verified.leaf.fields.altNames.uri, ['urn:dev:openssl']);
  assert.throws(
    () => new CertificateVerifier({ trustAnchors: [testPki().root.der] }).verify([der('dev.pem')], 'client'),
    (e: unknown) => e instanceof CertificateError && e.failure === 'untrusted',
  );
  assert.throws(
    () => new CertificateVerifier({ trustAnchors: [der('ca.pem')] }).verify([der('dev.pem')], 'server'),
    (e: unknown) => e instanceof CertificateError && e.failure === 'extended-key-usage',
  );
});
