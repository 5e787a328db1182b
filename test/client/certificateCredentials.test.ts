// Issue 15 item 3 at the boundary of the transport: the DtlsClientCertificate a client reads from
// a Security instance in mode 1 (RPK) or 2 (certificate), Transport TS 1.1.1 5.2.8 with Core TS
// E.1 (/0/x/3 ours, /0/x/4 the server's, /0/x/5 our private key, /0/x/15 the usage, the URI's
// host as the name to check), and the clear errors for material that cannot work.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import {
  accountSecurityOf,
  certificateFromSecurityObject,
  securityProblem,
  UnusableSecurityError,
} from '../../src/client/accountSecurity.js';
import {
  CertificateMaterialError,
  certificateResources,
  clientCertificateOf,
  type CertificateResources,
} from '../../src/client/certificateCredentials.js';
import { Lwm2mClient } from '../../src/client/Lwm2mClient.js';
import { securedPeer } from '../../src/transport/PlainAndDtlsTransport.js';
import { testPki } from '../transport/dtls/x509/testPki.js';

const spki = (k: KeyObject): Uint8Array => Uint8Array.from(k.export({ type: 'spki', format: 'der' }));
const pkcs8 = (k: KeyObject): Uint8Array => Uint8Array.from(k.export({ type: 'pkcs8', format: 'der' }));
const sec1 = (k: KeyObject): Uint8Array => Uint8Array.from(k.export({ type: 'sec1', format: 'der' }));
const concat = (...parts: Uint8Array[]): Uint8Array => Uint8Array.from(Buffer.concat(parts));

const pki = testPki();
const serverKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' });

const rpkResources: CertificateResources = {
  mode: 1,
  uri: 'coaps://127.0.0.1:5684',
  publicKeyOrIdentity: spki(pki.device.publicKey),
  serverPublicKey: spki(serverKeys.publicKey),
  secretKey: pkcs8(pki.device.privateKey),
};
const x509Resources: CertificateResources = {
  mode: 2,
  uri: 'coaps://lwm2m.example:5684',
  publicKeyOrIdentity: concat(pki.device.der, pki.intermediate.der),
  serverPublicKey: pki.root.der,
  secretKey: pkcs8(pki.device.privateKey),
  certificateUsage: 2,
};

test('mode 1: our key from /0/x/5, the server key pinned from /0/x/4', () => {
  const c = clientCertificateOf(rpkResources);
  assert.equal(c.mode, 'rpk');
  assert.ok(c.mode === 'rpk');
  assert.deepEqual(c.serverPublicKey, spki(serverKeys.publicKey));
  assert.deepEqual(spki(createPublicKey(c.privateKey)), spki(pki.device.publicKey));
  // SEC 1 keys are accepted, and /0/x/3 may be left empty (derived from /0/x/5)
  const liberal = clientCertificateOf({
    ...rpkResources,
    secretKey: sec1(pki.device.privateKey),
    publicKeyOrIdentity: new Uint8Array(0),
  });
  assert.equal(liberal.mode, 'rpk');
});

test('mode 2: our chain from /0/x/3 (leaf first), the server rule from /0/x/4, /0/x/15 and the URI host', () => {
  const c = clientCertificateOf(x509Resources, [pki.root.der]);
  assert.ok(c.mode === 'x509');
  assert.deepEqual(
    c.chain.map((d) => Buffer.from(d)),
    [pki.device.der, pki.intermediate.der],
  );
  assert.deepEqual(c.server, {
    usage: 2,
    serverCertificate: Uint8Array.from(pki.root.der),
    host: 'lwm2m.example',
    trustAnchors: [pki.root.der],
  });
  const pinned = clientCertificateOf({
    ...x509Resources,
    uri: 'coaps://[::1]:5684',
    publicKeyOrIdentity: pki.device.der,
    serverPublicKey: pki.server.der,
    certificateUsage: undefined,
  });
  assert.ok(pinned.mode === 'x509');
  assert.equal(pinned.server.usage, 3, 'absent /0/x/15 means 3 (domain-issued certificate)');
  assert.equal(pinned.server.host, '::1', 'an IP literal without brackets');
  assert.equal(pinned.chain.length, 1);
});

test('unusable material is refused naming the resource and why', () => {
  const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey;
  const cases: [CertificateResources, number, RegExp][] = [
    [{ ...rpkResources, secretKey: new Uint8Array(0) }, 5, /private key is missing/],
    [{ ...rpkResources, secretKey: Uint8Array.of(1, 2, 3) }, 5, /not a DER private key \(PKCS#8 or SEC 1\)/],
    [{ ...rpkResources, secretKey: pkcs8(p384) }, 5, /not a P-256/],
    [{ ...rpkResources, serverPublicKey: new Uint8Array(0) }, 4, /server's raw public key is missing/],
    [{ ...rpkResources, serverPublicKey: Uint8Array.of(0x30, 1, 0) }, 4, /not a DER SubjectPublicKeyInfo/],
    [{ ...rpkResources, publicKeyOrIdentity: spki(other.publicKey) }, 3, /not the public key of resource 5/],
    [{ ...x509Resources, serverPublicKey: new Uint8Array(0) }, 4, /certificate is missing/],
    [
      { ...x509Resources, serverPublicKey: concat(pki.root.der, pki.root.der) },
      4,
      /must hold one certificate/,
    ],
    [{ ...x509Resources, publicKeyOrIdentity: pki.server.der }, 3, /not the certificate of the private key/],
    [
      { ...x509Resources, publicKeyOrIdentity: concat(pki.device.der, Uint8Array.of(0x30, 5)) },
      3,
      /bad element at byte/,
    ],
    [{ ...x509Resources, certificateUsage: 4 }, 15, /Certificate Usage 0 to 3/],
  ];
  for (const [resources, resource, reason] of cases)
    assert.throws(
      () => clientCertificateOf(resources),
      (e: unknown) =>
        e instanceof CertificateMaterialError && e.resource === resource && reason.test(e.message),
      `resource ${resource} ${reason}`,
    );
});

test('a client configured with certificate credentials writes them to /0 and hands them to the DTLS client for that server only', () => {
  const client = new Lwm2mClient({
    endpoint: 'urn:imei:490154203237518',
    servers: [
      {
        uri: 'coaps://127.0.0.1:5684',
        ssid: 1,
        certificate: {
          privateKey: pki.device.privateKey,
          chain: [pki.device.der, pki.intermediate.der],
          serverKey: pki.server.der,
        },
      },
      {
        uri: 'coaps://127.0.0.1:6684',
        ssid: 2,
        certificate: { privateKey: pki.device.privateKey, serverKey: spki(serverKeys.publicKey) },
      },
    ],
  });
  const s0 = accountSecurityOf(client.tree.get(0, 0)!);
  assert.equal(s0.mode, 2);
  assert.deepEqual(Buffer.from(s0.identity), Buffer.concat([pki.device.der, pki.intermediate.der]));
  assert.deepEqual(s0.secretKey, pkcs8(pki.device.privateKey), '/0/x/5 as PKCS#8 DER');
  assert.equal(s0.certificateUsage, 3);
  assert.equal(securityProblem(s0), undefined);
  const s1 = accountSecurityOf(client.tree.get(0, 1)!);
  assert.equal(s1.mode, 1);
  assert.deepEqual(s1.identity, spki(pki.device.publicKey), '/0/x/3 is our SubjectPublicKeyInfo');
  const credentialsFor = certificateFromSecurityObject(client.tree);
  const x509 = credentialsFor(securedPeer('127.0.0.1', 5684));
  assert.ok(x509?.mode === 'x509');
  assert.equal(x509.server.host, '127.0.0.1');
  assert.deepEqual(Buffer.from(x509.server.serverCertificate), pki.server.der);
  assert.equal(credentialsFor(securedPeer('127.0.0.1', 6684))?.mode, 'rpk');
  assert.equal(credentialsFor(securedPeer('127.0.0.1', 7684)), undefined, 'no account for that server');
  assert.equal(
    credentialsFor(securedPeer('127.0.0.1', 5684)),
    x509,
    'unchanged material: the same credentials (keys parsed once)',
  );
  const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  client.set('/0/1/5', pkcs8(other.privateKey));
  assert.equal(
    credentialsFor(securedPeer('127.0.0.1', 6684)),
    undefined,
    '/0/1/3 is not the key of /0/1/5 yet',
  );
  client.set('/0/1/3', spki(other.publicKey));
  const rekeyed = credentialsFor(securedPeer('127.0.0.1', 6684));
  assert.ok(rekeyed?.mode === 'rpk');
  assert.deepEqual(
    spki(createPublicKey(rekeyed.privateKey)),
    spki(other.publicKey),
    'a rewritten /0/x/5 is read again',
  );
});

test('broken material in /0 is an UnusableSecurityError naming the resource, and no credentials are handed out', () => {
  const client = new Lwm2mClient({
    endpoint: 'e',
    servers: [
      {
        uri: 'coaps://127.0.0.1:5684',
        ssid: 1,
        certificate: { privateKey: pki.device.privateKey, serverKey: Uint8Array.of(1) },
      },
    ],
  });
  const s = accountSecurityOf(client.tree.get(0, 0)!);
  assert.match(
    securityProblem(s) ?? '',
    /^security mode 1 \(RPK\): resource 4 is not a DER SubjectPublicKeyInfo/,
  );
  assert.equal(certificateFromSecurityObject(client.tree)(securedPeer('127.0.0.1', 5684)), undefined);
  assert.throws(
    () =>
      new Lwm2mClient({
        endpoint: 'e',
        servers: [
          {
            uri: 'coaps://127.0.0.1:5684',
            ssid: 1,
            psk: { identity: 'a', key: Uint8Array.of(1) },
            certificate: { privateKey: pki.device.privateKey, serverKey: spki(serverKeys.publicKey) },
          },
        ],
      }),
    (e: unknown) => e instanceof UnusableSecurityError && /psk or certificate, not both/.test(e.message),
  );
  assert.equal(
    certificateResources({ privateKey: pki.device.privateKey, serverKey: Uint8Array.of(1) }).securityMode,
    1,
  );
});
