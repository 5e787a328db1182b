// Issue 16 item 4 on the REST API: the credentials listing filtered by mode, the export of every
// matching credential as CSV or JSON without keys (GET /api/security?export=), the CSV import
// (POST text/csv) and the dry run that answers each row with its action or its error.
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { createHttpApi } from '../../src/http/createHttpApi.js';
import { parseSecurityCsv } from '../../src/http/securityCsv.js';
import type { SecurityInfo } from '../../src/lwm2m/SecurityInfo.js';
import { MemorySecurityStore } from '../../src/store/memory/MemorySecurityStore.js';
import { closeAfter } from '../support/closeAfter.js';
import { FakeServer } from './FakeServer.js';
import { body } from './helpers.js';

const KEY = '5ec2e75ec2e75ec2e75ec2e75ec2e700';
const RPK = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  .publicKey.export({ type: 'spki', format: 'der' })
  .toString('hex');
const psk = (endpoint: string, identity: string): SecurityInfo => ({
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
const postCsv = (app: FastifyInstance, csv: string, dryRun = false) =>
  app.inject({
    method: 'POST',
    url: `/api/security${dryRun ? '?dryRun=true' : ''}`,
    headers: { 'content-type': 'text/csv' },
    payload: csv,
  });

describe('GET /api/security filters and export', () => {
  it('filters the listing by mode, total included', async () => {
    const { app } = await setup([
      psk('a-1', 'id-a1'),
      { endpoint: 'a-2', kind: 'x509' },
      psk('b-1', 'id-b1'),
    ]);
    const res = await app.inject({ url: '/api/security?kind=psk&endpointPrefix=a' });
    assert.equal(res.statusCode, 200, res.body);
    const page = body(res) as { items: { endpoint: string }[]; total: number };
    assert.deepEqual(
      page.items.map((i) => i.endpoint),
      ['a-1'],
    );
    assert.equal(page.total, 1);
    assert.equal((await app.inject({ url: '/api/security?kind=rsa' })).statusCode, 400);
  });

  it('exports every match as CSV, across chunks, with no key', async () => {
    const many = Array.from({ length: 1203 }, (_, i) => psk(`dev-${String(i).padStart(4, '0')}`, `id,${i}`));
    const { app } = await setup([...many, { endpoint: 'x-cert', kind: 'x509' }]);
    const res = await app.inject({ url: '/api/security?export=csv&kind=psk' });
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /^text\/csv/);
    assert.match(res.headers['content-disposition'] as string, /attachment; filename="credentials.csv"/);
    const lines = res.body.trimEnd().split('\r\n');
    assert.equal(lines[0], 'endpoint,mode,identity,key,publicKey');
    assert.equal(lines.length, 1 + 1203);
    const data = lines.slice(1).sort(); // the store's order
    assert.equal(data[0], 'dev-0000,psk,"id,0",,');
    assert.equal(data[1202], 'dev-1202,psk,"id,1202",,');
    assert.equal(new Set(data).size, 1203);
    assert.ok(!res.body.includes(KEY), 'no key in the export');
    // the export reads back through the CSV parser (keys to fill in before an import)
    const rows = parseSecurityCsv(res.body, 2000);
    assert.deepEqual(rows[0], {
      line: 2,
      endpoint: 'dev-0000',
      credentials: { psk: { identity: 'id,0', key: '' } },
    });
  });

  it('exports JSON as a credentials file without the PSK keys', async () => {
    const { app } = await setup([psk('p', 'id-p'), { endpoint: 'x', kind: 'x509' }]);
    const res = await app.inject({ url: '/api/security?export=json' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(JSON.parse(res.body), { p: { psk: { identity: 'id-p' } }, x: { x509: {} } });
    const empty = await (await setup()).app.inject({ url: '/api/security?export=json' });
    assert.deepEqual(JSON.parse(empty.body), {});
  });
});

describe('POST /api/security as CSV', () => {
  it('imports a CSV file (quoted fields, CRLF, BOM, columns in any order)', async () => {
    const { app, store } = await setup([psk('dev-1', 'old-id')]);
    const csv =
      '\ufeffmode,endpoint,key,identity,publicKey\r\n' +
      `psk,dev-1,${KEY},"id ""one"", new",\r\n` +
      `psk,dev-2,${KEY},id-2,\r\n` +
      `rpk,dev-3,,,${RPK}\r\n` +
      'x509,dev-4,,,\r\n\r\n';
    const res = await postCsv(app, csv);
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(body(res), { created: 3, replaced: 1 });
    const one = await store.getByEndpoint('dev-1');
    assert.equal(one?.kind === 'psk' && one.identity, 'id "one", new');
    assert.equal((await store.getByEndpoint('dev-3'))?.kind, 'rpk');
  });

  it('refuses a CSV with a bad line whole, naming the line', async () => {
    const { app, store } = await setup();
    const res = await postCsv(app, `endpoint,mode,identity,key\ndev-1,psk,id-1,${KEY}\ndev-2,psk,id-2,zz\n`);
    assert.equal(res.statusCode, 400);
    assert.match(String(body(res).message), /dev-2\.psk\.key/);
    assert.equal(await store.size(), 0);
    const header = await postCsv(app, 'endpoint,mode,secret\n');
    assert.equal(header.statusCode, 400);
    assert.match(String(body(header).message), /header.*"secret"/);
    const mode = await postCsv(app, 'endpoint,mode\ndev-1,oscore\n');
    assert.equal(mode.statusCode, 400);
    assert.match(String(body(mode).message), /line 2: mode: must be psk, rpk or x509/);
  });

  it('dry run: each row with its action or its own error, nothing written, no key echoed', async () => {
    const { app, store } = await setup([psk('dev-1', 'id-1'), psk('other', 'taken')]);
    const csv = [
      'endpoint,mode,identity,key,publicKey',
      `dev-1,psk,id-1,${KEY},`,
      `dev-2,psk,id-2,${KEY},`,
      'dev-3,psk,id-3,xyz,',
      `dev-4,psk,taken,${KEY},`,
      `dev-5,psk,id-2,${KEY},`,
      'dev-6,rpk,,,',
      'dev-7,x509,id-7,,',
      'dev-8,psk',
    ].join('\n');
    const res = await postCsv(app, csv, true);
    assert.equal(res.statusCode, 200, res.body);
    const preview = body(res) as {
      rows: { line: number; endpoint: string; action?: string; error?: string; identity?: string }[];
      valid: number;
      invalid: number;
    };
    assert.equal(preview.valid, 2);
    assert.equal(preview.invalid, 6);
    const by = new Map(preview.rows.map((r) => [r.endpoint, r]));
    assert.deepEqual(by.get('dev-1'), {
      line: 2,
      endpoint: 'dev-1',
      kind: 'psk',
      identity: 'id-1',
      action: 'replace',
    });
    assert.equal(by.get('dev-2')?.action, 'create');
    assert.match(by.get('dev-3')?.error ?? '', /psk\.key: must be hex/);
    assert.match(by.get('dev-4')?.error ?? '', /already belongs to endpoint "other"/);
    assert.match(by.get('dev-5')?.error ?? '', /also given to endpoint "dev-2"/);
    assert.match(by.get('dev-6')?.error ?? '', /rpk\.publicKey/);
    assert.match(by.get('dev-7')?.error ?? '', /identity: is not used in mode x509/);
    assert.match(by.get('dev-8')?.error ?? '', /has 2 fields, the header 5/);
    assert.ok(!res.body.includes(KEY));
    assert.equal(await store.size(), 2, 'nothing written');
  });

  it('dry run of a JSON body', async () => {
    const { app } = await setup();
    const res = await app.inject({
      method: 'POST',
      url: '/api/security?dryRun=true',
      payload: { a: { psk: { identity: 'a', key: KEY } }, b: { psk: { identity: 'b' } } },
    });
    assert.equal(res.statusCode, 200, res.body);
    const preview = body(res) as { rows: { endpoint: string; error?: string }[]; valid: number };
    assert.equal(preview.valid, 1);
    assert.match(preview.rows[1]?.error ?? '', /psk\.key/);
  });
});
