// Issue 16 item 5 on the bootstrap REST API: configs listed a page at a time with a prefix filter
// (x-total-count), sessions of one endpoint, and a config read back (keys redacted to
// secretKeyLength) stored again as it is, which keeps the stored keys.
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BootstrapSessionRecord } from '../../src/bootstrap/BootstrapSession.js';
import { createBootstrapHttpApi } from '../../src/http/bootstrapApi.js';
import { parseBootstrapConfig } from '../../src/lwm2m/bootstrapConfigJson.js';
import { createCoreRegistry } from '../../src/model/core/coreModels.js';
import { MemoryBootstrapConfigStore } from '../../src/store/memory/MemoryBootstrapConfigStore.js';

const pskConfig = (key: string) => ({
  security: {
    1: {
      uri: 'coaps://dm:5684',
      securityMode: 'psk',
      publicKeyOrIdentity: '6465',
      secretKey: key,
      shortServerId: 2,
    },
  },
  servers: { 0: { shortServerId: 2, lifetime: 300, binding: 'U' } },
});
const nosec = {
  security: { 0: { uri: 'coap://dm:5683', securityMode: 'nosec', shortServerId: 1 } },
  servers: { 0: { shortServerId: 1, lifetime: 300, binding: 'U' } },
};
const session = (id: string, endpoint: string): BootstrapSessionRecord => ({
  id,
  endpoint,
  address: '127.0.0.1',
  port: 5000,
  format: 11542,
  state: 'finished',
  startedAt: 1000,
  endedAt: 1100,
  steps: [{ name: 'finish', ok: true, code: 0x44, startedAt: 1050, durationMs: 50 }],
});

let app: ReturnType<typeof createBootstrapHttpApi> | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});
function setup() {
  const configStore = new MemoryBootstrapConfigStore();
  app = createBootstrapHttpApi({
    configStore,
    sessions: () => [session('s1', 'a'), session('s2', 'b'), session('s3', 'a')],
    models: createCoreRegistry(),
  });
  return { app, configStore };
}

describe('bootstrap configs for an editor', () => {
  test('lists a page at a time after an endpoint, filtered by prefix, with the total', async () => {
    const { app, configStore } = setup();
    for (const ep of ['dev-3', 'dev-1', 'other', 'dev-2', '*'])
      await configStore.put(ep, parseBootstrapConfig(nosec));
    const first = await app.inject({ url: '/api/bootstrap/configs?endpointPrefix=dev-&limit=2' });
    assert.equal(first.statusCode, 200, first.body);
    assert.equal(first.headers['x-total-count'], '3');
    const names = (r: { body: string }) =>
      (JSON.parse(r.body) as { endpoint: string }[]).map((e) => e.endpoint);
    assert.deepEqual(names(first), ['dev-1', 'dev-2']);
    const second = await app.inject({
      url: '/api/bootstrap/configs?endpointPrefix=dev-&limit=2&after=dev-2',
    });
    assert.deepEqual(names(second), ['dev-3']);
    assert.deepEqual(names(await app.inject({ url: '/api/bootstrap/configs' })), [
      '*',
      'dev-1',
      'dev-2',
      'dev-3',
      'other',
    ]);
    assert.equal((await app.inject({ url: '/api/bootstrap/configs?limit=0' })).statusCode, 400);
  });

  test('lists the sessions of one endpoint', async () => {
    const { app } = setup();
    const res = await app.inject({ url: '/api/bootstrap/sessions?endpoint=a' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(
      (JSON.parse(res.body) as { id: string }[]).map((s) => s.id),
      ['s1', 's3'],
    );
  });

  test('a config read back (secretKeyLength) and stored again keeps its key', async () => {
    const { app, configStore } = setup();
    const put = (payload: object) => app.inject({ method: 'PUT', url: '/api/bootstrap/configs/ep', payload });
    assert.equal((await put(pskConfig('a0b1c2d3'))).statusCode, 201);
    const read = JSON.parse((await app.inject({ url: '/api/bootstrap/configs/ep' })).body) as {
      security: Record<string, Record<string, unknown>>;
      servers: Record<string, Record<string, unknown>>;
    };
    assert.equal(read.security['1']?.secretKeyLength, 4);
    assert.equal(read.security['1']?.secretKey, undefined);
    read.servers['0']!.lifetime = 600; // the edit
    const again = await put(read);
    assert.equal(again.statusCode, 200, again.body);
    const stored = await configStore.getExact('ep');
    assert.equal(Buffer.from(stored!.security[1]!.secretKey!).toString('hex'), 'a0b1c2d3');
    assert.equal(stored!.servers[0]!.lifetime, 600);

    const wrongLength = structuredClone(read);
    wrongLength.security['1']!.secretKeyLength = 16;
    const bad = await put(wrongLength);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /security\.1\.secretKeyLength: does not match the stored key/);
    const both = structuredClone(read);
    both.security['1']!.secretKey = 'ff';
    assert.match((await put(both)).body, /security\.1\.secretKeyLength: give secretKey or secretKeyLength/);
    const fresh = await app.inject({ method: 'PUT', url: '/api/bootstrap/configs/new-ep', payload: read });
    assert.equal(fresh.statusCode, 400);
    assert.match(fresh.body, /stored config has none/);
  });
});
