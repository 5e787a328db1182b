// The OpenAPI document at /api/openapi.json: served as JSON, generated from the route schemas.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { createHttpApi } from '../../src/http/createHttpApi.js';
import { FakeServer } from './FakeServer.js';
import { setup } from './helpers.js';

interface Operation {
  summary?: string;
  parameters?: { name: string; in: string; schema?: { enum?: string[] } }[];
  requestBody?: unknown;
  responses?: Record<string, unknown>;
}
type OpenApi = { openapi: string; info: { title: string }; paths: Record<string, Record<string, Operation>> };

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
  it('is an OpenAPI 3 document with a title', () => {
    assert.match(doc.openapi, /^3\./);
    assert.equal(doc.info.title, 'LwM2M server REST API');
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
    assert.deepEqual(names, ['path:endpoint', 'path:i', 'path:o', 'path:r', 'query:format', 'query:timeout']);
    const format = read.parameters?.find((p) => p.name === 'format');
    assert.ok(format?.schema?.enum?.includes('senml-cbor'));
    for (const status of ['200', '400', '404', '504'])
      assert.ok(read.responses?.[status], `read lacks ${status}`);
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
