// Issue 15 item 4: a Bootstrap-Server provisions raw-public-key and certificate accounts. The
// Security instance it writes carries exactly the TS resources in the encodings we chose to be
// conservative in (lwm2m/securityKeyMaterial.ts): /0/x/3 our certificate(s) DER or our DER
// SubjectPublicKeyInfo, /0/x/4 the server's certificate or SPKI, /0/x/5 our key as PKCS#8 DER
// (a SEC 1 key is converted), /0/x/15 the certificate usage. The client side reads them back into
// DTLS credentials (client/certificateCredentials.ts), so the two ends are checked together.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { planBootstrap } from '../../src/bootstrap/planBootstrap.js';
import { clientCertificateOf } from '../../src/client/certificateCredentials.js';
import { parseBootstrapConfig } from '../../src/lwm2m/bootstrapConfigJson.js';
import type { ObjectInstanceNode } from '../../src/lwm2m/Lwm2mNode.js';
import { createCoreRegistry } from '../../src/model/core/coreModels.js';
import { testPki } from '../transport/dtls/x509/testPki.js';

const models = createCoreRegistry();
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const pki = testPki();
const pkcs8 = Uint8Array.from(pki.device.privateKey.export({ type: 'pkcs8', format: 'der' }));
const sec1 = Uint8Array.from(pki.device.privateKey.export({ type: 'sec1', format: 'der' }));
const chain = Uint8Array.from(Buffer.concat([pki.device.der, pki.intermediate.der]));

function writtenSecurity(security: Record<string, unknown>): ObjectInstanceNode {
  const config = parseBootstrapConfig({
    security: {
      1: { uri: 'coaps://lwm2m.example:5684', bootstrapServer: false, shortServerId: 101, ...security },
    },
    servers: { 0: { shortServerId: 101, lifetime: 300, binding: 'U' } },
  });
  const write = planBootstrap(config, { models }).find((s) => s.name === 'write /0/1');
  assert.ok(write?.request.kind === 'bootstrapWrite');
  return write.request.node as ObjectInstanceNode;
}

const values = (node: ObjectInstanceNode) =>
  node.resources.map((r) => {
    assert.equal(r.kind, 'resource');
    return r.kind === 'resource' ? [r.id, r.value.type, r.value.value] : [];
  });

test('an x509 account is written with our chain, the server CA, our key as PKCS#8 DER (from SEC 1) and usage 2', () => {
  const node = writtenSecurity({
    securityMode: 'x509',
    publicKeyOrIdentity: hex(chain),
    serverPublicKey: hex(pki.root.der),
    secretKey: hex(sec1),
    certificateUsage: 2,
  });
  assert.equal(node.id, 1);
  assert.deepEqual(values(node), [
    [0, 'string', 'coaps://lwm2m.example:5684'],
    [1, 'boolean', false],
    [2, 'integer', 2],
    [3, 'opaque', chain],
    [4, 'opaque', Uint8Array.from(pki.root.der)],
    [5, 'opaque', pkcs8],
    [10, 'integer', 101],
    [15, 'unsignedInteger', 2],
  ]);
  // what the client makes of it
  const byId = new Map(node.resources.map((r) => [r.id, r.kind === 'resource' ? r.value.value : undefined]));
  const credentials = clientCertificateOf({
    mode: 2,
    uri: byId.get(0) as string,
    publicKeyOrIdentity: byId.get(3) as Uint8Array,
    serverPublicKey: byId.get(4) as Uint8Array,
    secretKey: byId.get(5) as Uint8Array,
    certificateUsage: Number(byId.get(15)),
  });
  assert.ok(credentials.mode === 'x509');
  assert.equal(credentials.chain.length, 2);
  assert.equal(credentials.server.host, 'lwm2m.example');
});

test('an rpk account is written with our SPKI, the server SPKI and our key as PKCS#8 DER', () => {
  const server = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const serverSpki = Uint8Array.from(server.publicKey.export({ type: 'spki', format: 'der' }));
  const deviceSpki = Uint8Array.from(pki.device.publicKey.export({ type: 'spki', format: 'der' }));
  const node = writtenSecurity({
    securityMode: 'rpk',
    publicKeyOrIdentity: hex(deviceSpki),
    serverPublicKey: hex(serverSpki),
    secretKey: hex(pkcs8),
  });
  assert.deepEqual(values(node), [
    [0, 'string', 'coaps://lwm2m.example:5684'],
    [1, 'boolean', false],
    [2, 'integer', 1],
    [3, 'opaque', deviceSpki],
    [4, 'opaque', serverSpki],
    [5, 'opaque', pkcs8],
    [10, 'integer', 101],
  ]);
});

test("a certificate or RPK account without the server's key or certificate is refused at configuration time", () => {
  assert.throws(
    () =>
      writtenSecurity({
        securityMode: 'x509',
        publicKeyOrIdentity: hex(pki.device.der),
        secretKey: hex(pkcs8),
      }),
    /serverPublicKey: is required for security mode x509/,
  );
});
