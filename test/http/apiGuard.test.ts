// Issue 12 item 6: the REST APIs refuse DNS-rebinding (Host), cross-site changes (Origin,
// Sec-Fetch-Site), text/plain bodies where JSON is meant, and, with API keys, any request without
// a valid bearer token: on the client routes, the event stream and the bootstrap API alike.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import type { ApiAccessOptions } from '../../src/http/apiGuard.js';
import { hostName, isLoopback } from '../../src/http/apiGuard.js';
import { bearerMatches, hashApiKey, newApiKey, parseApiKeys } from '../../src/http/apiKeys.js';
import { createBootstrapHttpApi } from '../../src/http/bootstrapApi.js';
import { createHttpApi } from '../../src/http/createHttpApi.js';
import { MemoryBootstrapConfigStore } from '../../src/store/memory/MemoryBootstrapConfigStore.js';
import { FakeServer } from './FakeServer.js';
import { body } from './helpers.js';

const KEY = 'k3y-0f-the-0perat0r-team';
const apps: FastifyInstance[] = [];
async function serverApp(access: ApiAccessOptions = {}): Promise<{ app: FastifyInstance; fake: FakeServer }> {
  const fake = new FakeServer();
  fake.addClient('dev1');
  const app = createHttpApi(fake, { access, events: { keepAliveMs: 60_000 } });
  await app.ready();
  apps.push(app);
  return { app, fake };
}
async function bootstrapApp(access: ApiAccessOptions = {}): Promise<FastifyInstance> {
  const app = createBootstrapHttpApi(
    { configStore: new MemoryBootstrapConfigStore(), sessions: () => [] },
    { access },
  );
  await app.ready();
  apps.push(app);
  return app;
}
after(async () => {
  for (const a of apps) await a.close();
});

describe('Host (DNS rebinding)', () => {
  let app: FastifyInstance;
  let bs: FastifyInstance;
  before(async () => {
    ({ app } = await serverApp({ allowedHosts: ['lwm2m.example.com'] }));
    bs = await bootstrapApp();
  });
  const routes = [
    '/api/clients',
    '/api/clients/dev1',
    '/api/clients/dev1/3/0',
    '/api/events',
    '/api/openapi.json',
  ];
  for (const url of routes)
    it(`refuses GET ${url} with a foreign Host`, async () => {
      const res = await app.inject({ method: 'GET', url, headers: { host: 'attacker.example:8080' } });
      assert.equal(res.statusCode, 403);
      assert.equal(body(res)['error'], 'forbidden');
      assert.match(body(res)['message'] as string, /host: "attacker.example" is not a name of this API/);
    });

  it('refuses the bootstrap API with a foreign Host', async () => {
    const res = await bs.inject({
      method: 'GET',
      url: '/api/bootstrap/configs',
      headers: { host: 'evil.test' },
    });
    assert.equal(res.statusCode, 403);
  });

  for (const host of [
    'localhost:8080',
    '127.0.0.1:8080',
    '[::1]:8080',
    '192.0.2.7',
    'LWM2M.example.com.:443',
  ])
    it(`accepts Host ${host}`, async () => {
      const res = await app.inject({ method: 'GET', url: '/api/clients', headers: { host } });
      assert.equal(res.statusCode, 200, res.body);
    });
});

describe('Origin and Sec-Fetch-Site on state-changing requests', () => {
  let app: FastifyInstance;
  let fake: FakeServer;
  let bs: FastifyInstance;
  before(async () => {
    ({ app, fake } = await serverApp({ allowedOrigins: ['https://ui.example.com'] }));
    bs = await bootstrapApp();
  });
  const write = (headers: Record<string, string>) =>
    app.inject({
      method: 'PUT',
      url: '/api/clients/dev1/3/0/14',
      headers: { host: 'localhost:8080', ...headers },
      payload: { value: '+02' },
    });

  it('refuses a write from another origin, and sends nothing to the client', async () => {
    const sent = fake.sent.length;
    for (const origin of ['http://attacker.example', 'null', 'http://localhost:9999']) {
      const res = await write({ origin });
      assert.equal(res.statusCode, 403, origin);
      assert.match(body(res)['message'] as string, /origin: ".*" may not change anything here/);
    }
    const res = await write({ 'sec-fetch-site': 'cross-site' });
    assert.equal(res.statusCode, 403);
    assert.equal(fake.sent.length, sent);
  });

  it('accepts a write from its own origin, an allowed origin, or a tool that sends no Origin', async () => {
    assert.equal((await write({ origin: 'http://localhost:8080' })).statusCode, 200);
    const defaultPort = await app.inject({
      method: 'PUT',
      url: '/api/clients/dev1/3/0/14',
      headers: { host: 'localhost:80', origin: 'http://localhost' },
      payload: { value: '+02' },
    });
    assert.equal(defaultPort.statusCode, 200, 'a default port is the same origin');
    assert.equal((await write({ origin: 'https://ui.example.com' })).statusCode, 200);
    assert.equal((await write({ 'sec-fetch-site': 'same-origin' })).statusCode, 200);
    assert.equal((await write({})).statusCode, 200);
  });

  it('lets a foreign origin read (the browser keeps the answer from it: no CORS headers)', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/api/clients',
      headers: { origin: 'http://attacker.example' },
    });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['access-control-allow-origin'], undefined);
  });

  it('refuses a bootstrap config change from another origin', async () => {
    const res = await bs.inject({
      method: 'DELETE',
      url: '/api/bootstrap/configs/x',
      headers: { origin: 'http://attacker.example' },
    });
    assert.equal(res.statusCode, 403);
  });
});

describe('text/plain bodies', () => {
  let app: FastifyInstance;
  let fake: FakeServer;
  before(async () => ({ app, fake } = await serverApp()));

  it('refuses text/plain where JSON is meant (write, create, composite, bootstrap config)', async () => {
    const bs = await bootstrapApp();
    const cases: [FastifyInstance, 'PUT' | 'POST', string][] = [
      [app, 'PUT', '/api/clients/dev1/3/0/14'],
      [app, 'POST', '/api/clients/dev1/3303'],
      [app, 'POST', '/api/clients/dev1/composite/read'],
      [bs, 'PUT', '/api/bootstrap/configs/ep'],
    ];
    for (const [a, method, url] of cases) {
      const res = await a.inject({
        method,
        url,
        headers: { 'content-type': 'text/plain' },
        payload: '{"value":"x"}',
      });
      assert.equal(res.statusCode, 415, `${method} ${url}`);
      assert.deepEqual(body(res), {
        error: 'unsupported media type',
        message: 'content-type: text/plain is not accepted here; send application/json',
      });
    }
  });

  it('still takes Execute arguments as text/plain', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/clients/dev1/3/0/4',
      headers: { 'content-type': 'text/plain' },
      payload: "0='now'",
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(fake.last.request.kind, 'execute');
  });
});

describe('API keys', () => {
  let app: FastifyInstance;
  let bs: FastifyInstance;
  before(async () => {
    ({ app } = await serverApp({ apiKeyHashes: [hashApiKey('another-key-of-16+chars'), hashApiKey(KEY)] }));
    bs = await bootstrapApp({ apiKeyHashes: [hashApiKey(KEY)] });
  });

  const urls: [string, string][] = [
    ['server', '/api/clients'],
    ['server', '/api/clients/dev1/3/0/0'],
    ['server', '/api/events'],
    ['server', '/api/openapi.json'],
    ['bootstrap', '/api/bootstrap/configs'],
    ['bootstrap', '/api/bootstrap/sessions'],
  ];
  for (const [which, url] of urls)
    it(`asks for a key on GET ${url} (${which})`, async () => {
      const a = which === 'server' ? app : bs;
      const none = await a.inject({ method: 'GET', url });
      assert.equal(none.statusCode, 401);
      assert.equal(none.headers['www-authenticate'], 'Bearer realm="lwm2m"');
      assert.match(body(none)['message'] as string, /Authorization: Bearer <key>/);
      const wrong = await a.inject({ method: 'GET', url, headers: { authorization: `Bearer ${KEY}x` } });
      assert.equal(wrong.statusCode, 401);
      assert.match(body(wrong)['message'] as string, /not a key of this API/);
      assert.doesNotMatch(wrong.body, new RegExp(KEY), 'the token is never echoed');
    });

  it('serves a request that carries a valid key', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/api/clients',
      headers: { authorization: `Bearer ${KEY}` },
    });
    assert.equal(res.statusCode, 200);
    const b = await bs.inject({
      method: 'GET',
      url: '/api/bootstrap/configs',
      headers: { authorization: `bearer ${KEY}` },
    });
    assert.equal(b.statusCode, 200);
  });

  it('opens the event stream with a valid key', async () => {
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    assert.ok(address && typeof address === 'object');
    const ctrl = new AbortController();
    const res = await fetch(`http://127.0.0.1:${address.port}/api/events`, {
      headers: { authorization: `Bearer ${KEY}` },
      signal: ctrl.signal,
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
    ctrl.abort();
  });
});

describe('key lists and helpers', () => {
  it('reads sha256 lines, bare tokens, comments and commas; rejects short or malformed entries', () => {
    const { token, line } = newApiKey();
    const hashes = parseApiKeys(`# operators\n${line}\n\n${KEY}, another-key-of-16+chars\n`, 'keys.txt');
    assert.equal(hashes.length, 3);
    assert.ok(bearerMatches(`Bearer ${token}`, hashes));
    assert.ok(bearerMatches(`Bearer ${KEY}`, hashes));
    assert.ok(!bearerMatches(`Basic ${KEY}`, hashes));
    assert.ok(!bearerMatches(undefined, hashes));
    assert.throws(() => parseApiKeys('short', 'keys.txt'), /keys.txt, entry 1: a key is sha256/);
    assert.throws(
      () => parseApiKeys('sha256:abc', 'LWM2M_API_KEYS'),
      /LWM2M_API_KEYS, entry 1: sha256: needs 64 hex/,
    );
  });

  it('knows loopback addresses and host names', () => {
    for (const a of ['127.0.0.1', '::1', 'localhost', '127.1.2.3', '::ffff:127.0.0.1'])
      assert.ok(isLoopback(a), a);
    for (const a of ['0.0.0.0', '::', '192.0.2.1', 'example.com']) assert.ok(!isLoopback(a), a);
    assert.equal(hostName('[::1]:8080'), '::1');
    assert.equal(hostName('Example.COM.:80'), 'example.com');
  });
});
