// Issue 15 tests, at the LwM2M level: libcoap's coap-client-gnutls and coap-client-openssl send a
// real Register (POST /rd?ep=…, link-format) to our Lwm2mServer over ECDHE_ECDSA. X.509: a
// certificate whose CN is the endpoint registers with its x509 identity; a CN naming another
// endpoint is refused by the authorizer (4.03, no registration); an untrusted CA, an expired
// certificate and a missing intermediate are refused in the handshake. RPK (`-M`): the key on
// file registers, an unknown key is refused. libcoap's OpenSSL build sends its leaf only, so its
// certificates come from the root directly (coapCertificateInterop.test.ts). Every child is
// bounded by a timeout and killed in finally.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { KeyObject } from 'node:crypto';
import type { RegistrationRejectedEvent } from '../../src/server/Lwm2mServerEvents.js';
import { Lwm2mServer } from '../../src/server/Lwm2mServer.js';
import { MemorySecurityStore } from '../../src/store/memory/MemorySecurityStore.js';
import { requirePeer } from '../support/peers.js';
import { pemDir, type PemDir } from '../transport/dtls/x509/pemFiles.js';
import { DAY, issued, keyPair, selfSigned, testPki, type Issued } from '../transport/dtls/x509/testPki.js';

const CHILD_TIMEOUT_MS = 30_000;
const gnutls = requirePeer('coap-client-gnutls', 'libcoap3-bin');
const openssl = requirePeer('coap-client-openssl', 'libcoap3-bin');

const pki = testPki();
const clientAuth = { extKeyUsage: ['clientAuth' as const] };
const EP_CHAIN = 'urn:imei:490154203237518'; // pki.device, below the intermediate
const EP_ROOT = 'urn:dev:root-issued';
const rootDevice = issued(EP_ROOT, pki.root, clientAuth);
const rogueCa = selfSigned('Rogue CA', { ca: { pathLength: 0 } });
const EP_ROGUE = 'urn:dev:rogue';
const rogueDevice = issued(EP_ROGUE, rogueCa, clientAuth);
const EP_EXPIRED = 'urn:dev:expired';
const now = Date.now();
const expiredDevice = issued(EP_EXPIRED, pki.root, {
  ...clientAuth,
  notBefore: now - 30 * DAY,
  notAfter: now - DAY,
});
const EP_NO_INTERMEDIATE = 'urn:dev:no-intermediate';
const lonelyDevice = issued(EP_NO_INTERMEDIATE, pki.intermediate, clientAuth);
const rpk = keyPair();
const spki = (k: KeyObject): Uint8Array => Uint8Array.from(k.export({ type: 'spki', format: 'der' }));

interface Run {
  readonly out: string;
  readonly code: number | null;
}

describe('libcoap clients register to our server with certificates and raw public keys', () => {
  let server: Lwm2mServer;
  let files: PemDir;
  const rejected: RegistrationRejectedEvent[] = [];

  before(async () => {
    files = pemDir();
    server = await Lwm2mServer.start({
      address: '127.0.0.1',
      port: 0,
      security: {
        store: new MemorySecurityStore([
          { endpoint: EP_CHAIN, kind: 'x509' },
          { endpoint: EP_ROOT, kind: 'x509' },
          // known endpoints: their refusal is the handshake's, not the authorizer's
          { endpoint: EP_ROGUE, kind: 'x509' },
          { endpoint: EP_EXPIRED, kind: 'x509' },
          { endpoint: EP_NO_INTERMEDIATE, kind: 'x509' },
          { endpoint: 'rpk-dev', kind: 'rpk', publicKey: spki(rpk.publicKey) },
        ]),
        requireSecurity: true,
      },
      dtls: {
        port: 0,
        address: '127.0.0.1',
        certificate: { privateKey: pki.server.privateKey, chain: [pki.server.der, pki.intermediate.der] },
        clientTrust: { trustAnchors: [pki.root.der] },
      },
    });
    server.on('registrationRejected', (e) => rejected.push(e));
  });
  after(async () => {
    await server.stop();
    files.remove();
  });

  /** One Register by `binary` as `ep` with `credentials` (libcoap flags). */
  async function register(binary: string, ep: string, credentials: string[]): Promise<Run> {
    const uri = `coaps://127.0.0.1:${server.secureAddress()!.port}/rd?ep=${ep}&lt=300`;
    const args = ['-B', '10', '-m', 'post', '-t', '40', '-e', '</3/0>', ...credentials, uri];
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: CHILD_TIMEOUT_MS });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (out += d.toString('utf8')));
    try {
      const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
      return { out, code };
    } finally {
      child.kill('SIGKILL');
    }
  }

  let n = 0;
  const x509 = (device: Issued, ...chain: Uint8Array[]): string[] => {
    n++;
    return [
      '-c',
      files.certificates(`device${n}.pem`, device.der, ...chain),
      '-j',
      files.privateKey(`device${n}.key`, device.privateKey),
      '-R',
      files.certificates(`root${n}.pem`, pki.root.der),
    ];
  };
  const rpkFlags = (key: KeyObject): string[] => ['-n', '-M', files.privateKey(`rpk${++n}.pem`, key, true)];

  /** A refusal in the handshake: the server counted a failed handshake and registered nothing. */
  async function refusedInHandshake(run: () => Promise<Run>, ep: string): Promise<void> {
    const failedBefore = server.dtlsUsage()!.handshakesFailed;
    const r = await run();
    assert.ok(server.dtlsUsage()!.handshakesFailed > failedBefore, `handshake refused: ${r.out}`);
    assert.equal(await server.getRegistration(ep), undefined);
  }

  test(
    'coap-client-gnutls, CN = endpoint (chain with intermediate): 2.01, registered as x509',
    { skip: gnutls.skip },
    async () => {
      const r = await register(gnutls.path!, EP_CHAIN, x509(pki.device, pki.intermediate.der));
      assert.equal(r.code, 0, r.out);
      const reg = await server.waitForRegistration(EP_CHAIN, 10_000);
      assert.deepEqual(reg.peer.identity, { kind: 'x509', subject: `CN=${EP_CHAIN}`, commonName: EP_CHAIN });
      assert.equal(reg.lifetime, 300);
    },
  );

  test('coap-client-openssl, CN = endpoint: 2.01, registered as x509', { skip: openssl.skip }, async () => {
    const r = await register(openssl.path!, EP_ROOT, x509(rootDevice));
    assert.equal(r.code, 0, r.out);
    const reg = await server.waitForRegistration(EP_ROOT, 10_000);
    assert.deepEqual(reg.peer.identity, { kind: 'x509', subject: `CN=${EP_ROOT}`, commonName: EP_ROOT });
  });

  for (const peer of [
    { name: 'coap-client-gnutls', p: gnutls, device: () => x509(pki.device, pki.intermediate.der) },
    { name: 'coap-client-openssl', p: openssl, device: () => x509(rootDevice) },
  ]) {
    test(
      `${peer.name}, a certificate whose CN is another endpoint: refused, nothing registered`,
      { skip: peer.p.skip },
      async () => {
        const before = rejected.length;
        const r = await register(peer.p.path!, 'rpk-dev', peer.device());
        const refusal = rejected.slice(before).find((e) => e.endpoint === 'rpk-dev');
        assert.ok(refusal?.code === 0x80 || refusal?.code === 0x83, `refused 4.00/4.03: ${r.out}`);
        assert.equal(await server.getRegistration('rpk-dev'), undefined);
      },
    );
  }

  test(
    'coap-client-openssl, a certificate from an untrusted CA: refused in the handshake',
    { skip: openssl.skip },
    () => refusedInHandshake(() => register(openssl.path!, EP_ROGUE, x509(rogueDevice)), EP_ROGUE),
  );

  test(
    'coap-client-gnutls, an untrusted CA (chain given): refused in the handshake',
    { skip: gnutls.skip },
    () =>
      refusedInHandshake(() => register(gnutls.path!, EP_ROGUE, x509(rogueDevice, rogueCa.der)), EP_ROGUE),
  );

  test(
    'coap-client-gnutls and -openssl, an expired certificate: refused in the handshake',
    { skip: gnutls.skip || openssl.skip },
    async () => {
      await refusedInHandshake(() => register(gnutls.path!, EP_EXPIRED, x509(expiredDevice)), EP_EXPIRED);
      await refusedInHandshake(() => register(openssl.path!, EP_EXPIRED, x509(expiredDevice)), EP_EXPIRED);
    },
  );

  test(
    'coap-client-gnutls, the intermediate missing from the chain: refused in the handshake',
    { skip: gnutls.skip },
    () =>
      refusedInHandshake(
        () => register(gnutls.path!, EP_NO_INTERMEDIATE, x509(lonelyDevice)),
        EP_NO_INTERMEDIATE,
      ),
  );

  test(
    'coap-client-gnutls -M: the raw public key on file registers; an unknown key is refused',
    { skip: gnutls.skip },
    async () => {
      await refusedInHandshake(
        () => register(gnutls.path!, 'rpk-dev', rpkFlags(keyPair().privateKey)),
        'rpk-dev',
      );
      const r = await register(gnutls.path!, 'rpk-dev', rpkFlags(rpk.privateKey));
      assert.equal(r.code, 0, r.out);
      const reg = await server.waitForRegistration('rpk-dev', 10_000);
      assert.deepEqual(reg.peer.identity, { kind: 'rpk', publicKey: spki(rpk.publicKey) });
    },
  );
});
