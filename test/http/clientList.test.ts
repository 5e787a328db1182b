// GET /api/clients a page at a time (issue 12 item 5): limit, cursor, sort, filters, and 400s
// that name the field for a bad query.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { body, setup } from './helpers.js';
import type { FakeServer } from './FakeServer.js';
import { makeRegistration } from '../store/storeFixtures.js';

interface Page {
  items: { endpoint: string; sleeping?: boolean }[];
  total: number;
  next?: string;
}

let app: FastifyInstance;
let fake: FakeServer;
before(async () => {
  ({ app, fake } = await setup());
  fake.registrations.clear();
  for (let i = 0; i < 12; i++) {
    const endpoint = `${i % 2 === 0 ? 'meter' : 'valve'}-${String(i).padStart(2, '0')}`;
    fake.registrations.set(
      endpoint,
      makeRegistration({
        id: `r${i}`,
        endpoint,
        now: 1_000 * (12 - i),
        port: i + 1,
        ...(i % 3 === 0 ? { query: ['Q'] } : {}),
        ...(i === 5 ? { payload: '</1/0>,</5/0>' } : {}),
        ...(i === 7 ? { identity: { kind: 'psk' as const, identity: 'valve-07-id' } } : {}),
      }),
    );
  }
});
after(() => app.close());

async function page(query: string): Promise<Page> {
  const res = await app.inject({ method: 'GET', url: `/api/clients${query}` });
  assert.equal(res.statusCode, 200, res.body);
  assert.match(String(res.headers['content-type']), /application\/json/);
  return JSON.parse(res.body) as Page;
}

const names = (p: Page): string[] => p.items.map((c) => c.endpoint);

describe('GET /api/clients', () => {
  it('answers the first 100 clients in endpoint order with the total', async () => {
    const p = await page('');
    assert.equal(p.total, 12);
    assert.equal(p.next, undefined);
    assert.deepEqual(names(p), [...names(p)].sort());
  });

  it('walks every client once by following next', async () => {
    const seen: string[] = [];
    let p = await page('?limit=5');
    seen.push(...names(p));
    while (p.next !== undefined) {
      p = await page(`?limit=5&cursor=${p.next}`);
      seen.push(...names(p));
    }
    assert.equal(seen.length, 12);
    assert.deepEqual(seen, [...fake.registrations.keys()].sort());
  });

  it('sorts by lastUpdate, newest first, and keeps the sort in the cursor', async () => {
    const first = await page('?sort=-lastUpdate&limit=3');
    assert.deepEqual(names(first), ['meter-00', 'valve-01', 'meter-02']);
    const second = await page(`?sort=-lastUpdate&limit=3&cursor=${first.next}`);
    assert.deepEqual(names(second), ['valve-03', 'meter-04', 'valve-05']);
    const wrong = await app.inject({ method: 'GET', url: `/api/clients?sort=endpoint&cursor=${first.next}` });
    assert.equal(wrong.statusCode, 400);
    assert.match(
      body(wrong)['message'] as string,
      /cursor: it belongs to sort=-lastUpdate, not sort=endpoint/,
    );
  });

  it('filters by endpoint prefix, object, queue mode and last update', async () => {
    assert.equal((await page('?endpointPrefix=valve-')).total, 6);
    assert.deepEqual(names(await page('?objectId=5')), ['valve-05']);
    assert.deepEqual(names(await page('?queueMode=true')), ['meter-00', 'meter-06', 'valve-03', 'valve-09']);
    assert.equal((await page('?binding=S')).total, 0);
    assert.equal((await page('?binding=U')).total, 12);
    // Registration times are on the fake's clock (Date.now by default): all 12 are in the past.
    const future = new Date(Date.now() + 60_000).toISOString();
    assert.equal((await page(`?lastSeenFrom=${future}`)).total, 0);
    assert.equal((await page(`?lastSeenBefore=${future}`)).total, 12);
  });

  it('filters by security mode (the kind of the DTLS identity, none on plain CoAP)', async () => {
    assert.deepEqual(names(await page('?securityMode=psk')), ['valve-07']);
    assert.equal((await page('?securityMode=none')).total, 11);
    assert.equal((await page('?securityMode=x509')).total, 0);
  });

  it('tells whether each Queue Mode client sleeps now', async () => {
    fake.sleeping.add('valve-03');
    try {
      const p = (await page('?queueMode=true')) as Page & {
        items: { endpoint: string; sleeping?: boolean }[];
      };
      assert.deepEqual(
        p.items.map((c) => [c.endpoint, c.sleeping]),
        [
          ['meter-00', false],
          ['meter-06', false],
          ['valve-03', true],
          ['valve-09', false],
        ],
      );
      const plain = await page('?queueMode=false');
      assert.ok(plain.items.every((c) => c.sleeping === undefined));
    } finally {
      fake.sleeping.delete('valve-03');
    }
  });

  const bad: [string, RegExp][] = [
    ['?securityMode=dtls', /securityMode must be equal to one of the allowed values/],
    ['?limit=0', /limit must be >= 1/],
    ['?limit=1001', /limit must be <= 1000/],
    ['?sort=size', /sort must be equal to one of the allowed values/],
    ['?objectId=x', /objectId must be integer/],
    ['?binding=X', /binding must match pattern/],
    ['?lastSeenFrom=yesterday', /lastSeenFrom must match format "date-time"/],
    ['?cursor=bm90IGEgY3Vyc29y', /cursor: not a cursor of this API/],
  ];
  for (const [query, message] of bad)
    it(`answers 400 naming the field to ${query}`, async () => {
      const res = await app.inject({ method: 'GET', url: `/api/clients${query}` });
      assert.equal(res.statusCode, 400, res.body);
      assert.equal(body(res)['error'], 'bad request');
      assert.match(body(res)['message'] as string, message);
    });
});
