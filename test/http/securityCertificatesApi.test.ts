// Issue 15 item 4 over REST: the security API takes raw public keys (hex, base64 DER or PEM, kept
// as DER) and X.509 entries, answers them without any private key, refuses a private key in the
// body, and tells a raw public key already held by another endpoint apart (409). The bootstrap
// config API stores RPK/X.509 accounts with their private keys and never answers those keys.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { createBootstrapHttpApi } from '../../src/http/bootstrapApi.js';
import { createHttpApi } from '../../src/http/createHttpApi.js';
import { createCoreRegistry } from '../../src/model/core/coreModels.js';
import { MemoryBootstrapConfigStore } from '../../src/store/memory/MemoryBootstrapConfigStore.js';
import { MemorySecurityStore } from '../../src/store/memory/MemorySecurityStore.js';
import { closeAfter } from '../support/closeAfter.js';
import { testPki } from '../transport/dtls/x509/testPki.js';
import { FakeServer } from './FakeServer.js';
import { body } from './helpers.js';

const pki = testPki();
const spkiDer = pki.device.publicKey.export({ type: 'spki', format: 'der' });
const spkiPem = pki.device.publicKey.export({ type: 'spki', format: 'pem' }) as string;
const pkcs8Der = pki.device.privateKey.export({ type: 'pkcs8', format: 'der' });
const pkcs8Pem = pki.device.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;

async function serverApp(): Promise<{ app: FastifyInstance; store: MemorySecurityStore }> {
  const store = new MemorySecurityStore();
  const app = closeAfter(createHttpApi(new FakeServer(), { security: store }));
  await app.ready();
  return { app, store };
}
const put = (app: FastifyInstance, url: string, payload: unknown) =>
  app.inject({
    method: 'PUT',
    url,
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify(payload),
  });

/** The private key in every spelling an answer could carry it. */
function assertNoPrivateKey(text: string): void {
  const body = pki.device.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const lines = body.split('\n').filter((l) => l && !l.startsWith('-----'));
  for (const s of [pkcs8Der.toString('hex'), pkcs8Der.toString('base64'), ...lines])
    assert.ok(
      !text.toLowerCase().includes(s.toLowerCase()),
      `the answer holds the private key: ${text.slice(0, 200)}`,
    );
  // the private scalar alone, in hex
  const d = Buffer.from((pki.device.privateKey.export({ format: 'jwk' }) as { d: string }).d, 'base64url');
  assert.ok(!text.toLowerCase().includes(d.toString('hex')), 'the answer holds the private scalar');
}

describe('security API: raw public keys and certificates', () => {
  it('takes a raw public key as PEM, base64 DER or hex, keeps it as DER and answers it as hex', async () => {
    const { app, store } = await serverApp();
    for (const [endpoint, publicKey] of [
      ['pem', spkiPem],
      ['b64', spkiDer.toString('base64')],
      ['hex', spkiDer.toString('hex')],
    ] as const) {
      const res = await put(app, `/api/security/${endpoint}`, { rpk: { publicKey } });
      assert.equal(res.statusCode, endpoint === 'pem' ? 201 : 409, res.body);
      if (endpoint !== 'pem') {
        assert.match(body(res)['message'] as string, /^rpk\.publicKey: already the key of endpoint "pem"/);
        continue;
      }
      assert.deepEqual(body(res), { endpoint, kind: 'rpk', rpk: { publicKey: spkiDer.toString('hex') } });
    }
    assert.deepEqual((await store.getByPublicKey(Uint8Array.from(spkiDer)))?.endpoint, 'pem');
    // the owner may give it again in another spelling
    assert.equal(
      (await put(app, '/api/security/pem', { rpk: { publicKey: spkiDer.toString('base64') } })).statusCode,
      200,
    );
  });

  it('refuses a PEM or base64 value that is not a public key, naming the field', async () => {
    const { app } = await serverApp();
    for (const publicKey of [
      '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n',
      'QUJDRA==',
      pkcs8Pem,
    ]) {
      const res = await put(app, '/api/security/d', { rpk: { publicKey } });
      assert.equal(res.statusCode, 400, res.body);
      assert.match(body(res)['message'] as string, /^rpk\.publicKey: is (not a public key|a private key)/);
      assertNoPrivateKey(res.body);
    }
  });

  it('stores x509 entries; a private key in a body is refused and never answered', async () => {
    const { app } = await serverApp();
    const created = await put(app, '/api/security/urn:imei:490154203237518', { x509: {} });
    assert.equal(created.statusCode, 201, created.body);
    assert.deepEqual(body(created), { endpoint: 'urn:imei:490154203237518', kind: 'x509', x509: {} });
    for (const payload of [
      { rpk: { publicKey: spkiPem, privateKey: pkcs8Pem } },
      { x509: { privateKey: pkcs8Der.toString('hex') } },
    ]) {
      const res = await put(app, '/api/security/leak', payload);
      assert.equal(res.statusCode, 400, res.body);
      assert.match(body(res)['message'] as string, /privateKey: is not a known field/);
      assertNoPrivateKey(res.body);
    }
    const list = await app.inject({ method: 'GET', url: '/api/security' });
    assert.equal((body(list) as { total: number }).total, 1);
    assertNoPrivateKey(list.body);
  });
});

describe('bootstrap config API: RPK and X.509 accounts', () => {
  it('stores an x509 account with its private key and answers only the key length', async () => {
    const configStore = new MemoryBootstrapConfigStore();
    const app = closeAfter(
      createBootstrapHttpApi({ configStore, sessions: () => [], models: createCoreRegistry() }),
    );
    const config = {
      security: {
        0: {
          uri: 'coaps://lwm2m.example:5684',
          securityMode: 'x509',
          shortServerId: 1,
          publicKeyOrIdentity: pki.device.der.toString('hex'),
          serverPublicKey: pki.root.der.toString('hex'),
          secretKey: pkcs8Der.toString('hex'),
          certificateUsage: 2,
        },
      },
      servers: { 0: { shortServerId: 1, lifetime: 300, binding: 'U' } },
    };
    const res = await app.inject({
      method: 'PUT',
      url: '/api/bootstrap/configs/urn:imei:490154203237518',
      payload: config,
    });
    assert.equal(res.statusCode, 201, res.body);
    assert.deepEqual(
      (await configStore.get('urn:imei:490154203237518'))?.security[0]?.secretKey,
      Uint8Array.from(pkcs8Der),
    );
    for (const url of ['/api/bootstrap/configs/urn:imei:490154203237518', '/api/bootstrap/configs']) {
      const got = await app.inject({ method: 'GET', url });
      assert.equal(got.statusCode, 200);
      assertNoPrivateKey(got.body);
    }
    const got = await app.inject({ method: 'GET', url: '/api/bootstrap/configs/urn:imei:490154203237518' });
    const sec = got.json().security['0'];
    assert.equal(sec.secretKeyLength, pkcs8Der.length);
    assert.equal(sec.publicKeyOrIdentity, pki.device.der.toString('hex'), 'certificates are not secret');
  });
});

describe('security import: raw public keys are unique like PSK identities', () => {
  const keyHex = (fill: number) => {
    const k = Buffer.from(spkiDer);
    k[k.length - 1] = fill; // another (not necessarily valid) key of the same shape, given as hex
    return k.toString('hex');
  };
  const post = (app: FastifyInstance, payload: unknown) =>
    app.inject({
      method: 'POST',
      url: '/api/security',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(payload),
    });

  it('refuses one key for two imported endpoints (400) and a key held outside the import (409), before any write', async () => {
    const { app, store } = await serverApp();
    await store.put({
      endpoint: 'old',
      kind: 'rpk',
      publicKey: Uint8Array.from(Buffer.from(keyHex(1), 'hex')),
    });
    const twice = await post(app, {
      a: { rpk: { publicKey: keyHex(2) } },
      b: { rpk: { publicKey: keyHex(2) } },
    });
    assert.equal(twice.statusCode, 400, twice.body);
    assert.match(body(twice)['message'] as string, /^b\.rpk\.publicKey: is already the key of endpoint "a"/);
    const held = await post(app, { a: { rpk: { publicKey: keyHex(1) } }, c: { x509: {} } });
    assert.equal(held.statusCode, 409, held.body);
    assert.match(
      body(held)['message'] as string,
      /^a\.rpk\.publicKey: already the key of endpoint "old", which this import leaves as it is/,
    );
    assert.equal(await store.size(), 1, 'nothing written');
  });

  it('moves a key between imported endpoints in an order the store accepts', async () => {
    const { app, store } = await serverApp();
    await store.put({
      endpoint: 'old',
      kind: 'rpk',
      publicKey: Uint8Array.from(Buffer.from(keyHex(1), 'hex')),
    });
    const res = await post(app, { new: { rpk: { publicKey: keyHex(1) } }, old: { x509: {} } });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(
      (await store.getByPublicKey(Uint8Array.from(Buffer.from(keyHex(1), 'hex'))))?.endpoint,
      'new',
    );
    const cycle = await post(app, { new: { rpk: { publicKey: keyHex(3) } } });
    assert.equal(cycle.statusCode, 200);
    await store.put({
      endpoint: 'other',
      kind: 'rpk',
      publicKey: Uint8Array.from(Buffer.from(keyHex(4), 'hex')),
    });
    const swap = await post(app, {
      new: { rpk: { publicKey: keyHex(4) } },
      other: { rpk: { publicKey: keyHex(3) } },
    });
    assert.equal(swap.statusCode, 409, swap.body);
    assert.match(body(swap)['message'] as string, /rpk\.publicKey: raw public keys move in a cycle/);
  });
});
