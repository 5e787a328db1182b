// Issue 16 item 3: the object models over the REST API. GET /api/models lists them a page at a
// time, GET /api/models/{id} answers one definition, POST /api/models adds the objects of a DDF file
// to the running server's registry (bounded in size and count; the loader's message on a bad file),
// after which the client routes type values by it; GET /api/clients/{ep}/models resolves the
// client's announced objects and versions (Core TS 1.1.1 section 7.2.2), unknown objects raw.
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { createHttpApi } from '../../src/http/createHttpApi.js';
import { MAX_DDF_BYTES } from '../../src/http/modelRoutes.js';
import type { WriteRequest } from '../../src/lwm2m/requests.js';
import { sampleDdf } from '../support/sampleDdf.js';
import { FakeServer } from './FakeServer.js';
import { body } from './helpers.js';

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function start(options: { maxUploadedModels?: number } = {}): Promise<FakeServer> {
  const fake = new FakeServer();
  fake.addClient('dev1', '</1/0>,</3>;ver=1.1,</3/0>,</3303>;ver=1.9,</3303/0>,</3303/1>,</32769/0>');
  app = createHttpApi(fake, options);
  await app.ready();
  return fake;
}

const upload = (xml: string, type = 'application/xml', query = '') =>
  app!.inject({
    method: 'POST',
    url: `/api/models${query}`,
    headers: { 'content-type': type },
    payload: xml,
  });

describe('GET /api/models', () => {
  it('lists the known object versions a page at a time, with a filter', async () => {
    const fake = await start();
    const first = body(await app!.inject({ method: 'GET', url: '/api/models?limit=2' }));
    assert.equal(first['total'], fake.models.all().length);
    assert.equal(first['uploaded'], 0);
    assert.equal(first['maxUploaded'], 1000);
    const items = first['items'] as { id: number; name: string; version: string; resourceCount: number }[];
    assert.equal(items.length, 2);
    assert.equal(items[0]!.id, 0);
    const second = body(await app!.inject({ method: 'GET', url: '/api/models?limit=2&offset=2' }));
    assert.notDeepEqual(second['items'], first['items']);
    const temp = body(await app!.inject({ method: 'GET', url: '/api/models?q=temperature' }));
    const found = temp['items'] as { id: number; multiple: boolean; resourceCount: number }[];
    assert.ok(found.length > 0 && found.every((m) => m.id === 3303));
    assert.ok(found[0]!.multiple);
    assert.ok(found[0]!.resourceCount > 3);
    const bad = await app!.inject({ method: 'GET', url: '/api/models?limit=0' });
    assert.equal(bad.statusCode, 400);
  });
});

describe('GET /api/models/{id}', () => {
  it('answers every resource of the default or the asked version', async () => {
    const fake = await start();
    const res = await app!.inject({ method: 'GET', url: '/api/models/3' });
    assert.equal(res.statusCode, 200);
    const model = body(res) as {
      name: string;
      version: string;
      versions: string[];
      resources: {
        id: number;
        name: string;
        operations: string;
        type: string;
        range: string;
        units: string;
      }[];
    };
    assert.equal(model.name, 'Device');
    assert.deepEqual(model.versions, fake.models.versions(3));
    assert.equal(model.version, fake.models.defaultVersion(3));
    const battery = model.resources.find((r) => r.id === 9)!;
    assert.deepEqual(
      { ...battery, description: undefined },
      {
        id: 9,
        name: 'Battery Level',
        operations: 'R',
        multiple: false,
        mandatory: false,
        type: 'integer',
        range: '0..100',
        units: '/100',
        description: undefined,
      },
    );
    assert.equal(model.resources.find((r) => r.id === 4)!.operations, 'E');
    const old = body(await app!.inject({ method: 'GET', url: '/api/models/3?version=1.0' }));
    assert.equal(old['version'], '1.0');
    const missing = await app!.inject({ method: 'GET', url: '/api/models/3?version=7.0' });
    assert.equal(missing.statusCode, 404);
    assert.match(body(missing)['message'] as string, /known: 1\.0, 1\.1/);
    assert.equal((await app!.inject({ method: 'GET', url: '/api/models/32769' })).statusCode, 404);
  });
});

describe('POST /api/models (DDF upload)', () => {
  it('adds the objects of a DDF to the running server: listed, and typing client routes', async () => {
    const fake = await start();
    const res = await upload(sampleDdf(32769, 'Tank'), 'text/xml; charset=utf-8');
    assert.equal(res.statusCode, 201, res.body);
    assert.deepEqual(body(res)['added'], [
      { id: 32769, name: 'Tank', version: '1.0', multiple: true, mandatory: false, resourceCount: 4 },
    ]);
    const model = body(await app!.inject({ method: 'GET', url: '/api/models/32769' }));
    assert.equal(model['name'], 'Tank');
    assert.equal(body(await app!.inject({ method: 'GET', url: '/api/models' }))['uploaded'], 1);
    // A write without "type" on the new object is typed by the uploaded model (integer, not float).
    const write = await app!.inject({
      method: 'PUT',
      url: '/api/clients/dev1/32769/0/1',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(40),
    });
    assert.equal(write.statusCode, 200, write.body);
    const sent = fake.sent.at(-1)!.request as WriteRequest;
    assert.equal(sent.node.kind === 'resource' ? sent.node.value.type : '', 'integer');
  });

  it('refuses a bad DDF with the loader message, a non-XML type, a known version and a too large body', async () => {
    const fake = await start();
    const bad = await upload('<LWM2M><Object><Name>x</Nme></Object></LWM2M>');
    assert.equal(bad.statusCode, 400);
    assert.equal(body(bad)['error'], 'bad request');
    assert.match(body(bad)['message'] as string, /^upload:1: not well-formed XML/);
    const noObject = await upload('<?xml version="1.0"?>\n<DDFList/>');
    assert.match(body(noObject)['message'] as string, /root element must be <LWM2M>/);

    const json = await app!.inject({
      method: 'POST',
      url: '/api/models',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ xml: sampleDdf(32769, 'Tank') }),
    });
    assert.equal(json.statusCode, 415);

    const core = await upload(sampleDdf(3303, 'Not a temperature', '1.1'));
    assert.equal(core.statusCode, 409);
    assert.match(
      body(core)['message'] as string,
      /object 3303 version 1\.1 is already known; add \?replace=true/,
    );
    assert.equal(fake.models.get(3303, '1.1')!.name, 'Temperature');
    const replaced = await upload(sampleDdf(3303, 'Replaced', '1.1'), 'application/xml', '?replace=true');
    assert.equal(replaced.statusCode, 201);
    assert.equal(fake.models.get(3303, '1.1')!.name, 'Replaced');

    const padding = `<!--${'x'.repeat(MAX_DDF_BYTES)}-->`;
    const large = await upload(sampleDdf(32770, 'Big') + padding);
    assert.equal(large.statusCode, 413);
    assert.equal(fake.models.has(32770), false);
  });

  it('adds at most maxUploadedModels object versions; replacing an uploaded one is free', async () => {
    const fake = await start({ maxUploadedModels: 2 });
    assert.equal((await upload(sampleDdf(32769, 'A'))).statusCode, 201);
    assert.equal((await upload(sampleDdf(32770, 'B'))).statusCode, 201);
    const third = await upload(sampleDdf(32771, 'C'));
    assert.equal(third.statusCode, 409);
    assert.match(body(third)['message'] as string, /at most 2 \(maxUploadedModels\)/);
    assert.equal(fake.models.has(32771), false);
    const again = await upload(sampleDdf(32770, 'B2'), 'application/xml', '?replace=true');
    assert.equal(again.statusCode, 201);
    assert.equal(fake.models.get(32770)!.name, 'B2');
    assert.equal(body(await app!.inject({ method: 'GET', url: '/api/models' }))['uploaded'], 2);
  });
});

describe('GET /api/clients/{ep}/models', () => {
  it("resolves the client's announced objects and versions; unknown objects come without a model", async () => {
    await start();
    const res = await app!.inject({ method: 'GET', url: '/api/clients/dev1/models' });
    assert.equal(res.statusCode, 200);
    const objects = body(res)['objects'] as {
      id: number;
      version?: string;
      instances: number[];
      model?: { name: string; version: string; resources: unknown[] };
    }[];
    assert.deepEqual(
      objects.map((o) => o.id),
      [1, 3, 3303, 32769],
    );
    const device = objects.find((o) => o.id === 3)!;
    assert.equal(device.version, '1.1');
    assert.equal(device.model?.version, '1.1');
    assert.deepEqual(device.instances, [0]);
    const temp = objects.find((o) => o.id === 3303)!;
    assert.equal(temp.version, '1.9', 'the announced version');
    assert.equal(temp.model?.version, '1.1', 'the closest lower known version');
    assert.deepEqual(temp.instances, [0, 1]);
    const unknown = objects.find((o) => o.id === 32769)!;
    assert.equal(unknown.model, undefined);
    assert.deepEqual(unknown.instances, [0]);

    await upload(sampleDdf(32769, 'Tank'));
    const after = body(await app!.inject({ method: 'GET', url: '/api/clients/dev1/models' }));
    const tank = (after['objects'] as typeof objects).find((o) => o.id === 32769)!;
    assert.equal(tank.model?.name, 'Tank', 'an uploaded model applies to registered clients at once');
    assert.equal((await app!.inject({ method: 'GET', url: '/api/clients/nobody/models' })).statusCode, 404);
  });
});

describe('OpenAPI of the model routes', () => {
  it('documents the three paths, the XML body of the upload and the shared model schemas', async () => {
    await start();
    const doc = body(await app!.inject({ method: 'GET', url: '/api/openapi.json' })) as {
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, unknown> } }>>;
      components: { schemas: Record<string, unknown> };
    };
    for (const path of ['/api/models', '/api/models/{id}', '/api/clients/{endpoint}/models'])
      assert.ok(doc.paths[path]?.['get'], `GET ${path}`);
    assert.deepEqual(Object.keys(doc.paths['/api/models']!['post']!.requestBody!.content).sort(), [
      'application/xml',
      'text/xml',
    ]);
    assert.ok(doc.components.schemas['ObjectModel']);
    assert.ok(doc.components.schemas['ModelSummary']);
  });
});
