// REST API operations against a FakeServer through app.inject(): each route builds the right
// LwM2M request and renders the answer as JSON.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { instance, multipleResource, resource, resourceInstance, nodesEqual } from '../../src/lwm2m/nodes.js';
import { Lwm2mPath } from '../../src/lwm2m/Lwm2mPath.js';
import { NO_INSTANCE_ID } from '../../src/lwm2m/Lwm2mNode.js';
import { floatValue, integerValue, stringValue } from '../../src/lwm2m/values.js';
import type { DownlinkRequest } from '../../src/lwm2m/requests.js';
import { FORMAT_NAMES } from '../../src/http/formatNames.js';
import { FakeServer, succeed } from './FakeServer.js';
import { body, setup } from './helpers.js';

let app: FastifyInstance;
let fake: FakeServer;
before(async () => ({ app, fake } = await setup()));
after(() => app.close());
beforeEach(() => {
  fake.sent.length = 0;
  fake.responder = succeed;
});

function lastOf<K extends DownlinkRequest['kind']>(kind: K): Extract<DownlinkRequest, { kind: K }> {
  const req = fake.last.request;
  assert.equal(req.kind, kind);
  return req as Extract<DownlinkRequest, { kind: K }>;
}

describe('clients', () => {
  it('lists registrations with their endpoint and announced objects', async () => {
    fake.addClient('dev2', '</1/0>,</3/0>,</5>;ver=1.1');
    const res = await app.inject({ method: 'GET', url: '/api/clients' });
    assert.equal(res.statusCode, 200);
    const list = (
      JSON.parse(res.body) as { items: { endpoint: string; objects: { id: number; version?: string }[] }[] }
    ).items;
    assert.deepEqual(list.map((c) => c.endpoint).sort(), ['dev1', 'dev2']);
    const dev2 = list.find((c) => c.endpoint === 'dev2')!;
    assert.deepEqual(
      dev2.objects.find((o) => o.id === 5),
      { id: 5, version: '1.1', instances: [] },
    );
    fake.registrations.delete('dev2');
  });

  it('gets one registration, shifting server-clock times to wall-clock ISO times', async () => {
    fake.now = () => 61_000; // registered at 1 000 with lifetime 60 s: expires at 61 000, i.e. now
    const before = Date.now();
    const b = body(await app.inject({ method: 'GET', url: '/api/clients/dev1' }));
    delete fake.now;
    assert.equal(b['endpoint'], 'dev1');
    assert.equal(b['lifetime'], 60);
    assert.equal(b['lwm2mVersion'], '1.1');
    const expires = Date.parse(b['expiresAt'] as string);
    assert.ok(expires >= before && expires <= Date.now(), `expiresAt ${b['expiresAt']} is not now`);
    assert.equal(Date.parse(b['registeredAt'] as string), expires - 60_000);
  });

  it('answers 404 with a message for an unknown endpoint', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/clients/ghost' });
    assert.equal(res.statusCode, 404);
    assert.equal(body(res)['error'], 'unknown endpoint');
    const op = await app.inject({ method: 'GET', url: '/api/clients/ghost/3/0/0' });
    assert.equal(op.statusCode, 404);
    assert.match(body(op)['message'] as string, /ghost/);
    assert.equal(fake.sent.length, 0);
  });
});

describe('read', () => {
  for (const [url, path] of [
    ['/api/clients/dev1/3', '/3'],
    ['/api/clients/dev1/3/0', '/3/0'],
    ['/api/clients/dev1/3/0/0', '/3/0/0'],
    ['/api/clients/dev1/3/0/7/1', '/3/0/7/1'],
  ] as const) {
    it(`reads ${path}`, async () => {
      const res = await app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 200);
      assert.equal(lastOf('read').path.toString(), path);
      assert.equal(lastOf('read').format, undefined);
      assert.equal(fake.last.endpoint, 'dev1');
    });
  }

  for (const [name, number] of Object.entries(FORMAT_NAMES)) {
    it(`asks for format ${name} (${number}) with ?format=${name}`, async () => {
      const res = await app.inject({ method: 'GET', url: `/api/clients/dev1/3/0?format=${name}` });
      assert.equal(res.statusCode, 200);
      assert.equal(lastOf('read').format, number);
    });
  }

  it('renders the content as readable JSON with code and format', async () => {
    fake.responder = () => ({
      code: 0x45,
      ok: true,
      format: 11542,
      content: instance(0, [resource(0, stringValue('Open Mobile Alliance')), resource(9, integerValue(87))]),
    });
    const res = await app.inject({ method: 'GET', url: '/api/clients/dev1/3/0' });
    assert.deepEqual(body(res), {
      code: '2.05',
      format: 'tlv',
      content: {
        kind: 'instance',
        id: 0,
        resources: [
          { kind: 'resource', id: 0, type: 'string', value: 'Open Mobile Alliance' },
          { kind: 'resource', id: 9, type: 'integer', value: 87 },
        ],
      },
    });
  });

  it('passes ?timeout= in seconds as a deadline in ms, 10 s by default, at most 300 s', async () => {
    await app.inject({ method: 'GET', url: '/api/clients/dev1/3/0/0?timeout=2.5' });
    assert.deepEqual(fake.last.options, { timeoutMs: 2500 });
    await app.inject({ method: 'GET', url: '/api/clients/dev1/3/0/0' });
    assert.deepEqual(fake.last.options, { timeoutMs: 10_000 });
    const tooLong = await app.inject({ method: 'GET', url: '/api/clients/dev1/3/0/0?timeout=301' });
    assert.equal(tooLong.statusCode, 400);
    assert.match(body(tooLong)['message'] as string, /timeout must be <= 300/);
  });
});

describe('write', () => {
  it('writes a resource typed by the model (replace by default)', async () => {
    const res = await app.inject({
      method: 'PUT',
      url: '/api/clients/dev1/3/0/14',
      payload: { id: 14, value: '+02' },
    });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(body(res), { code: '2.04' });
    const w = lastOf('write');
    assert.equal(w.mode, 'replace');
    assert.ok(nodesEqual(w.node, resource(14, stringValue('+02'))));
  });

  it('makes a partial update with ?replace=false and passes ?format=', async () => {
    const payload = {
      resources: [
        { id: 14, value: '+01' },
        { id: 7, instances: [{ id: 0, value: 3800 }] },
      ],
    };
    await app.inject({
      method: 'PUT',
      url: '/api/clients/dev1/3/0?replace=false&format=senml-json',
      payload,
    });
    const w = lastOf('write');
    assert.equal(w.mode, 'update');
    assert.equal(w.format, 110);
    const expected = instance(0, [
      resource(14, stringValue('+01')),
      multipleResource(7, [resourceInstance(0, integerValue(3800))], 'integer'),
    ]);
    assert.ok(nodesEqual(w.node, expected));
  });

  it('writes a bare JSON value to a resource instance', async () => {
    const res = await app.inject({
      method: 'PUT',
      url: '/api/clients/dev1/3/0/7/2',
      payload: '4200',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(res.statusCode, 200);
    assert.ok(nodesEqual(lastOf('write').node, resourceInstance(2, integerValue(4200))));
  });
});

describe('execute, create, delete', () => {
  it('executes a resource with text/plain arguments or a JSON body, and without any', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/clients/dev1/3/0/4',
      payload: "0='a',1",
      headers: { 'content-type': 'text/plain' },
    });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(body(res), { code: '2.04' });
    assert.equal(lastOf('execute').arguments, "0='a',1");
    await app.inject({ method: 'POST', url: '/api/clients/dev1/3/0/4', payload: { arguments: '5' } });
    assert.equal(lastOf('execute').arguments, '5');
    await app.inject({ method: 'POST', url: '/api/clients/dev1/3/0/4' });
    assert.equal(lastOf('execute').arguments, undefined);
  });

  it('creates an instance and answers 201 with its location', async () => {
    fake.responder = () => ({ code: 0x41, ok: true, location: Lwm2mPath.parse('/3303/1') });
    const res = await app.inject({
      method: 'POST',
      url: '/api/clients/dev1/3303',
      payload: { resources: [{ id: 5700, value: 21.5 }] },
    });
    assert.equal(res.statusCode, 201);
    assert.deepEqual(body(res), { code: '2.01', location: '/3303/1' });
    const c = lastOf('create');
    assert.equal(c.instances.length, 1);
    assert.equal(c.instances[0]!.id, NO_INSTANCE_ID);
    assert.ok(nodesEqual(c.instances[0]!.resources[0]!, resource(5700, floatValue(21.5))));
  });

  it('creates several instances from an array with chosen ids', async () => {
    await app.inject({
      method: 'POST',
      url: '/api/clients/dev1/3303',
      payload: [
        { id: 2, resources: [] },
        { id: 3, resources: [] },
      ],
    });
    assert.deepEqual(
      lastOf('create').instances.map((i) => i.id),
      [2, 3],
    );
  });

  it('deletes an instance', async () => {
    const res = await app.inject({ method: 'DELETE', url: '/api/clients/dev1/3303/1' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(body(res), { code: '2.02' });
    assert.equal(lastOf('delete').path.toString(), '/3303/1');
  });
});

describe('discover and attributes', () => {
  it('discovers with ?depth= and renders links with attributes', async () => {
    fake.responder = () => ({
      code: 0x45,
      ok: true,
      links: [
        { path: Lwm2mPath.parse('/3/0'), attributes: { pmin: 10 }, otherParams: [] },
        { path: Lwm2mPath.parse('/3/0/7'), attributes: { dim: 2 }, otherParams: [] },
      ],
    });
    const res = await app.inject({ method: 'GET', url: '/api/clients/dev1/3/0/discover?depth=1' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(body(res), {
      code: '2.05',
      links: [
        { path: '/3/0', attributes: { pmin: 10 } },
        { path: '/3/0/7', attributes: { dim: 2 } },
      ],
    });
    assert.equal(lastOf('discover').depth, 1);
  });

  it('writes attributes from the query, a bare name removing one', async () => {
    const res = await app.inject({
      method: 'PUT',
      url: '/api/clients/dev1/3303/0/5700/attributes?pmin=10&pmax=60&gt=30.5&st',
    });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(lastOf('writeAttributes').attributes, { pmin: 10, pmax: 60, gt: 30.5, st: null });
  });

  it('does not send ?timeout= as an attribute', async () => {
    await app.inject({ method: 'PUT', url: '/api/clients/dev1/3/0/attributes?pmax=60&timeout=5' });
    assert.deepEqual(lastOf('writeAttributes').attributes, { pmax: 60 });
    assert.deepEqual(fake.last.options, { timeoutMs: 5000 });
  });
});

describe('observe', () => {
  it('starts an observation, answers its id and first value, then cancels it', async () => {
    fake.responder = () => ({ code: 0x45, ok: true, content: resource(5700, floatValue(21.5)) });
    const res = await app.inject({
      method: 'POST',
      url: '/api/clients/dev1/3303/0/5700/observe?format=cbor',
    });
    assert.equal(res.statusCode, 200);
    const b = body(res);
    assert.equal(b['code'], '2.05');
    assert.match(b['observationId'] as string, /^obs-/);
    assert.deepEqual(b['content'], { kind: 'resource', id: 5700, type: 'float', value: 21.5 });
    assert.equal(lastOf('observe').format, 60);

    const cancel = await app.inject({
      method: 'DELETE',
      url: '/api/clients/dev1/3303/0/5700/observe?active=true',
    });
    assert.equal(cancel.statusCode, 200);
    assert.deepEqual(body(cancel), { cancelled: 1 });
    assert.deepEqual(fake.cancels.at(-1), {
      endpoint: 'dev1',
      target: { kind: 'single', paths: [Lwm2mPath.parse('/3303/0/5700')] },
      active: true,
    });
    const again = await app.inject({ method: 'DELETE', url: '/api/clients/dev1/3303/0/5700/observe' });
    assert.equal(again.statusCode, 404);
    assert.equal(fake.cancels.at(-1)?.active, false);
  });

  it('reports a refused observation as an error without an id', async () => {
    fake.responder = () => ({ code: 0x85, ok: false });
    const res = await app.inject({ method: 'POST', url: '/api/clients/dev1/3/0/4/observe' });
    assert.equal(res.statusCode, 405);
    assert.equal(body(res)['observationId'], undefined);
  });
});

describe('composite', () => {
  it('reads several paths and renders path + node pairs', async () => {
    fake.responder = () => ({
      code: 0x45,
      ok: true,
      format: 112,
      content: [
        { path: Lwm2mPath.parse('/3/0/0'), node: resource(0, stringValue('ACME')) },
        { path: Lwm2mPath.parse('/3303/0/5700'), node: resource(5700, floatValue(20)) },
      ],
    });
    const res = await app.inject({
      method: 'POST',
      url: '/api/clients/dev1/composite/read?format=senml-cbor',
      payload: { paths: ['/3/0/0', '/3303/0/5700'] },
    });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(body(res), {
      code: '2.05',
      format: 'senml-cbor',
      content: [
        { path: '/3/0/0', node: { kind: 'resource', id: 0, type: 'string', value: 'ACME' } },
        { path: '/3303/0/5700', node: { kind: 'resource', id: 5700, type: 'float', value: 20 } },
      ],
    });
    const r = lastOf('readComposite');
    assert.deepEqual(r.paths.map(String), ['/3/0/0', '/3303/0/5700']);
    assert.equal(r.format, 112);
  });

  it('writes values at several paths, each typed by the model', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/clients/dev1/composite/write',
      payload: { nodes: { '/3/0/14': '+02', '/1/0/1': { value: 300 }, '/3/0/7/0': 3700 } },
    });
    assert.equal(res.statusCode, 200);
    const w = lastOf('writeComposite');
    assert.deepEqual(
      w.nodes.map((n) => n.path.toString()),
      ['/3/0/14', '/1/0/1', '/3/0/7/0'],
    );
    assert.ok(nodesEqual(w.nodes[1]!.node, resource(1, integerValue(300))));
    assert.ok(nodesEqual(w.nodes[2]!.node, resourceInstance(0, integerValue(3700))));
  });

  it('starts and cancels a composite observation', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/clients/dev1/composite/observe',
      payload: { paths: ['/3/0/9', '/3303/0/5700'] },
    });
    assert.equal(res.statusCode, 200);
    assert.match(body(res)['observationId'] as string, /^obs-/);
    assert.deepEqual(lastOf('observeComposite').paths.map(String), ['/3/0/9', '/3303/0/5700']);
    const cancel = await app.inject({
      method: 'DELETE',
      url: '/api/clients/dev1/composite/observe',
      payload: { paths: ['/3/0/9', '/3303/0/5700'] },
    });
    assert.deepEqual(body(cancel), { cancelled: 1 });
    assert.equal(fake.cancels.at(-1)?.target.kind, 'composite');
  });
});
