// Issue 13 item 4: /api/security/{endpoint} on the server's REST API and /api/bootstrap/security on
// the bootstrap API: CRUD, strict validation naming the field, 409 on a PSK identity of another
// endpoint, paging in endpoint order, and no key bytes in any answer.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { bootstrapApi, createBootstrapHttpApi } from '../../src/http/bootstrapApi.js';
import { createHttpApi } from '../../src/http/createHttpApi.js';
import { MemoryBootstrapConfigStore } from '../../src/store/memory/MemoryBootstrapConfigStore.js';
import { MemorySecurityStore } from '../../src/store/memory/MemorySecurityStore.js';
import { captureLog } from '../support/captureLog.js';
import { closeAfter } from '../support/closeAfter.js';
import { FakeServer } from './FakeServer.js';
import { body } from './helpers.js';

const KEY = 'c0ffee00112233445566778899aabbccddeeff0123456789';
const psk = (identity: string, key = KEY) => ({ psk: { identity, key } });

async function serverApp(
  store = new MemorySecurityStore(),
): Promise<{ app: FastifyInstance; store: MemorySecurityStore }> {
  const app = closeAfter(createHttpApi(new FakeServer(), { security: store }));
  await app.ready();
  return { app, store };
}
const put = (app: FastifyInstance, endpoint: string, payload: unknown, url = '/api/security') =>
  app.inject({
    method: 'PUT',
    url: `${url}/${encodeURIComponent(endpoint)}`,
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify(payload),
  });

/** Every spelling of `hex` bytes an answer could leak them in. */
function spellings(hex: string): string[] {
  const b = Buffer.from(hex, 'hex');
  return [hex, hex.toUpperCase(), b.toString('base64'), b.toString('base64url'), b.toString('latin1')].concat(
    [...b].map(String).join(','), // a JSON array of numbers
  );
}
function assertNoKey(responses: readonly LightMyRequestResponse[], hex = KEY): void {
  for (const res of responses) {
    const all = res.body + JSON.stringify(res.headers);
    for (const s of spellings(hex))
      assert.ok(!all.includes(s), `answer ${res.statusCode} holds the key: ${all}`);
  }
}

describe('server credentials: CRUD', () => {
  it('creates (201), reads, replaces (200), lists and deletes (204), then 404', async () => {
    const { app, store } = await serverApp();
    const created = await put(app, 'dev-1', psk('dev-1-id'));
    assert.equal(created.statusCode, 201, created.body);
    assert.deepEqual(body(created), {
      endpoint: 'dev-1',
      kind: 'psk',
      psk: { identity: 'dev-1-id', keyLength: 24 },
    });
    assert.deepEqual((await store.getByEndpoint('dev-1'))?.kind, 'psk');

    const got = await app.inject({ method: 'GET', url: '/api/security/dev-1' });
    assert.equal(got.statusCode, 200);
    assert.deepEqual(body(got), body(created));

    const replaced = await put(app, 'dev-1', { x509: {} });
    assert.equal(replaced.statusCode, 200, replaced.body);
    assert.deepEqual(body(replaced), { endpoint: 'dev-1', kind: 'x509', x509: {} });
    assert.equal(await store.getByPskIdentity('dev-1-id'), undefined, 'the old identity is free again');

    const rpk = await put(app, 'dev-2', { rpk: { publicKey: '3059AB' } });
    assert.equal(rpk.statusCode, 201, rpk.body);
    assert.deepEqual(body(rpk)['rpk'], { publicKey: '3059ab' }, 'a public key is not secret');

    const list = await app.inject({ method: 'GET', url: '/api/security' });
    assert.deepEqual(body(list), {
      items: [body(replaced), body(rpk)],
      total: 2,
    });

    const deleted = await app.inject({ method: 'DELETE', url: '/api/security/dev-1' });
    assert.equal(deleted.statusCode, 204);
    assert.equal(deleted.body, '');
    for (const method of ['GET', 'DELETE'] as const) {
      const res = await app.inject({ method, url: '/api/security/dev-1' });
      assert.equal(res.statusCode, 404);
      assert.deepEqual(body(res), {
        error: 'not found',
        message: 'the server has no credentials for "dev-1"',
      });
    }
    assert.equal(await store.size(), 1);
  });

  it('writes the endpoint of the path; a body may name it too, but only the same one', async () => {
    const { app, store } = await serverApp();
    const same = await put(app, 'urn:dev/1', { endpoint: 'urn:dev/1', ...psk('a') });
    assert.equal(same.statusCode, 201, same.body);
    assert.equal((await store.getByEndpoint('urn:dev/1'))?.endpoint, 'urn:dev/1');
    const other = await put(app, 'dev-2', { endpoint: 'dev-3', ...psk('b') });
    assert.equal(other.statusCode, 400);
    assert.match(body(other)['message'] as string, /^endpoint: must be the endpoint of the path/);
    assert.equal(await store.size(), 1);
  });

  it('answers 409 to a PSK identity of another endpoint, and writes nothing', async () => {
    const { app, store } = await serverApp();
    assert.equal((await put(app, 'dev-1', psk('shared'))).statusCode, 201);
    const res = await put(app, 'dev-2', psk('shared', '00'));
    assert.equal(res.statusCode, 409);
    assert.deepEqual(body(res), {
      error: 'conflict',
      message: 'psk.identity: already the identity of endpoint "dev-1"; PSK identities are unique',
    });
    assert.equal(await store.getByEndpoint('dev-2'), undefined);
    assert.equal((await store.getByPskIdentity('shared'))?.endpoint, 'dev-1');
  });

  it('refuses invalid credentials with 400 naming the field, and writes nothing', async () => {
    const { app, store } = await serverApp();
    const cases: [unknown, RegExp][] = [
      [{ psk: { identity: 'a', key: 'xyz' } }, /^psk\.key: must be hex/],
      [{ psk: { identity: 'a', key: '0' } }, /^psk\.key: must be hex/],
      [{ psk: { identity: 'a', key: '00'.repeat(65) } }, /^psk\.key: must be at most 64 bytes/],
      [{ psk: { key: KEY } }, /^psk\.identity: must be a string/],
      [{ psk: { identity: 5, key: KEY } }, /^psk\.identity: must be a string/], // no type coercion
      [{ psk: { identity: 'x'.repeat(129), key: KEY } }, /^psk\.identity: must be 1 to 128 UTF-8 bytes/],
      [{ psk: { identity: 'a', key: KEY, hint: 'h' } }, /^psk\.hint: is not a known field/],
      [{ psk: psk('a').psk, x509: {} }, /must hold exactly one of psk, rpk, x509/],
      [{ pks: psk('a').psk }, /^pks: is not a known field/],
      [{}, /must hold exactly one of psk, rpk, x509/],
      [[psk('a')], /^body: must be a JSON object/],
      ['psk', /^body: must be a JSON object/],
      [{ rpk: { publicKey: '' } }, /^rpk\.publicKey: must be hex/],
    ];
    for (const [payload, message] of cases) {
      const res = await put(app, 'dev-1', payload);
      assert.equal(res.statusCode, 400, `${JSON.stringify(payload)}: ${res.body}`);
      assert.equal(body(res)['error'], 'bad request');
      assert.match(body(res)['message'] as string, message, JSON.stringify(payload));
    }
    const empty = await app.inject({
      method: 'PUT',
      url: '/api/security/dev-1',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(empty.statusCode, 400);
    assert.match(body(empty)['message'] as string, /^body: must be a JSON object/);
    const control = await put(app, 'dev\u0001', psk('a'));
    assert.equal(control.statusCode, 400);
    assert.match(
      body(control)['message'] as string,
      /^endpoint: must be UTF-8 text without control characters/,
    );
    assert.equal(await store.size(), 0);
  });

  it('never answers key bytes: not in GET, list, PUT answers, conflicts or errors', async () => {
    const { app } = await serverApp();
    const other = '0123456789abcdef0123456789abcdef';
    const answers = [
      await put(app, 'dev-1', psk('id-1')),
      await put(app, 'dev-1', psk('id-1')),
      await put(app, 'dev-2', psk('id-1')), // conflict
      await put(app, 'dev-3', { psk: { identity: 'id-3', key: KEY, extra: KEY } }),
      await put(app, 'dev-4', { psk: { identity: 5, key: KEY } }),
      await put(app, 'dev-5', { psk: { identity: 'id-5', key: `${KEY}zz` } }),
      await put(app, 'dev-6', { psk: { identity: 'id-6', key: KEY.repeat(3) } }),
      await put(app, 'dev-7', { endpoint: 'x', psk: { identity: 'id-7', key: KEY } }),
      await put(app, 'dev-8', psk('id-8', other)),
      await app.inject({ method: 'GET', url: '/api/security/dev-1' }),
      await app.inject({ method: 'GET', url: '/api/security' }),
      await app.inject({ method: 'GET', url: '/api/security?limit=1' }),
      await app.inject({ method: 'GET', url: '/api/openapi.json' }),
      await app.inject({ method: 'DELETE', url: '/api/security/dev-1' }),
    ];
    assert.deepEqual(
      answers.map((r) => r.statusCode),
      [201, 200, 409, 400, 400, 400, 400, 400, 201, 200, 200, 200, 200, 204],
    );
    assertNoKey(answers);
    assertNoKey(answers, other);
    assert.ok(answers[9]!.body.includes('"keyLength":24'));
  });
  it('never logs key bytes, even at trace level and on a 500', async () => {
    const { log, lines } = captureLog('trace');
    const store = new MemorySecurityStore();
    const app = closeAfter(createHttpApi(new FakeServer(), { security: store, loggerInstance: log }));
    await app.ready();
    const codes = [
      (await put(app, 'dev-1', psk('id-1'))).statusCode,
      (await put(app, 'dev-2', psk('id-1'))).statusCode,
      (await put(app, 'dev-3', { psk: { identity: 'id-3', key: KEY, extra: KEY } })).statusCode,
    ];
    store.onChange(() => {
      throw new Error('listener failed');
    });
    codes.push((await put(app, 'dev-4', psk('id-4'))).statusCode);
    assert.deepEqual(codes, [201, 409, 400, 500]);
    assert.ok(
      lines.some((l) => l.includes('listener failed')),
      'the 500 was logged',
    );
    const all = lines.join('\n');
    for (const s of spellings(KEY)) assert.ok(!all.includes(s), `the log holds the key: ${all}`);
  });
});

describe('server credentials: listing', () => {
  it('pages in endpoint order with a cursor, filters by prefix, counts the total', async () => {
    const store = new MemorySecurityStore();
    const endpoints = Array.from({ length: 25 }, (_, i) => `dev-${String((i * 7) % 25).padStart(2, '0')}`);
    for (const e of endpoints) await store.put({ endpoint: e, kind: 'x509' });
    await store.put({ endpoint: 'other', kind: 'x509' });
    const { app } = await serverApp(store);
    const seen: string[] = [];
    let url = '/api/security?limit=10&endpointPrefix=dev-';
    for (let pages = 1; pages <= 5; pages++) {
      const res = await app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 200, res.body);
      const page = body(res) as { items: { endpoint: string }[]; total: number; next?: string };
      assert.equal(page.total, 25);
      seen.push(...page.items.map((i) => i.endpoint));
      if (page.next === undefined) break;
      url = `/api/security?limit=10&endpointPrefix=dev-&cursor=${page.next}`;
    }
    assert.deepEqual(seen, [...endpoints].sort());
    const bad = await app.inject({ method: 'GET', url: '/api/security?cursor=bm9wZQ' });
    assert.equal(bad.statusCode, 400);
    assert.match(body(bad)['message'] as string, /^cursor: not a cursor of this listing/);
    const tooMany = await app.inject({ method: 'GET', url: '/api/security?limit=1001' });
    assert.equal(tooMany.statusCode, 400);
    assert.match(body(tooMany)['message'] as string, /limit must be <= 1000/);
  });

  it('has no credential routes without a store', async () => {
    const app = closeAfter(createHttpApi(new FakeServer()));
    await app.ready();
    assert.equal((await app.inject({ method: 'GET', url: '/api/security' })).statusCode, 404);
    assert.equal((await put(app, 'dev-1', psk('a'))).statusCode, 404);
  });
});

describe('bootstrap credentials', () => {
  const port = () => ({ configStore: new MemoryBootstrapConfigStore(), sessions: () => [] });

  it('serves /api/bootstrap/security on the bootstrap API', async () => {
    const store = new MemorySecurityStore();
    const app = closeAfter(createBootstrapHttpApi(port(), { security: store }));
    await app.ready();
    const created = await put(app, 'dev-1', psk('bs-id'), '/api/bootstrap/security');
    assert.equal(created.statusCode, 201, created.body);
    assert.equal((await store.getByPskIdentity('bs-id'))?.endpoint, 'dev-1');
    const got = await app.inject({ method: 'GET', url: '/api/bootstrap/security/dev-1' });
    assert.deepEqual(body(got), body(created));
    const conflict = await put(app, 'dev-2', psk('bs-id'), '/api/bootstrap/security');
    assert.equal(conflict.statusCode, 409);
    const list = await app.inject({ method: 'GET', url: '/api/bootstrap/security' });
    assert.equal((body(list) as { total: number }).total, 1);
    const missing = await app.inject({ method: 'DELETE', url: '/api/bootstrap/security/dev-2' });
    assert.equal(body(missing)['message'], 'the Bootstrap-Server has no credentials for "dev-2"');
    assert.equal(
      (await app.inject({ method: 'DELETE', url: '/api/bootstrap/security/dev-1' })).statusCode,
      204,
    );
    assertNoKey([created, got, conflict, list, missing]);
  });

  it('keeps the two stores apart when the bootstrap routes share the server app (npm start)', async () => {
    const serverStore = new MemorySecurityStore();
    const bootstrapStore = new MemorySecurityStore();
    const app = closeAfter(createHttpApi(new FakeServer(), { security: serverStore }));
    await app.register(bootstrapApi, { prefix: '/api', port: port(), security: bootstrapStore });
    await app.ready();
    assert.equal((await put(app, 'dev-1', psk('dm-id'))).statusCode, 201);
    assert.equal((await put(app, 'dev-1', psk('bs-id'), '/api/bootstrap/security')).statusCode, 201);
    assert.equal((await serverStore.getByEndpoint('dev-1'))?.kind, 'psk');
    assert.equal((await serverStore.getByPskIdentity('dm-id'))?.endpoint, 'dev-1');
    assert.equal(await serverStore.getByPskIdentity('bs-id'), undefined);
    assert.equal((await bootstrapStore.getByPskIdentity('bs-id'))?.endpoint, 'dev-1');
    const dm = body(await app.inject({ method: 'GET', url: '/api/security/dev-1' }));
    const bs = body(await app.inject({ method: 'GET', url: '/api/bootstrap/security/dev-1' }));
    assert.deepEqual(
      [dm['psk'], bs['psk']],
      [
        { identity: 'dm-id', keyLength: 24 },
        { identity: 'bs-id', keyLength: 24 },
      ],
    );
  });
});
