// Issue 13 item 4: the credential routes under the API's access rules (API keys, Origin, JSON
// bodies), in a valid OpenAPI document with a write form and a key-less read form, and never a 500
// whatever JSON a PUT carries.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Validator } from '@seriousme/openapi-schema-validator';
import type { FastifyInstance } from 'fastify';
import type { ApiAccessOptions } from '../../src/http/apiGuard.js';
import { hashApiKey } from '../../src/http/apiKeys.js';
import { bootstrapApi, createBootstrapHttpApi } from '../../src/http/bootstrapApi.js';
import { createHttpApi } from '../../src/http/createHttpApi.js';
import { MemoryBootstrapConfigStore } from '../../src/store/memory/MemoryBootstrapConfigStore.js';
import { MemorySecurityStore } from '../../src/store/memory/MemorySecurityStore.js';
import { closeAfter } from '../support/closeAfter.js';
import { FakeServer } from './FakeServer.js';
import { body } from './helpers.js';

const API_KEY = 'k3y-0f-the-0perat0r-team';
const PSK = { psk: { identity: 'dev-1', key: '000102030405060708090a0b0c0d0e0f' } };
const bootstrapPort = () => ({ configStore: new MemoryBootstrapConfigStore(), sessions: () => [] });

async function apps(access: ApiAccessOptions): Promise<[string, FastifyInstance, MemorySecurityStore][]> {
  const dm = new MemorySecurityStore();
  const bs = new MemorySecurityStore();
  const server = closeAfter(createHttpApi(new FakeServer(), { access, security: dm }));
  const bootstrap = closeAfter(createBootstrapHttpApi(bootstrapPort(), { access, security: bs }));
  await Promise.all([server.ready(), bootstrap.ready()]);
  return [
    ['/api/security', server, dm],
    ['/api/bootstrap/security', bootstrap, bs],
  ];
}

describe('access rules on the credential routes', () => {
  it('asks for an API key on every route, and serves one that carries it', async () => {
    for (const [url, app, store] of await apps({ apiKeyHashes: [hashApiKey(API_KEY)] })) {
      const requests = [
        { method: 'GET' as const, url },
        { method: 'GET' as const, url: `${url}/dev-1` },
        { method: 'PUT' as const, url: `${url}/dev-1`, payload: PSK },
        { method: 'DELETE' as const, url: `${url}/dev-1` },
        { method: 'POST' as const, url, payload: { 'dev-2': { x509: {} } } },
      ];
      for (const r of requests) {
        const res = await app.inject(r);
        assert.equal(res.statusCode, 401, `${r.method} ${r.url}`);
        assert.equal(body(res)['error'], 'unauthorized');
      }
      assert.equal(await store.size(), 0, 'nothing written without a key');
      const authorization = `Bearer ${API_KEY}`;
      const codes: number[] = [];
      for (const r of requests)
        codes.push((await app.inject({ ...r, headers: { authorization } })).statusCode);
      assert.deepEqual(codes, [200, 404, 201, 204, 200], url);
    }
  });

  it('refuses changes from another origin and text/plain bodies; lets tools without Origin in', async () => {
    for (const [url, app, store] of await apps({})) {
      const foreign = await app.inject({
        method: 'PUT',
        url: `${url}/dev-1`,
        headers: { origin: 'https://evil.example' },
        payload: PSK,
      });
      assert.equal(foreign.statusCode, 403);
      const crossSite = await app.inject({
        method: 'DELETE',
        url: `${url}/dev-1`,
        headers: { 'sec-fetch-site': 'cross-site' },
      });
      assert.equal(crossSite.statusCode, 403);
      const text = await app.inject({
        method: 'PUT',
        url: `${url}/dev-1`,
        headers: { 'content-type': 'text/plain' },
        payload: JSON.stringify(PSK),
      });
      assert.equal(text.statusCode, 415);
      assert.equal(await store.size(), 0);
      const own = await app.inject({
        method: 'PUT',
        url: `${url}/dev-1`,
        headers: { origin: 'http://localhost:80', host: 'localhost:80' },
        payload: PSK,
      });
      assert.equal(own.statusCode, 201, own.body);
    }
  });
});

type Doc = {
  paths: Record<string, Record<string, { summary?: string; requestBody?: unknown; responses?: object }>>;
  components?: { schemas?: Record<string, { properties?: Record<string, { properties?: object }> }> };
};

async function documentOf(app: FastifyInstance): Promise<Doc> {
  await app.ready();
  const doc = JSON.parse((await app.inject({ method: 'GET', url: '/api/openapi.json' })).body) as Doc;
  const res = await new Validator().validate(structuredClone(doc) as Record<string, unknown>);
  assert.ok(res.valid, JSON.stringify(res.errors, null, 1)?.slice(0, 3000));
  return doc;
}

describe('OpenAPI document of the credential routes', () => {
  it('documents every route with a write form and a read form without the key, all valid', async () => {
    const server = closeAfter(createHttpApi(new FakeServer(), { security: new MemorySecurityStore() }));
    const alone = closeAfter(
      createBootstrapHttpApi(bootstrapPort(), { security: new MemorySecurityStore() }),
    );
    const both = closeAfter(createHttpApi(new FakeServer(), { security: new MemorySecurityStore() }));
    await both.register(bootstrapApi, {
      prefix: '/api',
      port: bootstrapPort(),
      security: new MemorySecurityStore(),
    });
    const onlyBootstrap = closeAfter(createHttpApi(new FakeServer()));
    await onlyBootstrap.register(bootstrapApi, {
      prefix: '/api',
      port: bootstrapPort(),
      security: new MemorySecurityStore(),
    });
    const expect: [FastifyInstance, string[]][] = [
      [server, ['/api/security']],
      [alone, ['/api/bootstrap/security']],
      [both, ['/api/security', '/api/bootstrap/security']],
      [onlyBootstrap, ['/api/bootstrap/security']],
    ];
    for (const [app, bases] of expect) {
      const doc = await documentOf(app);
      for (const base of bases) {
        for (const m of ['get', 'post']) assert.ok(doc.paths[base]?.[m]?.summary, `${m} ${base}`);
        for (const m of ['get', 'put', 'delete'])
          assert.ok(doc.paths[`${base}/{endpoint}`]?.[m]?.summary, `${m} ${base}`);
        const putOp = doc.paths[`${base}/{endpoint}`]!['put']!;
        assert.ok(putOp.requestBody);
        assert.deepEqual(Object.keys(putOp.responses ?? {}).sort(), ['200', '201', '400', '409']);
      }
      const schemas = doc.components?.schemas ?? {};
      assert.ok(
        schemas['SecurityInfoInput']?.properties?.['psk']?.properties?.['key' as never],
        'write form has key',
      );
      const read = schemas['SecurityInfo']!;
      assert.ok(!JSON.stringify(read).includes('"key"'), 'read form has no key');
      assert.ok(schemas['SecurityInfoPage']);
    }
  });
});

/** A small seeded PRNG (mulberry32) so a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomJson(rnd: () => number, depth: number): unknown {
  const names = [
    'psk',
    'rpk',
    'x509',
    'identity',
    'key',
    'publicKey',
    'endpoint',
    '__proto__',
    'constructor',
    '',
  ];
  const leaves: unknown[] = [
    null,
    true,
    0,
    -1,
    1.5,
    1e300,
    '',
    'ab',
    '0011',
    'zz',
    'x'.repeat(300),
    '00'.repeat(70),
    '\u0000',
    '\ud800',
  ];
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const r = rnd();
  if (depth <= 0 || r < 0.3) return pick(leaves);
  if (r < 0.45) return Array.from({ length: Math.floor(rnd() * 3) }, () => randomJson(rnd, depth - 1));
  const o: Record<string, unknown> = {};
  for (let i = Math.floor(rnd() * 3); i >= 0; i--)
    Object.defineProperty(o, pick(names), {
      value: randomJson(rnd, depth - 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return o;
}

/** A valid body, most often with one part replaced by random JSON. */
function mutated(rnd: () => number): unknown {
  const valid: Record<string, Record<string, unknown>>[] = [
    { psk: { identity: 'id', key: '0011' } },
    { psk: { identity: 'ab', key: '0011' } },
    { rpk: { publicKey: '3059' } },
    { x509: {} },
  ];
  const body = structuredClone(valid[Math.floor(rnd() * valid.length)]!);
  const kind = Object.keys(body)[0]!;
  const field = Object.keys(body[kind]!)[0];
  const r = rnd();
  if (r < 0.25) return body; // valid as it is
  if (field === undefined || r < 0.45) body[kind] = randomJson(rnd, 2) as Record<string, unknown>;
  else body[kind]![field] = randomJson(rnd, 2);
  return rnd() < 0.2 ? body : { ...body, ...(rnd() < 0.5 ? { endpoint: 'dev-1' } : {}) };
}

describe('PUT and POST with random JSON', () => {
  it('answers 200, 201, 400 or 409 with the one error shape, never 500 (400 bodies, seeded)', async () => {
    const store = new MemorySecurityStore([
      { endpoint: 'owner', kind: 'psk', identity: 'ab', key: new Uint8Array([1]) },
    ]);
    const app = closeAfter(createHttpApi(new FakeServer(), { security: store }));
    await app.ready();
    const rnd = random(13);
    const seen = new Set<number>();
    for (let i = 0; i < 400; i++) {
      const one = rnd() < 0.4 ? mutated(rnd) : randomJson(rnd, 4);
      // Every fourth request imports it (POST {endpoint: credentials}) instead of a PUT.
      const bulk = i % 4 === 3;
      const payload = JSON.stringify(bulk ? { [`dev-${i % 7}`]: one, 'dev-x': { x509: {} } } : one);
      const res = await app.inject({
        method: bulk ? 'POST' : 'PUT',
        url: bulk ? '/api/security' : `/api/security/dev-${i % 7}`,
        headers: { 'content-type': 'application/json' },
        payload,
      });
      seen.add(res.statusCode);
      assert.ok([200, 201, 400, 409].includes(res.statusCode), `${payload} → ${res.statusCode} ${res.body}`);
      if (res.statusCode >= 400)
        assert.deepEqual(Object.keys(body(res)).sort(), ['error', 'message'], payload);
    }
    // Every outcome occurs: the bodies reach the parser, the store and its identity index.
    assert.deepEqual([...seen].sort(), [200, 201, 400, 409]);
  });
});
