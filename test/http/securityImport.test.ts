// POST /api/security (src/http/securityImport.ts): many credentials in one request, checked whole
// before any write, PSK identities moved between imported endpoints in a working order, and a 409
// before any write for an identity held outside the import or identities swapped in a cycle.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { createHttpApi } from '../../src/http/createHttpApi.js';
import { MAX_SECURITY_IMPORT } from '../../src/http/securityImport.js';
import type { SecurityInfo } from '../../src/lwm2m/SecurityInfo.js';
import { MemorySecurityStore } from '../../src/store/memory/MemorySecurityStore.js';
import { closeAfter } from '../support/closeAfter.js';
import { FakeServer } from './FakeServer.js';
import { body } from './helpers.js';

const KEY = '5ec2e75ec2e75ec2e75ec2e75ec2e700';
const psk = (identity: string) => ({ psk: { identity, key: KEY } });
const stored = (endpoint: string, identity: string): SecurityInfo => ({
  endpoint,
  kind: 'psk',
  identity,
  key: Uint8Array.from(Buffer.from(KEY, 'hex')),
});

async function setup(
  initial: SecurityInfo[] = [],
): Promise<{ app: FastifyInstance; store: MemorySecurityStore }> {
  const store = new MemorySecurityStore(initial);
  const app = closeAfter(createHttpApi(new FakeServer(), { security: store }));
  await app.ready();
  return { app, store };
}
const post = (app: FastifyInstance, payload: unknown) =>
  app.inject({
    method: 'POST',
    url: '/api/security',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify(payload),
  });
async function identities(store: MemorySecurityStore): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for await (const i of store.all()) out[i.endpoint] = i.kind === 'psk' ? i.identity : i.kind;
  return out;
}

describe('POST /api/security', () => {
  it('creates and replaces many endpoints, and never answers a key', async () => {
    const { app, store } = await setup([stored('dev-1', 'id-1')]);
    const res = await post(app, { 'dev-1': psk('id-1'), 'dev-2': psk('id-2'), 'dev-3': { x509: {} } });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(body(res), { created: 2, replaced: 1 });
    assert.deepEqual(await identities(store), { 'dev-1': 'id-1', 'dev-2': 'id-2', 'dev-3': 'x509' });
    assert.deepEqual(body(await post(app, {})), { created: 0, replaced: 0 });
    assert.ok(!res.body.includes(KEY));
  });

  it('checks the whole body first: 400 naming the field, nothing written', async () => {
    const { app, store } = await setup();
    const cases: [unknown, RegExp][] = [
      [
        { 'dev-1': psk('a'), 'dev-2': { psk: { identity: 'b', key: 'xx' } } },
        /^dev-2\.psk\.key: must be hex/,
      ],
      [
        { 'dev-1': psk('a'), 'dev-2': psk('a') },
        /^dev-2\.psk\.identity: is already the identity of endpoint "dev-1"/,
      ],
      [{ 'dev-1': { endpoint: 'dev-1', ...psk('a') } }, /^dev-1\.endpoint: is not a known field/],
      [[psk('a')], /^body: must be a JSON object of endpoint name/],
      [
        Object.fromEntries(
          Array.from({ length: MAX_SECURITY_IMPORT + 1 }, (_, i) => [`d${i}`, { x509: {} }]),
        ),
        /^body: must hold at most 10000 endpoints, got 10001/,
      ],
    ];
    for (const [payload, message] of cases) {
      const res = await post(app, payload);
      assert.equal(res.statusCode, 400, res.body.slice(0, 300));
      assert.match(body(res)['message'] as string, message);
      assert.ok(!res.body.includes(KEY));
    }
    assert.equal(await store.size(), 0);
  });

  it('moves PSK identities between imported endpoints, whatever their order in the body', async () => {
    const { app, store } = await setup([stored('a', 'id-a'), stored('b', 'id-b'), stored('c', 'id-c')]);
    // c takes b's identity, b takes a's, a takes a new one: written a, b, c.
    const res = await post(app, { c: psk('id-b'), b: psk('id-a'), a: psk('id-new') });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(body(res), { created: 0, replaced: 3 });
    assert.deepEqual(await identities(store), { a: 'id-new', b: 'id-a', c: 'id-b' });
    const freed = await post(app, { d: psk('id-new'), a: { x509: {} } });
    assert.deepEqual(body(freed), { created: 1, replaced: 1 });
    assert.equal((await store.getByPskIdentity('id-new'))?.endpoint, 'd');
  });

  it('answers 409 before any write for an identity held outside the import or a cycle', async () => {
    const { app, store } = await setup([stored('a', 'id-a'), stored('b', 'id-b'), stored('out', 'id-out')]);
    const before = await identities(store);
    const outside = await post(app, { new: psk('fresh'), b: psk('id-out') });
    assert.equal(outside.statusCode, 409);
    assert.deepEqual(body(outside), {
      error: 'conflict',
      message: 'b.psk.identity: already the identity of endpoint "out", which this import leaves as it is',
    });
    const swap = await post(app, { new: psk('fresh'), a: psk('id-b'), b: psk('id-a') });
    assert.equal(swap.statusCode, 409);
    assert.match(
      body(swap)['message'] as string,
      /PSK identities move in a cycle \("a" → "b"\); import them in two steps/,
    );
    assert.deepEqual(await identities(store), before);
  });

  it('stops with 409 saying how many were written when an identity is taken meanwhile', async () => {
    const { app, store } = await setup();
    const stop = store.onChange((change) => {
      if (change.endpoint === 'first') void store.put(stored('intruder', 'id-second'));
    });
    const res = await post(app, { first: psk('id-first'), second: psk('id-second') });
    stop();
    assert.equal(res.statusCode, 409);
    assert.match(
      body(res)['message'] as string,
      /^second\.psk\.identity: taken by another endpoint while importing; 1 of 2/,
    );
    assert.deepEqual(await identities(store), { first: 'id-first', intruder: 'id-second' });
  });
});
