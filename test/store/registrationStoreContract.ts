// The contract every RegistrationStore must meet (STYLE.md pattern 10): memory now, SQLite and
// Redis later, each calling registrationStoreContract with its own factory.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyUpdate } from '../../src/lwm2m/registrationRequest.js';
import type { Registration } from '../../src/lwm2m/Registration.js';
import { RegistrationConflictError, type RegistrationStore } from '../../src/store/RegistrationStore.js';
import type { RegistrationPageQuery } from '../../src/store/RegistrationPage.js';
import { makePeer } from '../../src/transport/Peer.js';
import {
  comparable as c,
  comparableObservation as co,
  makeObservation,
  makeRegistration as reg,
} from './storeFixtures.js';

const ids = (regs: readonly (Registration | undefined)[]) => regs.map((r) => r?.id);

/** Every page of `query` (following `next`), as endpoint names per page. */
async function allPages(store: RegistrationStore, query: RegistrationPageQuery): Promise<string[][]> {
  const pages: string[][] = [];
  let after = query.after;
  for (let guard = 0; guard < 1000; guard++) {
    const page = await store.page({ ...query, ...(after === undefined ? {} : { after }) });
    pages.push(page.items.map((r) => r.endpoint));
    if (page.next === undefined) return pages;
    after = page.next;
  }
  throw new Error('paging did not end');
}

/** Runs the RegistrationStore contract against stores made by `factory` (one fresh store per test). */
export function registrationStoreContract(
  name: string,
  factory: () => RegistrationStore | Promise<RegistrationStore>,
): void {
  describe(`RegistrationStore contract: ${name}`, () => {
    test('finds an added registration by id, endpoint and peer key, unchanged', async () => {
      const store = await factory();
      const a = reg({
        id: 'id-a',
        endpoint: 'ep-a',
        address: '10.0.0.1',
        port: 1111,
        query: ['sms=123', 'x=y'],
      });
      assert.deepEqual(await store.add(a), { droppedObservations: [] });
      assert.deepEqual(c(await store.getById('id-a')), c(a));
      assert.deepEqual(c(await store.getByEndpoint('ep-a')), c(a));
      assert.deepEqual(c(await store.getByPeer('10.0.0.1|1111')), c(a));
      assert.equal(await store.getById('nope'), undefined);
      assert.equal(await store.getByEndpoint('nope'), undefined);
      assert.equal(await store.getByPeer('10.0.0.1|1112'), undefined);
      assert.equal(await store.size(), 1);
    });

    test('re-registration of an endpoint replaces the old registration and drops its observations', async () => {
      const store = await factory();
      const old = reg({ id: 'old', endpoint: 'ep', port: 1 });
      const other = reg({ id: 'other', endpoint: 'ep2', port: 2 });
      await store.add(old);
      await store.add(other);
      const o1 = makeObservation('old', [1], ['/3/0/9']);
      const o2 = makeObservation('old', [2], ['/3/0/10']);
      const keep = makeObservation('other', [1], ['/3/0/9']);
      for (const o of [o1, o2, keep]) await store.observations.add(o);
      const fresh = reg({ id: 'new', endpoint: 'ep', port: 3 });
      const result = await store.add(fresh);
      assert.deepEqual(c(result.previous), c(old));
      assert.deepEqual(result.droppedObservations.map(co).sort(), [co(o1), co(o2)].sort());
      assert.equal(await store.getById('old'), undefined);
      assert.equal((await store.getByEndpoint('ep'))?.id, 'new');
      assert.equal(await store.getByPeer(old.peer.key), undefined);
      assert.equal((await store.getByPeer(fresh.peer.key))?.id, 'new');
      assert.deepEqual(await store.observations.byRegistration('old'), []);
      assert.deepEqual((await store.observations.byRegistration('other')).map(co), [co(keep)]);
      assert.equal(await store.size(), 2);
    });

    test('rejects a registration whose id is already in use', async () => {
      const store = await factory();
      await store.add(reg({ id: 'same', endpoint: 'a' }));
      await assert.rejects(store.add(reg({ id: 'same', endpoint: 'b' })), RegistrationConflictError);
      assert.equal((await store.getById('same'))?.endpoint, 'a');
      assert.equal(await store.getByEndpoint('b'), undefined);
    });

    test('update stores the new record, returns both versions and follows a NAT rebinding', async () => {
      const store = await factory();
      const a = reg({ id: 'a', endpoint: 'ep', address: '10.0.0.1', port: 1000, lifetime: 60 });
      await store.add(a);
      const moved = makePeer('10.0.0.9', 2000);
      const result = await store.update('a', (cur) => applyUpdate(cur, { lifetime: 120 }, moved, 5_000));
      assert.ok(result);
      assert.deepEqual(c(result.previous), c(a));
      assert.equal(result.current.expiresAt, 125_000);
      assert.deepEqual(c(await store.getById('a')), c(result.current));
      assert.equal((await store.getByPeer('10.0.0.9|2000'))?.id, 'a');
      assert.equal(await store.getByPeer('10.0.0.1|1000'), undefined);
      assert.equal((await store.getByEndpoint('ep'))?.lifetime, 120);
    });

    test('update of an unknown id changes nothing and returns undefined', async () => {
      const store = await factory();
      let called = false;
      const result = await store.update('ghost', (cur) => {
        called = true;
        return cur;
      });
      assert.equal(result, undefined);
      assert.equal(called, false);
    });

    test('update may not change the id or the endpoint', async () => {
      const store = await factory();
      const a = reg({ id: 'a', endpoint: 'ep' });
      await store.add(a);
      await assert.rejects(
        store.update('a', (cur) => ({ ...cur, endpoint: 'other' })),
        RegistrationConflictError,
      );
      await assert.rejects(
        store.update('a', (cur) => ({ ...cur, id: 'b' })),
        RegistrationConflictError,
      );
      assert.deepEqual(c(await store.getById('a')), c(a));
      assert.equal(await store.getById('b'), undefined);
    });

    test('an updater that throws leaves the registration as it was', async () => {
      const store = await factory();
      const a = reg({ id: 'a', endpoint: 'ep' });
      await store.add(a);
      await assert.rejects(
        store.update('a', () => {
          throw new RangeError('boom');
        }),
        RangeError,
      );
      assert.deepEqual(c(await store.getById('a')), c(a));
    });

    test('remove (De-register) returns the registration with its dropped observations, once', async () => {
      const store = await factory();
      const a = reg({ id: 'a', endpoint: 'ep', port: 7 });
      await store.add(a);
      const o = makeObservation('a', [1]);
      await store.observations.add(o);
      const result = await store.remove('a');
      assert.deepEqual(c(result.removed), c(a));
      assert.deepEqual(result.droppedObservations.map(co), [co(o)]);
      assert.deepEqual(await store.remove('a'), { droppedObservations: [] });
      assert.equal(await store.getById('a'), undefined);
      assert.equal(await store.getByEndpoint('ep'), undefined);
      assert.equal(await store.getByPeer(a.peer.key), undefined);
      assert.equal(await store.size(), 0);
      assert.equal(await store.observations.size(), 0);
    });

    test('a peer key shared by two registrations resolves to the latest, and survives removing the other', async () => {
      const store = await factory();
      await store.add(reg({ id: 'first', endpoint: 'e1', port: 9 }));
      await store.add(reg({ id: 'second', endpoint: 'e2', port: 9 }));
      assert.equal((await store.getByPeer('192.0.2.1|9'))?.id, 'second');
      await store.remove('first');
      assert.equal((await store.getByPeer('192.0.2.1|9'))?.id, 'second');
    });

    test('hasPeerNow, sizeNow and getByEndpointNow, where offered, agree with getByPeer, size and getByEndpoint after every write', async () => {
      const store = await factory();
      // optional: stores kept elsewhere lack them
      if (!store.hasPeerNow || !store.sizeNow || !store.getByEndpointNow) return;
      const ports = [1, 2, 3, 4, 5];
      const keys = ports.map((p) => makePeer('192.0.2.7', p).key);
      const check = async (step: string): Promise<void> => {
        for (const key of keys)
          assert.equal(store.hasPeerNow!(key), (await store.getByPeer(key)) !== undefined, `${step}: ${key}`);
        assert.equal(store.sizeNow!(), await store.size(), step);
        for (const ep of ['e0', 'e1', 'e2', 'e3', 'e4', 'e5'])
          assert.equal(store.getByEndpointNow!(ep), await store.getByEndpoint(ep), `${step}: ${ep}`);
      };
      // A fixed walk over adds (some sharing a peer, one replacing an endpoint), NAT moves,
      // removals and expiry; checked after each.
      let n = 0;
      for (const [i, port] of [1, 2, 2, 3, 1, 4].entries()) {
        await store.add(
          reg({ id: `r${n++}`, endpoint: `e${i % 5}`, address: '192.0.2.7', port, lifetime: 10 + i }),
        );
        await check(`add ${i}`);
      }
      await store.update('r3', (r) => applyUpdate(r, {}, makePeer('192.0.2.7', 5), 1_000));
      await check('moved to port 5');
      await store.remove('r2');
      await check('removed r2');
      await store.removeExpired(13_000);
      await check('expired');
      const left: string[] = [];
      for await (const r of store.all()) left.push(r.id);
      for (const id of left) await store.remove(id);
      await check('all removed');
      assert.equal(store.sizeNow(), 0);
    });

    test('all() yields every registration once', async () => {
      const store = await factory();
      for (let i = 0; i < 25; i++) await store.add(reg({ id: `id${i}`, endpoint: `ep${i}`, port: i + 1 }));
      await store.remove('id3');
      const seen: string[] = [];
      for await (const r of store.all()) seen.push(r.id);
      assert.equal(seen.length, 24);
      assert.equal(new Set(seen).size, 24);
      assert.ok(!seen.includes('id3'));
      assert.equal(await store.size(), 24);
    });

    test('removeExpired removes only registrations past their lifetime plus grace, earliest first', async () => {
      const store = await factory();
      await store.add(reg({ id: 'b', endpoint: 'b', lifetime: 20, port: 2 })); // expires at 20_000
      await store.add(reg({ id: 'a', endpoint: 'a', lifetime: 10, port: 1 })); // expires at 10_000
      await store.add(reg({ id: 'c', endpoint: 'c', lifetime: 30, port: 3 })); // expires at 30_000
      await store.observations.add(makeObservation('a', [1]));
      assert.equal(await store.nextExpiry(), 10_000);
      assert.deepEqual(await store.removeExpired(10_000, 0), [], 'not expired at exactly expiresAt');
      assert.deepEqual(await store.removeExpired(14_000, 5_000), [], 'still within the grace period');
      const removed = await store.removeExpired(20_000, 5_000);
      assert.deepEqual(ids(removed.map((r) => r.removed)), ['a']);
      assert.equal(removed[0]!.droppedObservations.length, 1);
      assert.equal(await store.getById('a'), undefined);
      assert.equal(await store.nextExpiry(), 20_000);
      const rest = await store.removeExpired(1e9, 0);
      assert.deepEqual(ids(rest.map((r) => r.removed)), ['b', 'c']);
      assert.equal(await store.size(), 0);
      assert.equal(await store.nextExpiry(), undefined);
    });

    test('removeExpired honours its limit', async () => {
      const store = await factory();
      for (let i = 1; i <= 5; i++)
        await store.add(reg({ id: `r${i}`, endpoint: `e${i}`, lifetime: i, port: i }));
      assert.deepEqual(ids((await store.removeExpired(1e9, 0, 2)).map((r) => r.removed)), ['r1', 'r2']);
      assert.equal(await store.size(), 3);
    });

    test('an Update that extends the lifetime postpones expiry', async () => {
      const store = await factory();
      await store.add(reg({ id: 'a', endpoint: 'a', lifetime: 10 }));
      await store.update('a', (cur) => applyUpdate(cur, {}, cur.peer, 9_000));
      assert.equal(await store.nextExpiry(), 19_000);
      assert.deepEqual(await store.removeExpired(15_000), []);
      assert.equal((await store.getById('a'))?.lastUpdate, 9_000);
      assert.equal((await store.removeExpired(19_001)).length, 1);
    });

    test('an Update that shortens the lifetime brings expiry forward', async () => {
      const store = await factory();
      await store.add(reg({ id: 'a', endpoint: 'a', lifetime: 100 }));
      await store.update('a', (cur) => applyUpdate(cur, { lifetime: 5 }, cur.peer, 1_000));
      assert.equal(await store.nextExpiry(), 6_000);
      assert.equal((await store.removeExpired(6_001)).length, 1);
    });

    test('a replaced or removed registration never expires again', async () => {
      const store = await factory();
      await store.add(reg({ id: 'old', endpoint: 'ep', lifetime: 10 }));
      await store.add(reg({ id: 'new', endpoint: 'ep', lifetime: 100 }));
      await store.add(reg({ id: 'gone', endpoint: 'gone', lifetime: 5 }));
      await store.remove('gone');
      assert.equal(await store.nextExpiry(), 100_000);
      assert.deepEqual(await store.removeExpired(50_000), []);
      assert.equal((await store.getByEndpoint('ep'))?.id, 'new');
    });

    test('an infinite lifetime (lt=0, LwM2M 1.2) never expires', async () => {
      const store = await factory();
      await store.add(reg({ id: 'forever', endpoint: 'f', lifetime: 0, lwm2m: '1.2' }));
      assert.equal(await store.nextExpiry(), undefined);
      assert.deepEqual(await store.removeExpired(Number.MAX_SAFE_INTEGER - 1), []);
      assert.equal(await store.size(), 1);
    });
    test('page() walks every registration once, in endpoint order, with a total', async () => {
      const store = await factory();
      const names = Array.from({ length: 23 }, (_, i) => `ep${String(i).padStart(2, '0')}`);
      for (const [i, n] of [...names].reverse().entries())
        await store.add(reg({ id: `id-${n}`, endpoint: n, port: i + 1 }));
      const pages = await allPages(store, { limit: 5 });
      assert.deepEqual(
        pages.map((p) => p.length),
        [5, 5, 5, 5, 3],
      );
      assert.deepEqual(pages.flat(), names);
      assert.equal((await store.page({ limit: 5 })).total, 23);
      const desc = await allPages(store, { limit: 10, descending: true });
      assert.deepEqual(desc.flat(), [...names].reverse());
    });

    test('page() sorts by registeredAt or lastUpdate, ties broken by endpoint name', async () => {
      const store = await factory();
      await store.add(reg({ id: 'c', endpoint: 'c', now: 1_000, port: 1 }));
      await store.add(reg({ id: 'a', endpoint: 'a', now: 3_000, port: 2 }));
      await store.add(reg({ id: 'b', endpoint: 'b', now: 1_000, port: 3 }));
      await store.update('b', (cur) => applyUpdate(cur, {}, cur.peer, 9_000));
      assert.deepEqual((await allPages(store, { limit: 2, sort: 'registeredAt' })).flat(), ['b', 'c', 'a']);
      assert.deepEqual((await allPages(store, { limit: 1, sort: 'lastUpdate' })).flat(), ['c', 'a', 'b']);
      assert.deepEqual((await allPages(store, { limit: 2, sort: 'lastUpdate', descending: true })).flat(), [
        'b',
        'a',
        'c',
      ]);
    });

    test('page() filters by endpoint prefix, object, binding, queue mode and last update', async () => {
      const store = await factory();
      await store.add(
        reg({ id: '1', endpoint: 'meter-1', port: 1, now: 1_000, query: ['b=UQ'], lwm2m: '1.0' }),
      );
      await store.add(reg({ id: '2', endpoint: 'meter-2', port: 2, now: 5_000, payload: '</1/0>,</5/0>' }));
      await store.add(reg({ id: '3', endpoint: 'valve-1', port: 3, now: 9_000, query: ['b=US'] }));
      const eps = async (filter: RegistrationPageQuery['filter']) => {
        const page = await store.page({ limit: 10, ...(filter ? { filter } : {}) });
        assert.equal(page.total, page.items.length);
        return page.items.map((r) => r.endpoint);
      };
      assert.deepEqual(await eps({ endpointPrefix: 'meter-' }), ['meter-1', 'meter-2']);
      assert.deepEqual(await eps({ objectId: 5 }), ['meter-2']);
      assert.deepEqual(await eps({ objectId: 3 }), ['meter-1', 'valve-1']);
      assert.deepEqual(await eps({ binding: 'S' }), ['valve-1']);
      assert.deepEqual(await eps({ binding: 'U' }), ['meter-1', 'meter-2', 'valve-1']);
      assert.deepEqual(await eps({ queueMode: true }), ['meter-1']);
      assert.deepEqual(await eps({ queueMode: false }), ['meter-2', 'valve-1']);
      assert.deepEqual(await eps({ lastUpdateFrom: 5_000 }), ['meter-2', 'valve-1']);
      assert.deepEqual(await eps({ lastUpdateBefore: 5_000 }), ['meter-1']);
      assert.deepEqual(await eps({ endpointPrefix: 'meter-', lastUpdateFrom: 2_000, objectId: 1 }), [
        'meter-2',
      ]);
      assert.deepEqual(await eps({ endpointPrefix: 'pump' }), []);
    });

    test('page() filters by security mode: none, psk, rpk or x509 from the peer identity', async () => {
      const store = await factory();
      await store.add(reg({ id: '1', endpoint: 'plain', port: 1 }));
      await store.add(
        reg({ id: '2', endpoint: 'psk', port: 2, identity: { kind: 'psk', identity: 'id-2' } }),
      );
      await store.add(
        reg({
          id: '3',
          endpoint: 'rpk',
          port: 3,
          identity: { kind: 'rpk', publicKey: new Uint8Array([4, 1]) },
        }),
      );
      await store.add(
        reg({ id: '4', endpoint: 'x509', port: 4, identity: { kind: 'x509', subject: 'CN=x509' } }),
      );
      for (const mode of ['none', 'psk', 'rpk', 'x509'] as const) {
        const page = await store.page({ limit: 10, filter: { securityMode: mode } });
        assert.deepEqual(
          page.items.map((r) => r.endpoint),
          [mode === 'none' ? 'plain' : mode],
          mode,
        );
        assert.equal(page.total, 1);
      }
    });

    test('a cursor survives registrations added and removed between pages', async () => {
      const store = await factory();
      for (const [i, n] of ['a', 'c', 'e', 'g'].entries())
        await store.add(reg({ id: n, endpoint: n, port: i + 1 }));
      const first = await store.page({ limit: 2 });
      assert.deepEqual(
        first.items.map((r) => r.endpoint),
        ['a', 'c'],
      );
      assert.ok(first.next);
      await store.remove('c');
      await store.add(reg({ id: 'b', endpoint: 'b', port: 10 }));
      await store.add(reg({ id: 'd', endpoint: 'd', port: 11 }));
      const rest = await allPages(store, { limit: 2, after: first.next });
      assert.deepEqual(rest.flat(), ['d', 'e', 'g']);
    });
  });
}
