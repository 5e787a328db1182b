// Issue 15 items 2-3 at the boundary of the transport: the DtlsServerOptions a role's `dtls`
// listener option and SecurityStore make (bindDtlsServer.dtlsServerOptions with
// store/dtlsCredentials): our key and chain pass through checked, the CAs for X.509 clients pass
// through, and a raw public key is admitted exactly when an endpoint has it as RPK credentials.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { dtlsCredentialsOf } from '../../src/store/dtlsCredentials.js';
import { MemorySecurityStore } from '../../src/store/memory/MemorySecurityStore.js';
import { bindDtlsServer, dtlsServerOptions } from '../../src/transport/dtls/bindDtlsServer.js';
import { makePeer } from '../../src/transport/Peer.js';
import { testPki } from '../transport/dtls/x509/testPki.js';

const peer = makePeer('127.0.0.1', 40000);
const spkiOf = (k: { export(o: { type: 'spki'; format: 'der' }): Buffer }): Uint8Array =>
  Uint8Array.from(k.export({ type: 'spki', format: 'der' }));

async function storeWithDevices() {
  const pki = testPki();
  const deviceKey = spkiOf(pki.device.publicKey);
  const store = new MemorySecurityStore();
  await store.put({ endpoint: 'rpk-dev', kind: 'rpk', publicKey: deviceKey });
  await store.put({ endpoint: 'psk-dev', kind: 'psk', identity: 'psk-id', key: new Uint8Array(16).fill(7) });
  await store.put({ endpoint: 'cert-dev', kind: 'x509' });
  return { pki, deviceKey, store };
}

test('the listener options become server options with our certificate, the trust anchors, and PSKs and raw keys from the store', async () => {
  const { pki, deviceKey, store } = await storeWithDevices();
  const certificate = { privateKey: pki.server.privateKey, chain: [pki.server.der, pki.intermediate.der] };
  const options = dtlsServerOptions(
    {
      port: 0,
      address: '127.0.0.1',
      maxHandshakes: 8,
      certificate,
      clientTrust: { trustAnchors: [pki.root.der] },
    },
    {},
    dtlsCredentialsOf(store),
  );
  assert.equal(options.role, 'server');
  assert.equal(options.maxHandshakes, 8);
  assert.equal(
    'port' in options || 'address' in options,
    false,
    'the bind address is not a transport option',
  );
  assert.equal(options.certificate, certificate);
  assert.deepEqual(options.clientTrust?.trustAnchors, [pki.root.der]);
  const known = options.clientTrust?.knownRawPublicKey;
  assert.ok(known, 'raw public keys are looked up in the store');
  assert.equal(await known(deviceKey, peer), true);
  assert.equal(await known(spkiOf(pki.server.publicKey), peer), false, 'a key nobody has');
  assert.equal(await known(deviceKey.subarray(0, 60), peer), false);
  assert.deepEqual(await options.pskFor?.('psk-id', peer), new Uint8Array(16).fill(7));
  assert.equal(await options.pskFor?.('rpk-dev', peer), undefined);
});

test('a key removed from the store is refused by the next handshake; a PSK identity is not a raw key', async () => {
  const { deviceKey, store } = await storeWithDevices();
  const known = dtlsServerOptions({}, {}, dtlsCredentialsOf(store)).clientTrust!.knownRawPublicKey!;
  assert.equal(await known(deviceKey, peer), true);
  await store.put({ endpoint: 'rpk-dev', kind: 'x509' });
  assert.equal(await known(deviceKey, peer), false);
  assert.equal(await known(new TextEncoder().encode('psk-id'), peer), false);
});

test('an explicit clientTrust.knownRawPublicKey wins over the store', async () => {
  const { deviceKey, store } = await storeWithDevices();
  const options = dtlsServerOptions(
    { clientTrust: { knownRawPublicKey: () => false } },
    {},
    dtlsCredentialsOf(store),
  );
  assert.equal(await options.clientTrust?.knownRawPublicKey?.(deviceKey, peer), false);
});

test('a certificate that cannot work fails the start naming the field, before any socket is bound', async () => {
  const { pki, store } = await storeWithDevices();
  const credentials = dtlsCredentialsOf(store);
  const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
  const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey;
  const cases = [
    [{ privateKey: rsa }, /dtls\.certificate\.privateKey: must be a P-256/],
    [{ privateKey: p384 }, /dtls\.certificate\.privateKey: must be a P-256/],
    [{ privateKey: pki.device.publicKey }, /dtls\.certificate\.privateKey/],
    [{ privateKey: pki.server.privateKey, chain: [pki.device.der] }, /chain\[0\]: is not the certificate of/],
    [
      { privateKey: pki.server.privateKey, chain: [pki.server.der, Uint8Array.of(1, 2)] },
      /chain\[1\]: is not a DER X\.509/,
    ],
  ] as const;
  for (const [certificate, message] of cases) {
    assert.throws(() => dtlsServerOptions({ certificate }, {}, credentials), message);
    await assert.rejects(
      bindDtlsServer({ certificate, port: 0 }, { address: '127.0.0.1', port: 0 }, credentials),
      message,
    );
  }
  assert.throws(
    () => dtlsServerOptions({ clientTrust: { trustAnchors: [new Uint8Array(3)] } }, {}, credentials),
    /dtls\.clientTrust\.trustAnchors\[0\]: is not a DER X\.509/,
  );
});

test('a raw-public-key-only server (a key, no chain) is accepted', async () => {
  const { pki, store } = await storeWithDevices();
  const options = dtlsServerOptions(
    { certificate: { privateKey: pki.server.privateKey } },
    {},
    dtlsCredentialsOf(store),
  );
  assert.equal(options.certificate?.chain, undefined);
});
