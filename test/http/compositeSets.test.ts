// Issue 16 item 3: named composite sets over REST (GET /api/composite-sets, GET|PUT|DELETE
// /api/composite-sets/{name}): validated paths, bounds, {error, message} errors, OpenAPI entries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Validator } from '@seriousme/openapi-schema-validator';
import { createHttpApi } from '../../src/http/createHttpApi.js';
import { MemoryCompositeSetStore } from '../../src/store/memory/MemoryCompositeSetStore.js';
import { closeAfter } from '../support/closeAfter.js';
import { FakeServer } from './FakeServer.js';

async function api(limits: { maxSets?: number; maxPathsPerSet?: number } = {}) {
  const store = new MemoryCompositeSetStore();
  const app = createHttpApi(new FakeServer(), { compositeSets: store, compositeSetLimits: limits });
  closeAfter({ close: () => app.close() });
  await app.ready();
  return { app, store };
}

test('PUT creates (201) then replaces (200) a set; GET lists and reads it; DELETE removes it', async () => {
  const { app, store } = await api();
  const put = (paths: string[]) =>
    app.inject({
      method: 'PUT',
      url: '/api/composite-sets/my%20device',
      payload: { paths, description: 'maker', format: 'senml-cbor' },
    });
  const created = await put(['3/0/0', '/3/0/9/']);
  assert.equal(created.statusCode, 201);
  assert.deepEqual(created.json(), {
    name: 'my device',
    paths: ['/3/0/0', '/3/0/9'],
    description: 'maker',
    format: 'senml-cbor',
  });
  assert.equal((await put(['/1/0/1'])).statusCode, 200);
  assert.deepEqual((await store.get('my device'))?.paths, ['/1/0/1']);
  const list = await app.inject({ method: 'GET', url: '/api/composite-sets' });
  assert.deepEqual(
    list.json<{ items: { name: string }[]; total: number }>().items.map((s) => s.name),
    ['my device'],
  );
  const one = await app.inject({ method: 'GET', url: '/api/composite-sets/my%20device' });
  assert.equal(one.json<{ format: string }>().format, 'senml-cbor');
  assert.equal(
    (await app.inject({ method: 'DELETE', url: '/api/composite-sets/my%20device' })).statusCode,
    204,
  );
  const gone = await app.inject({ method: 'GET', url: '/api/composite-sets/my%20device' });
  assert.equal(gone.statusCode, 404);
  assert.equal(gone.json<{ error: string }>().error, 'unknown composite set');
  assert.equal(
    (await app.inject({ method: 'DELETE', url: '/api/composite-sets/my%20device' })).statusCode,
    404,
  );
});

test('refuses paths that are not LwM2M paths, repeated paths, bad names and unknown formats with 400', async () => {
  const { app, store } = await api();
  const cases: [string, unknown][] = [
    ['ok', { paths: ['/3/x/0'] }],
    ['ok', { paths: ['/3/0/0', '3/0/0'] }],
    ['ok', { paths: [] }],
    ['ok', { paths: ['/3/0/0'], format: 'xml' }],
    ['bad%2Fname', { paths: ['/3/0/0'] }],
    ['x'.repeat(65), { paths: ['/3/0/0'] }],
  ];
  for (const [name, payload] of cases) {
    const res = await app.inject({
      method: 'PUT',
      url: `/api/composite-sets/${name}`,
      payload: payload as object,
    });
    assert.equal(res.statusCode, 400, `${name} ${JSON.stringify(payload)}: ${res.body}`);
    const b = res.json<{ error: string; message: string }>();
    assert.equal(typeof b.error, 'string');
    assert.equal(typeof b.message, 'string');
  }
  assert.equal(await store.size(), 0);
});

test('bounds: at most maxSets sets (409 for one more, a replace still allowed) and maxPathsPerSet paths', async () => {
  const { app } = await api({ maxSets: 2, maxPathsPerSet: 3 });
  const put = (name: string, paths: string[]) =>
    app.inject({ method: 'PUT', url: `/api/composite-sets/${name}`, payload: { paths } });
  assert.equal((await put('a', ['/1'])).statusCode, 201);
  assert.equal((await put('b', ['/1'])).statusCode, 201);
  const third = await put('c', ['/1']);
  assert.equal(third.statusCode, 409);
  assert.equal(third.json<{ error: string }>().error, 'too many composite sets');
  assert.equal((await put('a', ['/1', '/2', '/3'])).statusCode, 200);
  assert.equal((await put('a', ['/1', '/2', '/3', '/4'])).statusCode, 400);
});

test('the routes are in the OpenAPI document (valid OpenAPI 3.1), and absent without a store', async () => {
  const { app } = await api();
  const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
    paths: Record<string, Record<string, unknown>>;
  }>();
  assert.ok(doc.paths['/api/composite-sets']?.get);
  assert.ok(doc.paths['/api/composite-sets/{name}']?.put);
  assert.ok(doc.paths['/api/composite-sets/{name}']?.delete);
  const valid = await new Validator().validate(structuredClone(doc) as unknown as Record<string, unknown>);
  assert.ok(valid.valid, JSON.stringify(valid.errors)?.slice(0, 2000));
  const bare = createHttpApi(new FakeServer());
  closeAfter({ close: () => bare.close() });
  assert.equal((await bare.inject({ method: 'GET', url: '/api/composite-sets' })).statusCode, 404);
});
