// credentialsFingerprint (what PlainAndDtlsTransport compares before each send to a connected
// server): equal credentials give equal values, and any field that changes a handshake changes
// it, for PSK, raw public key and X.509 credentials alike, with no secret in clear.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { credentialsFingerprint } from '../../src/transport/credentialsFingerprint.js';
import type { DtlsClientCertificate } from '../../src/transport/dtls/DtlsTransportOptions.js';
import { testPki } from './dtls/x509/testPki.js';

const pki = testPki();
const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const spki = (k: { export(o: { type: 'spki'; format: 'der' }): Buffer }) =>
  Uint8Array.from(k.export({ type: 'spki', format: 'der' }));

test('PSK: identity and key both count; the key is not in the value', () => {
  const key = Uint8Array.from(Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex'));
  const f = credentialsFingerprint({ identity: 'dev1', key });
  assert.match(f, /^[0-9a-f]{64}$/);
  assert.equal(credentialsFingerprint({ identity: 'dev1', key: Uint8Array.from(key) }), f);
  assert.notEqual(credentialsFingerprint({ identity: 'dev2', key }), f);
  assert.notEqual(credentialsFingerprint({ identity: 'dev1', key: key.map((b) => b ^ 1) }), f);
  // length-prefixed fields: moving a byte from the identity into the key is another value
  assert.notEqual(credentialsFingerprint({ identity: 'dev', key: Uint8Array.from([0x31, ...key]) }), f);
});

test('raw public key and X.509: our key, the server key or certificate, usage, host and anchors all count', () => {
  const rpk: DtlsClientCertificate = {
    mode: 'rpk',
    privateKey: pki.device.privateKey,
    serverPublicKey: spki(pki.server.publicKey),
  };
  const f = credentialsFingerprint(rpk);
  assert.equal(credentialsFingerprint({ ...rpk, serverPublicKey: Uint8Array.from(rpk.serverPublicKey) }), f);
  assert.notEqual(credentialsFingerprint({ ...rpk, privateKey: other.privateKey }), f);
  assert.notEqual(credentialsFingerprint({ ...rpk, serverPublicKey: spki(other.publicKey) }), f);
  const x509: DtlsClientCertificate = {
    mode: 'x509',
    privateKey: pki.device.privateKey,
    chain: [pki.device.der],
    server: { usage: 3, serverCertificate: pki.server.der, host: 'localhost' },
  };
  const g = credentialsFingerprint(x509);
  assert.notEqual(g, f);
  assert.equal(credentialsFingerprint({ ...x509, server: { ...x509.server } }), g);
  const variants: DtlsClientCertificate[] = [
    { ...x509, chain: [pki.device.der, pki.intermediate.der] },
    { ...x509, server: { ...x509.server, usage: 2 } },
    { ...x509, server: { ...x509.server, serverCertificate: pki.root.der } },
    { ...x509, server: { ...x509.server, host: '127.0.0.1' } },
    { ...x509, server: { ...x509.server, trustAnchors: [pki.root.der] } },
  ];
  const seen = new Set([g, ...variants.map(credentialsFingerprint)]);
  assert.equal(seen.size, variants.length + 1, 'every variant has its own value');
  const d = (pki.device.privateKey.export({ format: 'jwk' }) as { d: string }).d;
  assert.ok(!g.includes(Buffer.from(d, 'base64url').toString('hex').slice(0, 16)));
});
