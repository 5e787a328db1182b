// The OpenAPI document at /api/openapi.json: served as JSON, generated from the route schemas.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Validator } from '@seriousme/openapi-schema-validator';
import type { FastifyInstance } from 'fastify';
import { bootstrapApi, createBootstrapHttpApi } from '../../src/http/bootstrapApi.js';
import { createHttpApi } from '../../src/http/createHttpApi.js';
import { MemoryBootstrapConfigStore } from '../../src/store/memory/MemoryBootstrapConfigStore.js';
import { FakeServer } from './FakeServer.js';
import { setup } from './helpers.js';

interface Operation {
  summary?: string;
  parameters?: { name: string; in: string; schema?: { enum?: string[] } }[];
  requestBody?: unknown;
  responses?: Record<string, unknown>;
}
type OpenApi = {
  openapi: string;
  info: { title: string };
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, unknown> };
};

/** Validates `doc` against the OpenAPI JSON schema of its version; fails with the validator's errors. */
async function assertValid(doc: unknown): Promise<void> {
  const validator = new Validator();
  const res = await validator.validate(structuredClone(doc) as Record<string, unknown>);
  assert.ok(res.valid, JSON.stringify(res.errors, null, 1)?.slice(0, 3000));
}

const bootstrapPort = () => ({ configStore: new MemoryBootstrapConfigStore(), sessions: () => [] });

let app: FastifyInstance;
let doc: OpenApi;
before(async () => {
  ({ app } = await setup());
  const res = await app.inject({ method: 'GET', url: '/api/openapi.json' });
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /application\/json/);
  doc = JSON.parse(res.body) as OpenApi;
});
after(() => app.close());

describe('OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document (checked by @seriousme/openapi-schema-validator)', async () => {
    assert.equal(doc.openapi, '3.1.0');
    assert.equal(doc.info.title, 'LwM2M server REST API');
    await assertValid(doc);
  });

  it('shares component schemas instead of repeating them', () => {
    const schemas = doc.components?.schemas ?? {};
    for (const name of ['Error', 'Node', 'Registration', 'ClientPage'])
      assert.ok(schemas[name], `no ${name}`);
    const read = doc.paths['/api/clients/{endpoint}/{o}']!['get']!;
    assert.deepEqual(
      (read.responses?.['404'] as { content: Record<string, { schema: unknown }> }).content[
        'application/json'
      ]!.schema,
      { $ref: '#/components/schemas/Error' },
    );
    assert.ok(!JSON.stringify(doc).includes('"exclusiveMinimum":0'), 'no 3.0-invalid exclusiveMinimum');
  });

  it('types the event stream as text/event-stream', () => {
    const ok = doc.paths['/api/events']!['get']!.responses?.['200'] as { content: Record<string, unknown> };
    assert.deepEqual(Object.keys(ok.content), ['text/event-stream']);
  });

  it('documents paging parameters of GET /api/clients', () => {
    const names = (doc.paths['/api/clients']!['get']!.parameters ?? []).map((p) => p.name).sort();
    assert.deepEqual(names, [
      'binding',
      'cursor',
      'endpointPrefix',
      'lastSeenBefore',
      'lastSeenFrom',
      'limit',
      'objectId',
      'queueMode',
      'securityMode',
      'sort',
    ]);
  });

  it('documents the bootstrap API, beside the server API and on its own, both valid', async () => {
    const both = createHttpApi(new FakeServer());
    await both.register(bootstrapApi, { prefix: '/api', port: bootstrapPort() });
    const alone = createBootstrapHttpApi(bootstrapPort());
    try {
      for (const app of [both, alone]) {
        await app.ready();
        const d = JSON.parse((await app.inject({ method: 'GET', url: '/api/openapi.json' })).body) as OpenApi;
        await assertValid(d);
        assert.ok(d.paths['/api/bootstrap/configs/{endpoint}']?.['put']?.summary);
        assert.ok(d.paths['/api/bootstrap/sessions']?.['get']?.summary);
        assert.ok(d.components?.schemas?.['BootstrapSession']);
      }
    } finally {
      await both.close();
      await alone.close();
    }
  });

  it('lists every main path and operation', () => {
    const expected: [string, string[]][] = [
      ['/api/clients', ['get']],
      ['/api/clients/{endpoint}', ['get']],
      ['/api/clients/{endpoint}/{o}', ['get', 'put', 'post', 'delete']],
      ['/api/clients/{endpoint}/{o}/{i}/{r}/{ri}', ['get', 'put', 'post', 'delete']],
      ['/api/clients/{endpoint}/{o}/{i}/{r}/discover', ['get']],
      ['/api/clients/{endpoint}/{o}/{i}/attributes', ['put']],
      ['/api/clients/{endpoint}/{o}/{i}/{r}/observe', ['post', 'delete']],
      ['/api/clients/{endpoint}/composite/read', ['post']],
      ['/api/clients/{endpoint}/composite/write', ['post']],
      ['/api/clients/{endpoint}/composite/observe', ['post', 'delete']],
      ['/api/clients/{endpoint}/queue', ['get']],
      ['/api/clients/{endpoint}/queue/{id}', ['get', 'delete']],
      ['/api/events', ['get']],
    ];
    for (const [path, methods] of expected) {
      assert.ok(doc.paths[path], `missing ${path}`);
      for (const m of methods) assert.ok(doc.paths[path]?.[m]?.summary, `missing ${m} ${path}`);
    }
    assert.equal(doc.paths['/api/openapi.json'], undefined, 'the document does not list itself');
  });

  it('documents path ids, format names, timeout, bodies and error responses', () => {
    const read = doc.paths['/api/clients/{endpoint}/{o}/{i}/{r}']!['get']!;
    const names = (read.parameters ?? []).map((p) => `${p.in}:${p.name}`).sort();
    assert.deepEqual(names, [
      'path:endpoint',
      'path:i',
      'path:o',
      'path:r',
      'query:format',
      'query:timeout',
      'query:wait',
    ]);
    const format = read.parameters?.find((p) => p.name === 'format');
    assert.ok(format?.schema?.enum?.includes('senml-cbor'));
    for (const status of ['200', '202', '400', '404', '504'])
      assert.ok(read.responses?.[status], `read lacks ${status}`);
    const cancel = doc.paths['/api/clients/{endpoint}/queue/{id}']!['delete']!;
    for (const status of ['204', '404', '409'])
      assert.ok(cancel.responses?.[status], `cancel lacks ${status}`);
    assert.ok(doc.components?.schemas?.['QueuedRequest'], 'the QueuedRequest schema is shared');
    assert.ok(doc.paths['/api/clients/{endpoint}/composite/write']!['post']!.requestBody);
    assert.ok(doc.paths['/api/clients/{endpoint}/{o}']!['post']!.responses?.['201']);
  });

  it('serves the document under a custom prefix', async () => {
    const other = createHttpApi(new FakeServer(), { prefix: '/lwm2m' });
    await other.ready();
    const res = await other.inject({ method: 'GET', url: '/lwm2m/openapi.json' });
    assert.equal(res.statusCode, 200);
    assert.ok((JSON.parse(res.body) as OpenApi).paths['/lwm2m/clients/{endpoint}/{o}/{i}']);
    await other.close();
  });
});
