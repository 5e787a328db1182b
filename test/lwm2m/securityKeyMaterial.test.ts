// Bootstrap configs with raw-public-key and certificate accounts (issue 15 item 4): the key
// material is checked when the config is read, and certificateUsage is carried to /0/x/15.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { parseBootstrapConfig } from '../../src/lwm2m/bootstrapConfigJson.js';
import { InvalidBootstrapConfigError } from '../../src/lwm2m/bootstrapConfigFields.js';
import { securityInstanceNode } from '../../src/lwm2m/bootstrapNodes.js';
import { issueCertificate } from '../../src/transport/dtls/x509/CertificateBuilder.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const ec = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });
const device = ec();
const server = ec();
const spki = (k: ReturnType<typeof ec>) => k.publicKey.export({ type: 'spki', format: 'der' });
const pkcs8 = (k: ReturnType<typeof ec>) => k.privateKey.export({ type: 'pkcs8', format: 'der' });
const cert = (k: ReturnType<typeof ec>, cn: string) =>
  issueCertificate({ subject: { commonName: cn }, publicKey: k.publicKey, selfKey: k.privateKey });

const config = (security: Record<string, unknown>) => ({
  security: { 0: { uri: 'coaps://127.0.0.1:5684', shortServerId: 1, ...security } },
  servers: { 0: { shortServerId: 1, lifetime: 300, binding: 'U' } },
});

function refusedField(json: unknown): string {
  try {
    parseBootstrapConfig(json);
  } catch (e) {
    assert.ok(e instanceof InvalidBootstrapConfigError, String(e));
    return e.field;
  }
  return 'accepted';
}

test('rpk: SPKI, its private key (PKCS#8 or SEC 1) and the server SPKI are accepted; a key of another pair is not', () => {
  const ok = config({
    securityMode: 'rpk',
    publicKeyOrIdentity: hex(spki(device)),
    secretKey: hex(pkcs8(device)),
    serverPublicKey: hex(spki(server)),
  });
  assert.equal(refusedField(ok), 'accepted');
  const sec1 = device.privateKey.export({ type: 'sec1', format: 'der' });
  assert.equal(refusedField(config({ ...ok.security[0], secretKey: hex(sec1) })), 'accepted');
  assert.equal(
    refusedField(config({ ...ok.security[0], secretKey: hex(pkcs8(server)) })),
    'security.0.secretKey',
  );
  assert.equal(
    refusedField(config({ ...ok.security[0], publicKeyOrIdentity: '00ff' })),
    'security.0.publicKeyOrIdentity',
  );
  assert.equal(refusedField(config({ ...ok.security[0], secretKey: '00ff' })), 'security.0.secretKey');
  assert.equal(
    refusedField(config({ ...ok.security[0], serverPublicKey: '3000' })),
    'security.0.serverPublicKey',
  );
});

test('x509: certificate, its key, the server certificate and certificateUsage go to /0/x/3, 4, 5 and 15', () => {
  const json = config({
    securityMode: 'x509',
    publicKeyOrIdentity: hex(cert(device, 'dev1')),
    secretKey: hex(pkcs8(device)),
    serverPublicKey: hex(cert(server, 'localhost')),
    certificateUsage: 2,
  });
  const parsed = parseBootstrapConfig(json);
  const s = parsed.security[0]!;
  assert.equal(s.certificateUsage, 2);
  const node = securityInstanceNode(0, s);
  const r15 = node.resources.find((r) => r.id === 15);
  assert.deepEqual(r15 && 'value' in r15 ? r15.value : undefined, { type: 'unsignedInteger', value: 2 });
  assert.equal(
    refusedField(config({ ...json.security[0], serverPublicKey: hex(spki(server)) })),
    'security.0.serverPublicKey',
  );
  assert.equal(
    refusedField(config({ ...json.security[0], secretKey: hex(pkcs8(server)) })),
    'security.0.secretKey',
  );
  assert.equal(
    refusedField(config({ ...json.security[0], certificateUsage: 4 })),
    'security.0.certificateUsage',
  );
});
