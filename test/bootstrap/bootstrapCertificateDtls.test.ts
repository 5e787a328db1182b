// Issue 15 item 4, bootstrap side: the Bootstrap-Server's own DTLS takes our certificate and the
// devices' trust anchors like the LwM2M server (the same bindDtlsServer wiring, raw public keys
// admitted from its SecurityStore), a certificate that cannot work stops the start naming the
// field, and its Authorizer binds RPK and X.509 identities to the `ep` of a Bootstrap-Request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BootstrapAuthorizer } from '../../src/bootstrap/BootstrapAuthorizer.js';
import { BootstrapServer } from '../../src/bootstrap/BootstrapServer.js';
import { Lwm2mServer } from '../../src/server/Lwm2mServer.js';
import { MemorySecurityStore } from '../../src/store/memory/MemorySecurityStore.js';
import { makePeer } from '../../src/transport/Peer.js';
import { testPki } from '../transport/dtls/x509/testPki.js';

const pki = testPki();
const deviceKey = Uint8Array.from(pki.device.publicKey.export({ type: 'spki', format: 'der' }));

test('the Bootstrap-Server and the server start their DTLS port with a certificate; a wrong one stops the start', async () => {
  const store = new MemorySecurityStore([{ endpoint: 'dev-rpk', kind: 'rpk', publicKey: deviceKey }]);
  const dtls = {
    port: 0,
    certificate: { privateKey: pki.server.privateKey, chain: [pki.server.der, pki.intermediate.der] },
    clientTrust: { trustAnchors: [pki.root.der] },
  };
  const bs = await BootstrapServer.start({ address: '127.0.0.1', port: 0, security: { store }, dtls });
  try {
    assert.ok(bs.secureAddress(), 'a DTLS port');
    assert.equal(bs.config.dtls?.certificate, dtls.certificate);
  } finally {
    await bs.stop();
  }
  const wrong = { ...dtls, certificate: { privateKey: pki.device.privateKey, chain: [pki.server.der] } };
  await assert.rejects(
    BootstrapServer.start({ address: '127.0.0.1', port: 0, security: { store }, dtls: wrong }),
    /dtls\.certificate\.chain\[0\]: is not the certificate of dtls\.certificate\.privateKey/,
  );
  await assert.rejects(
    Lwm2mServer.start({ address: '127.0.0.1', port: 0, security: { store }, dtls: wrong }),
    /dtls\.certificate\.chain\[0\]/,
  );
});

test('a Bootstrap-Request is bound to the RPK or certificate of its ep (4.00 otherwise, 4.03 unknown)', async () => {
  const store = new MemorySecurityStore([
    { endpoint: 'dev-rpk', kind: 'rpk', publicKey: deviceKey },
    { endpoint: 'urn:imei:490154203237518', kind: 'x509' },
  ]);
  const auth = new BootstrapAuthorizer({ store });
  const rpk = makePeer('::1', 1, { kind: 'rpk', publicKey: deviceKey });
  const cert = makePeer('::1', 2, {
    kind: 'x509',
    subject: 'CN=urn:imei:490154203237518',
    commonName: 'urn:imei:490154203237518',
  });
  const codeOf = async (ep: string, peer: ReturnType<typeof makePeer>) => {
    try {
      await auth.check(ep, peer);
      return 'ok';
    } catch (e) {
      return (e as { coapCode?: number }).coapCode;
    }
  };
  assert.equal(await codeOf('dev-rpk', rpk), 'ok');
  assert.equal(await codeOf('urn:imei:490154203237518', cert), 'ok');
  assert.equal(await codeOf('urn:imei:490154203237518', rpk), 0x80);
  assert.equal(await codeOf('dev-rpk', cert), 0x80);
  assert.equal(await codeOf('nobody', cert), 0x83);
});
