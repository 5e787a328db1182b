// The bootstrap REST API plugin through app.inject(): configs by endpoint (and "*" as the
// default), validation errors with messages, and the session list.
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BootstrapSessionRecord } from '../../src/bootstrap/BootstrapSession.js';
import { createBootstrapHttpApi } from '../../src/http/bootstrapApi.js';
import { createCoreRegistry } from '../../src/model/core/coreModels.js';
import { MemoryBootstrapConfigStore } from '../../src/store/memory/MemoryBootstrapConfigStore.js';

const configJson = {
  security: {
    0: { uri: 'coap://dm:5683', securityMode: 'nosec', shortServerId: 1 },
    1: {
      uri: 'coaps://dm:5684',
      securityMode: 'psk',
      publicKeyOrIdentity: '6465',
      secretKey: 'a0b1',
      shortServerId: 2,
    },
  },
  servers: { 0: { shortServerId: 1, lifetime: 300, binding: 'U' } },
};
const session: BootstrapSessionRecord = {
  id: 'bs-1',
  endpoint: 'urn:dev:1',
  address: '10.0.0.2',
  port: 56830,
  format: 11542,
  state: 'failed',
  startedAt: 1000,
  endedAt: 1200,
  steps: [{ name: 'delete /0', ok: false, code: 0x80, startedAt: 1000, durationMs: 200 }],
  failure: { step: 'delete /0', reason: 'client answered 4.00', code: 0x80 },
};

function setup() {
  const configStore = new MemoryBootstrapConfigStore();
  const app = createBootstrapHttpApi({
    configStore,
    sessions: () => [session],
    models: createCoreRegistry(),
  });
  return { app, configStore };
}
let app: ReturnType<typeof setup>['app'] | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('bootstrap REST API', () => {
  test('stores a config with PUT (201, then 200 on replace) and serves it back with bytes as hex', async () => {
    const s = setup();
    app = s.app;
    const put = await app.inject({
      method: 'PUT',
      url: '/api/bootstrap/configs/urn:dev:1',
      payload: configJson,
    });
    assert.equal(put.statusCode, 201);
    assert.deepEqual(put.json(), { endpoint: 'urn:dev:1', replaced: false });
    assert.deepEqual(
      (await s.configStore.get('urn:dev:1'))?.security[1]?.secretKey,
      Uint8Array.from([0xa0, 0xb1]),
    );
    const again = await app.inject({
      method: 'PUT',
      url: '/api/bootstrap/configs/urn:dev:1',
      payload: configJson,
    });
    assert.equal(again.statusCode, 200);
    assert.deepEqual(again.json(), { endpoint: 'urn:dev:1', replaced: true });
    const get = await app.inject({ method: 'GET', url: '/api/bootstrap/configs/urn:dev:1' });
    assert.equal(get.statusCode, 200);
    // keys are write-only: the answer says how long the key is, never what it is
    assert.equal(get.json().security['1'].secretKey, undefined);
    assert.equal(get.json().security['1'].secretKeyLength, 2);
    assert.equal(get.json().security['1'].publicKeyOrIdentity, configJson.security[1].publicKeyOrIdentity);
    assert.doesNotMatch(get.body, /a0b1/i);
    const list = await app.inject({ method: 'GET', url: '/api/bootstrap/configs' });
    assert.doesNotMatch(list.body, /a0b1/i);
    assert.equal(list.json()[0].config.security['1'].secretKeyLength, 2);
    assert.equal(get.json().security['0'].securityMode, 'nosec');
  });

  test('sets and removes the default config under "*"', async () => {
    const s = setup();
    app = s.app;
    assert.equal(
      (await app.inject({ method: 'PUT', url: '/api/bootstrap/configs/*', payload: configJson })).statusCode,
      201,
    );
    assert.ok(await s.configStore.get('urn:anyone'));
    assert.equal((await app.inject({ method: 'DELETE', url: '/api/bootstrap/configs/%2A' })).statusCode, 204);
    assert.equal(await s.configStore.get('urn:anyone'), undefined);
  });

  test('lists configs ordered by endpoint', async () => {
    const s = setup();
    app = s.app;
    for (const ep of ['b', 'a'])
      await app.inject({ method: 'PUT', url: `/api/bootstrap/configs/${ep}`, payload: configJson });
    const list = await app.inject({ method: 'GET', url: '/api/bootstrap/configs' });
    assert.deepEqual(
      list.json().map((e: { endpoint: string }) => e.endpoint),
      ['a', 'b'],
    );
  });

  test('answers 404 for a config it does not have (GET and DELETE)', async () => {
    app = setup().app;
    const get = await app.inject({ method: 'GET', url: '/api/bootstrap/configs/nobody' });
    assert.equal(get.statusCode, 404);
    assert.match(get.json().message, /no bootstrap config for nobody/);
    assert.equal(
      (await app.inject({ method: 'DELETE', url: '/api/bootstrap/configs/nobody' })).statusCode,
      404,
    );
  });

  const badBodies: { name: string; payload: unknown; message: RegExp }[] = [
    {
      name: 'a key that is not hex',
      payload: { ...configJson, security: { 0: { ...configJson.security[1], secretKey: 'zz' } } },
      message: /security\.0\.secretKey: must be hex/,
    },
    {
      name: 'a missing lifetime',
      payload: { ...configJson, servers: { 0: { shortServerId: 1, binding: 'U' } } },
      message: /servers\.0\.lifetime/,
    },
    {
      name: 'an unknown field',
      payload: { ...configJson, sever: {} },
      message: /sever: is not a known field/,
    },
    { name: 'an array', payload: [1], message: /body must be object/ },
    {
      name: 'an empty config (it would delete the accounts and write nothing)',
      payload: {},
      message: /writes nothing but deletes \/0, \/1 \(the default delete list\)/,
    },
    {
      name: 'an unknown object resource',
      payload: { ...configJson, objects: { '/3/0/999': 1 } },
      message: /objects: .*no such writable resource/,
    },
  ];
  for (const c of badBodies)
    test(`refuses ${c.name} with 400 and a message`, async () => {
      const s = setup();
      app = s.app;
      const res = await app.inject({
        method: 'PUT',
        url: '/api/bootstrap/configs/ep',
        payload: c.payload as object,
      });
      assert.equal(res.statusCode, 400);
      assert.match(res.json().message, c.message);
      assert.equal(await s.configStore.get('ep'), undefined);
    });

  test('lists the sessions', async () => {
    app = setup().app;
    const res = await app.inject({ method: 'GET', url: '/api/bootstrap/sessions' });
    assert.equal(res.statusCode, 200);
    const [s] = res.json() as Record<string, unknown>[];
    // ISO wall-clock times, "c.dd" codes and format names, as everywhere in the API (issue 12 item 10).
    assert.equal(s!['format'], 'tlv');
    assert.equal(Date.parse(s!['endedAt'] as string) - Date.parse(s!['startedAt'] as string), 200);
    assert.deepEqual(s!['failure'], { step: 'delete /0', reason: 'client answered 4.00', code: '4.00' });
    assert.deepEqual((s!['steps'] as Record<string, unknown>[])[0], {
      name: 'delete /0',
      ok: false,
      code: '4.00',
      startedAt: s!['startedAt'],
      durationMs: 200,
    });
  });
});
