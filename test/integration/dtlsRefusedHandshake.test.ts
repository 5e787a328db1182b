// A client whose DTLS handshake the server refuses with a fatal alert (RFC 5246 7.2: the
// connection is over) fails the request that waited for it at once, with the alert as the
// cause, instead of retransmitting into new handshakes until its request timeout: an unknown raw
// public key (access_denied), a certificate from an untrusted CA (unknown_ca), and the
// De-register of stop() once the server removed the device's key.
import { after, afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { AttemptFailure } from '../../src/client/attemptFailure.js';
import type { ClientCertificateConfig } from '../../src/client/certificateCredentials.js';
import { Lwm2mClient } from '../../src/client/Lwm2mClient.js';
import type { Lwm2mServer } from '../../src/server/Lwm2mServer.js';
import { MemorySecurityStore } from '../../src/store/memory/MemorySecurityStore.js';
import { AlertDescription } from '../../src/transport/dtls/handshake/alerts.js';
import { issued, selfSigned, testPki } from '../transport/dtls/x509/testPki.js';
import { coapsAccount, startCertificateServer } from './support/certificateServer.js';
import { assertNoOpenHandles, withTimeout } from './support/e2e.js';

after(assertNoOpenHandles);

const pki = testPki();
const spki = (k: KeyObject): Uint8Array => Uint8Array.from(k.export({ type: 'spki', format: 'der' }));
const pinned = { serverKey: spki(pki.server.publicKey) };
/** Far beyond the test's bounds: a request that waits for it has not failed fast. */
const LONG_MS = 120_000;

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

async function server(store: MemorySecurityStore): Promise<Lwm2mServer> {
  const s = await startCertificateServer(pki, store);
  closers.push(() => s.stop());
  return s;
}

function client(s: Lwm2mServer, endpoint: string, certificate: ClientCertificateConfig): Lwm2mClient {
  const c = new Lwm2mClient({
    endpoint,
    bind: { address: '127.0.0.1', port: 0 },
    servers: [coapsAccount(s, certificate)],
    objects: [],
    requestTimeoutMs: LONG_MS,
    dtls: { handshakeTimeoutMs: LONG_MS, flight: { initialTimeoutMs: 300 } },
  });
  closers.push(() => withTimeout(c.stop(), 3_000).catch(() => undefined));
  return c;
}

async function firstFailure(c: Lwm2mClient): Promise<AttemptFailure> {
  const failed = new Promise<AttemptFailure>((r) => c.on('registrationAttemptFailed', r));
  await c.start();
  return withTimeout(failed, 30_000, 'the refused Register');
}

test('an unknown raw public key: the Register fails with the access_denied alert, not a timeout', async () => {
  const s = await server(
    new MemorySecurityStore([{ endpoint: 'rpk-1', kind: 'rpk', publicKey: spki(pki.device.publicKey) }]),
  );
  const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const failure = await firstFailure(client(s, 'rpk-1', { privateKey: stranger.privateKey, ...pinned }));
  assert.equal(failure.timedOut, undefined);
  assert.match(
    failure.reason,
    new RegExp(`DTLS handshake failed: peer sent alert ${AlertDescription.accessDenied}$`),
  );
  assert.equal(s.dtlsUsage()?.handshakesFailed, 1, 'one handshake, not one per CoAP retransmission');
  assert.equal(await s.getRegistration('rpk-1'), undefined);
});

test('a certificate from an untrusted CA: the Register fails with the unknown_ca alert', async () => {
  const rogueCa = selfSigned('Rogue CA', { ca: { pathLength: 0 } });
  const rogue = issued('urn:dev:rogue', rogueCa, { extKeyUsage: ['clientAuth'] });
  const s = await server(new MemorySecurityStore([{ endpoint: 'urn:dev:rogue', kind: 'x509' }]));
  const failure = await firstFailure(
    client(s, 'urn:dev:rogue', {
      privateKey: rogue.privateKey,
      chain: [rogue.der, rogueCa.der],
      serverKey: pki.root.der,
      certificateUsage: 2,
    }),
  );
  assert.equal(failure.timedOut, undefined);
  assert.match(failure.reason, new RegExp(`peer sent alert ${AlertDescription.unknownCa}$`));
  assert.equal(await s.getRegistration('urn:dev:rogue'), undefined);
});

test("stop() after the server removed the device's key gives up the De-register on the refused handshake", async () => {
  const store = new MemorySecurityStore([
    { endpoint: 'rpk-1', kind: 'rpk', publicKey: spki(pki.device.publicKey) },
  ]);
  const s = await server(store);
  const c = client(s, 'rpk-1', { privateKey: pki.device.privateKey, ...pinned });
  await c.start();
  await s.waitForRegistration('rpk-1', 15_000);
  const before = s.dtlsUsage()!.handshakesFailed;
  await store.delete('rpk-1'); // the server ends the session (close_notify): De-register handshakes again
  // bounded far below the request timeout (LONG_MS): stop() must not wait for it
  await withTimeout(c.stop(), 30_000, 'stop() with a refused De-register');
  assert.equal(s.dtlsUsage()!.handshakesFailed, before + 1, 'the De-register met a refused handshake');
});
