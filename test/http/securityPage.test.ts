// The credential listing's page selection (src/http/securityPage.ts): endpoint order whatever the
// store's order, cursors that skip and repeat nothing, and turns of the event loop on large stores.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeSecurityCursor, encodeSecurityCursor, securityPage } from '../../src/http/securityPage.js';
import { MemorySecurityStore } from '../../src/store/memory/MemorySecurityStore.js';

const x509 = (endpoint: string) => ({ endpoint, kind: 'x509' as const });

async function walk(store: MemorySecurityStore, limit: number, prefix?: string): Promise<string[]> {
  const out: string[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 100; pages++) {
    const p = await securityPage(store, {
      limit,
      ...(cursor === undefined ? {} : { cursor }),
      ...(prefix === undefined ? {} : { endpointPrefix: prefix }),
    });
    out.push(...p.items.map((i) => i.endpoint));
    if (p.next === undefined) return out;
    cursor = p.next;
  }
  throw new Error('more than 100 pages');
}

describe('securityPage', () => {
  it('lists in endpoint order whatever order the store yields, page by page', async () => {
    const endpoints = ['b', 'a', 'é', 'B', 'a0', 'z', 'A', '~', '😀', 'ab'];
    for (const order of [endpoints, [...endpoints].reverse()]) {
      const store = new MemorySecurityStore(order.map(x509));
      const sorted = [...endpoints].sort();
      for (const limit of [1, 3, 10, 11])
        assert.deepEqual(await walk(store, limit), sorted, `limit ${limit}`);
      assert.deepEqual(await walk(store, 2, 'a'), ['a', 'a0', 'ab']);
    }
  });

  it('counts every match in total and says next only when more follow', async () => {
    const store = new MemorySecurityStore(['d1', 'd2', 'd3', 'x'].map(x509));
    const first = await securityPage(store, { limit: 2, endpointPrefix: 'd' });
    assert.deepEqual(
      first.items.map((i) => i.endpoint),
      ['d1', 'd2'],
    );
    assert.equal(first.total, 3);
    assert.equal(decodeSecurityCursor(first.next!), 'd2');
    const last = await securityPage(store, { limit: 2, endpointPrefix: 'd', cursor: first.next! });
    assert.deepEqual([last.items.map((i) => i.endpoint), last.total, last.next], [['d3'], 3, undefined]);
    const exact = await securityPage(store, { limit: 4 });
    assert.equal(exact.next, undefined, 'a full last page has no next');
  });

  it('continues after a removed endpoint and sees one added behind the cursor', async () => {
    const store = new MemorySecurityStore(['a', 'b', 'c', 'd'].map(x509));
    const first = await securityPage(store, { limit: 2 });
    await store.delete('b');
    await store.put(x509('bb'));
    const second = await securityPage(store, { limit: 2, cursor: first.next! });
    assert.deepEqual(
      second.items.map((i) => i.endpoint),
      ['bb', 'c'],
    );
  });

  it('refuses what is not one of its cursors', async () => {
    const store = new MemorySecurityStore();
    for (const cursor of ['', 'bm9wZQ', Buffer.from('["clients","a"]').toString('base64url'), '!!'])
      await assert.rejects(securityPage(store, { cursor }), /^BadRequestError: cursor: not a cursor/);
    assert.equal(decodeSecurityCursor(encodeSecurityCursor('a"b')), 'a"b');
  });

  it('lets the event loop turn while it reads a large store', async () => {
    const store = new MemorySecurityStore(Array.from({ length: 5000 }, (_, i) => x509(`dev-${i}`)));
    let turned = false;
    setImmediate(() => {
      turned = true;
    });
    const page = await securityPage(store, { limit: 10 });
    assert.equal(page.total, 5000);
    assert.ok(turned, 'a setImmediate callback ran before the page was done');
  });
});
