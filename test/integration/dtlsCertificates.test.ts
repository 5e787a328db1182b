// Issue 15, our client and our server over TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8: a client with an
// X.509 certificate (CN = its endpoint) registers and every DM operation, observe + notify,
// composite read and Send go over that one session; a Bootstrap-Server provisions X.509
// credentials and the client then registers with them; a raw-public-key client is admitted from
// the security store; a certificate naming another endpoint and an unknown raw key register
// nothing.
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { BootstrapServer } from '../../src/bootstrap/BootstrapServer.js';
import type { ClientCertificateConfig } from '../../src/client/certificateCredentials.js';
import { declareInstance } from '../../src/client/declareInstance.js';
import { Lwm2mClient } from '../../src/client/Lwm2mClient.js';
import { temperatureInstance } from '../../src/client/objects/temperatureInstance.js';
import { ContentFormat } from '../../src/content/ContentFormat.js';
import { parseBootstrapConfig } from '../../src/lwm2m/bootstrapConfigJson.js';
import { instance, resource } from '../../src/lwm2m/nodes.js';
import { ResponseCode } from '../../src/lwm2m/responses.js';
import { integerValue, stringValue } from '../../src/lwm2m/values.js';
import { createCoreRegistry } from '../../src/model/core/coreModels.js';
import type { SendEvent } from '../../src/server/Lwm2mServerEvents.js';
import type { Lwm2mServer } from '../../src/server/Lwm2mServer.js';
import { MemoryBootstrapConfigStore } from '../../src/store/memory/MemoryBootstrapConfigStore.js';
import { MemorySecurityStore } from '../../src/store/memory/MemorySecurityStore.js';
import { issued, testPki } from '../transport/dtls/x509/testPki.js';
import { coapsAccount, startCertificateServer } from './support/certificateServer.js';
import { assertNoOpenHandles, testValues, withTimeout } from './support/e2e.js';
import { iterate, nextNotification, valueOf } from './support/notifications.js';
import { TEST_OBJECT, TEST_OBJECT_ID as T } from './support/testObject.js';

after(assertNoOpenHandles);

const pki = testPki();
const EP = 'urn:imei:490154203237518'; // the device certificate's CN
const spki = (k: KeyObject): Uint8Array => Uint8Array.from(k.export({ type: 'spki', format: 'der' }));
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

/** A server on 127.0.0.1 with our certificate chain, trusting the test root for clients. */
const certificateServer = (store: MemorySecurityStore): Promise<Lwm2mServer> =>
  startCertificateServer(pki, store, createCoreRegistry().add(TEST_OBJECT));

function certificateClient(
  server: Lwm2mServer,
  endpoint: string,
  certificate: ClientCertificateConfig,
  executed: (string | undefined)[] = [],
): Lwm2mClient {
  const testInstance = declareInstance(TEST_OBJECT, 0, testValues(), {
    execute: { 9: (args) => void executed.push(args) },
  });
  return new Lwm2mClient({
    endpoint,
    bind: { address: '127.0.0.1', port: 0 },
    servers: [coapsAccount(server, certificate)],
    objects: [testInstance, temperatureInstance({ value: 21.5 })],
    requestTimeoutMs: 5_000,
    dtls: { handshakeTimeoutMs: 5_000, flight: { initialTimeoutMs: 300 } },
  });
}

/** Our chain without the root, the root as /0/x/4 with usage 2 (trust anchor assertion). */
const deviceX509: ClientCertificateConfig = {
  privateKey: pki.device.privateKey,
  chain: [pki.device.der, pki.intermediate.der],
  serverKey: pki.root.der,
  certificateUsage: 2,
};

describe('our client and our server over ECDHE_ECDSA with X.509 certificates', () => {
  let server: Lwm2mServer;
  let client: Lwm2mClient;
  const executed: (string | undefined)[] = [];
  before(async () => {
    server = await certificateServer(new MemorySecurityStore([{ endpoint: EP, kind: 'x509' }]));
    client = certificateClient(server, EP, deviceX509, executed);
    const registered = new Promise<void>((r) => client.on('registered', () => r()));
    await client.start();
    await server.waitForRegistration(EP, 15_000);
    await withTimeout(registered, 15_000, 'client registration');
  });
  after(async () => {
    await withTimeout(client.stop(), 3_000).catch(() => undefined);
    await server.stop();
  });

  test('registers with the identity of its certificate', async () => {
    const reg = await server.getRegistration(EP);
    assert.equal(reg?.peer.identity?.kind, 'x509');
    assert.equal(reg?.peer.identity?.kind === 'x509' && reg.peer.identity.commonName, EP);
    assert.equal(reg?.peer.identity?.kind === 'x509' && 'subjectAltNames' in reg.peer.identity, false);
    assert.equal(server.dtlsUsage()?.handshakesCompleted, 1);
  });

  test('read, write, execute, create, delete, write-attributes and discover', async () => {
    const read = await server.read(EP, `/${T}/0/0`);
    assert.equal(read.code, ResponseCode.CONTENT);
    assert.equal(valueOf(read.content), 'first');
    assert.equal(
      (await server.write(EP, `/${T}/0/0`, resource(0, stringValue('ecdhe')))).code,
      ResponseCode.CHANGED,
    );
    assert.equal(valueOf((await server.read(EP, `/${T}/0/0`)).content), 'ecdhe');
    assert.equal((await server.execute(EP, `/${T}/0/9`, "0='y'")).code, ResponseCode.CHANGED);
    assert.deepEqual(executed, ["0='y'"]);
    const created = instance(7, [resource(0, stringValue('made')), resource(1, integerValue(3))]);
    assert.equal((await server.create(EP, `/${T}`, created)).code, ResponseCode.CREATED);
    assert.equal(valueOf((await server.read(EP, `/${T}/7/0`)).content), 'made');
    assert.equal((await server.delete(EP, `/${T}/7`)).code, ResponseCode.DELETED);
    assert.equal((await server.read(EP, `/${T}/7`)).code, ResponseCode.NOT_FOUND);
    assert.equal((await server.writeAttributes(EP, `/${T}/0/1`, { pmax: 60 })).code, ResponseCode.CHANGED);
    const disc = await server.discover(EP, `/${T}/0`);
    assert.equal(disc.code, ResponseCode.CONTENT);
    assert.ok(disc.links?.some((l) => l.path.toString() === `/${T}/0/1` && l.attributes.pmax === 60));
  });

  test('observe + notify, composite read and Send, all on the one session', async () => {
    const obs = server.observe(EP, '/3303/0/5700');
    assert.equal((await obs.response).code, ResponseCode.CONTENT);
    const it = await iterate(obs);
    client.set('/3303/0/5700', { type: 'float', value: 30.5 });
    assert.equal(valueOf(await nextNotification(it, 5_000)), 30.5);
    await obs.cancel();
    const composite = await server.readComposite(EP, [`/${T}/0/1`, '/3303/0/5700'], {
      format: ContentFormat.SENML_CBOR,
    });
    assert.equal(composite.code, ResponseCode.CONTENT);
    const got = withTimeout(new Promise<SendEvent>((r) => server.once('send', r)), 5_000, 'send event');
    await client.send(['/3303/0/5700']);
    assert.equal((await got).registration.endpoint, EP);
    assert.equal(server.dtlsUsage()?.handshakesCompleted, 1, 'one ECDHE_ECDSA session carried everything');
  });
});

test('a certificate whose CN is another endpoint registers nothing', async () => {
  const store = new MemorySecurityStore([
    { endpoint: EP, kind: 'x509' },
    { endpoint: 'other-device', kind: 'x509' },
  ]);
  const server = await certificateServer(store);
  closers.push(() => server.stop());
  const client = certificateClient(server, 'other-device', deviceX509);
  closers.push(() => withTimeout(client.stop(), 3_000).catch(() => undefined));
  const refused = new Promise<unknown>((r) => client.on('registrationAttemptFailed', r));
  await client.start();
  await withTimeout(refused, 15_000, 'a refused Register');
  assert.equal(server.dtlsUsage()?.handshakesCompleted, 1, 'the handshake itself succeeds');
  assert.equal(await server.getRegistration('other-device'), undefined);
  assert.equal(await server.getRegistration(EP), undefined);
});

test('a certificate whose CN is not the endpoint registers by a subjectAltName URI naming it', async () => {
  const endpoint = 'urn:dev:san-device';
  const device = issued('Device 42', pki.intermediate, {
    extKeyUsage: ['clientAuth'],
    altNames: { dns: ['device42.example'], uri: [endpoint] },
  });
  const server = await certificateServer(new MemorySecurityStore([{ endpoint, kind: 'x509' }]));
  closers.push(() => server.stop());
  const client = certificateClient(server, endpoint, {
    ...deviceX509,
    privateKey: device.privateKey,
    chain: [device.der, pki.intermediate.der],
  });
  closers.push(() => withTimeout(client.stop(), 3_000).catch(() => undefined));
  await client.start();
  const reg = await server.waitForRegistration(endpoint, 15_000);
  const identity = reg.peer.identity;
  assert.equal(identity?.kind, 'x509');
  assert.equal(identity?.kind === 'x509' && identity.commonName, 'Device 42');
  assert.deepEqual(identity?.kind === 'x509' && identity.subjectAltNames, ['device42.example', endpoint]);
});

test('a Bootstrap-Server provisions X.509 credentials, then the client registers with them', async () => {
  const server = await certificateServer(new MemorySecurityStore([{ endpoint: EP, kind: 'x509' }]));
  closers.push(() => server.stop());
  const configs = new MemoryBootstrapConfigStore();
  const bs = await BootstrapServer.start({ address: '127.0.0.1', port: 0, configStore: configs });
  closers.push(() => bs.stop());
  await configs.put(
    EP,
    parseBootstrapConfig({
      security: {
        1: {
          uri: `coaps://localhost:${server.secureAddress()!.port}`,
          securityMode: 'x509',
          shortServerId: 1,
          publicKeyOrIdentity: hex(Buffer.concat([pki.device.der, pki.intermediate.der])),
          serverPublicKey: hex(pki.root.der),
          secretKey: hex(pki.device.privateKey.export({ type: 'sec1', format: 'der' })),
          certificateUsage: 2,
        },
      },
      servers: { 0: { shortServerId: 1, lifetime: 300, binding: 'U' } },
    }),
  );
  const client = new Lwm2mClient({
    endpoint: EP,
    bind: { address: '127.0.0.1', port: 0 },
    bootstrapServer: { uri: `coap://127.0.0.1:${bs.address().port}` },
    requestTimeoutMs: 5_000,
  });
  closers.push(() => withTimeout(client.stop(), 3_000).catch(() => undefined));
  await client.start();
  const reg = await server.waitForRegistration(EP, 20_000);
  assert.equal(reg.peer.identity?.kind, 'x509');
  assert.equal((await server.read(EP, '/3/0')).code, ResponseCode.CONTENT);
});

test('a raw-public-key client is admitted by the key on file; an unknown key registers nothing', async () => {
  const store = new MemorySecurityStore([
    { endpoint: 'rpk-1', kind: 'rpk', publicKey: spki(pki.device.publicKey) },
  ]);
  const server = await certificateServer(store);
  closers.push(() => server.stop());
  const pinned = { serverKey: spki(pki.server.publicKey) };
  const known = certificateClient(server, 'rpk-1', { privateKey: pki.device.privateKey, ...pinned });
  closers.push(() => withTimeout(known.stop(), 3_000).catch(() => undefined));
  await known.start();
  const reg = await server.waitForRegistration('rpk-1', 15_000);
  assert.deepEqual(reg.peer.identity, { kind: 'rpk', publicKey: spki(pki.device.publicKey) });
  assert.equal((await server.read('rpk-1', `/${T}/0/0`)).code, ResponseCode.CONTENT);

  const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const unknown = certificateClient(server, 'rpk-1', { privateKey: stranger.privateKey, ...pinned });
  closers.push(() => withTimeout(unknown.stop(), 3_000).catch(() => undefined));
  const failed = new Promise<unknown>((r) => unknown.on('registrationAttemptFailed', r));
  await unknown.start();
  await withTimeout(failed, 15_000, 'the unknown key is refused');
  assert.ok((server.dtlsUsage()?.handshakesFailed ?? 0) >= 1, 'refused in the handshake');
  assert.deepEqual(
    (await server.getRegistration('rpk-1'))?.peer.identity,
    reg.peer.identity,
    'the known one stays',
  );
});
