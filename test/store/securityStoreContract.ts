// The contract every SecurityStore must meet (STYLE.md pattern 10): memory now, SQLite and Redis
// later, each calling securityStoreContract with its own factory.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidSecurityInfoError, type SecurityInfo } from '../../src/lwm2m/SecurityInfo.js';
import {
  SecurityConflictError,
  type SecurityChange,
  type SecurityStore,
} from '../../src/store/SecurityStore.js';

/** PSK credentials of `endpoint` with `identity` and a 16-byte key filled with `fill`. */
export const pskInfo = (endpoint: string, identity: string, fill = 1): SecurityInfo => ({
  endpoint,
  kind: 'psk',
  identity,
  key: new Uint8Array(16).fill(fill),
});

async function collect(store: SecurityStore): Promise<SecurityInfo[]> {
  const out: SecurityInfo[] = [];
  for await (const info of store.all()) out.push(info);
  return out.sort((a, b) => (a.endpoint < b.endpoint ? -1 : 1));
}

/** Runs the SecurityStore contract against stores made by `factory` (one fresh store per test). */
export function securityStoreContract(
  name: string,
  factory: () => SecurityStore | Promise<SecurityStore>,
): void {
  describe(`SecurityStore contract: ${name}`, () => {
    test('finds stored credentials by endpoint and by PSK identity, key bytes included', async () => {
      const store = await factory();
      assert.deepEqual(await store.put(pskInfo('ep1', 'id1', 7)), {});
      assert.deepEqual(await store.getByEndpoint('ep1'), pskInfo('ep1', 'id1', 7));
      assert.deepEqual(await store.getByPskIdentity('id1'), pskInfo('ep1', 'id1', 7));
      assert.equal(await store.getByEndpoint('ep2'), undefined);
      assert.equal(await store.getByPskIdentity('ID1'), undefined);
      assert.equal(await store.getByPskIdentity('ep1'), undefined);
      assert.equal(await store.size(), 1);
    });

    test("keeps copies: neither the caller's nor a reader's bytes reach the store", async () => {
      const store = await factory();
      const info = pskInfo('ep1', 'id1', 7);
      await store.put(info);
      if (info.kind === 'psk') info.key.fill(0);
      const read = await store.getByEndpoint('ep1');
      if (read?.kind === 'psk') read.key.fill(0);
      assert.deepEqual(await store.getByPskIdentity('id1'), pskInfo('ep1', 'id1', 7));
    });

    test("a put replaces the endpoint's credentials and frees its old identity", async () => {
      const store = await factory();
      await store.put(pskInfo('ep1', 'old', 1));
      const { previous } = await store.put(pskInfo('ep1', 'new', 2));
      assert.deepEqual(previous, pskInfo('ep1', 'old', 1));
      assert.equal(await store.getByPskIdentity('old'), undefined);
      assert.deepEqual(await store.getByPskIdentity('new'), pskInfo('ep1', 'new', 2));
      // Same identity, new key: allowed for the endpoint that owns it.
      await store.put(pskInfo('ep1', 'new', 3));
      assert.deepEqual(await store.getByPskIdentity('new'), pskInfo('ep1', 'new', 3));
      // The freed identity can go to another endpoint.
      await store.put(pskInfo('ep2', 'old', 4));
      assert.equal((await store.getByPskIdentity('old'))?.endpoint, 'ep2');
      assert.equal(await store.size(), 2);
    });

    test('refuses a PSK identity that belongs to another endpoint, and writes nothing', async () => {
      const store = await factory();
      await store.put(pskInfo('ep1', 'id1', 1));
      await store.put(pskInfo('ep2', 'id2', 2));
      await assert.rejects(
        store.put(pskInfo('ep2', 'id1', 3)),
        (e: unknown) => e instanceof SecurityConflictError && e.endpoint === 'ep2' && e.owner === 'ep1',
      );
      await assert.rejects(store.put(pskInfo('ep3', 'id1', 3)), SecurityConflictError);
      assert.deepEqual(await store.getByEndpoint('ep2'), pskInfo('ep2', 'id2', 2));
      assert.deepEqual(await store.getByPskIdentity('id1'), pskInfo('ep1', 'id1', 1));
      assert.deepEqual(await store.getByPskIdentity('id2'), pskInfo('ep2', 'id2', 2));
      assert.equal(await store.getByEndpoint('ep3'), undefined);
      assert.equal(await store.size(), 2);
    });

    test('refuses invalid credentials with InvalidSecurityInfoError, and writes nothing', async () => {
      const store = await factory();
      await assert.rejects(store.put(pskInfo('ep1', '')), InvalidSecurityInfoError);
      await assert.rejects(
        store.put({ endpoint: 'ep1', kind: 'psk', identity: 'a', key: new Uint8Array(65) }),
        (e: unknown) => e instanceof InvalidSecurityInfoError && e.field === 'key',
      );
      assert.equal(await store.getByEndpoint('ep1'), undefined);
      assert.equal(await store.size(), 0);
    });

    test('a delete returns the removed credentials and frees the identity', async () => {
      const store = await factory();
      await store.put(pskInfo('ep1', 'id1', 1));
      assert.deepEqual(await store.delete('ep1'), { removed: pskInfo('ep1', 'id1', 1) });
      assert.deepEqual(await store.delete('ep1'), {});
      assert.equal(await store.getByEndpoint('ep1'), undefined);
      assert.equal(await store.getByPskIdentity('id1'), undefined);
      await store.put(pskInfo('ep2', 'id1', 2));
      assert.equal((await store.getByPskIdentity('id1'))?.endpoint, 'ep2');
      assert.equal(await store.size(), 1);
    });

    test('holds RPK and X.509 credentials by endpoint; moving off PSK frees the identity', async () => {
      const store = await factory();
      const rpk: SecurityInfo = { endpoint: 'ep1', kind: 'rpk', publicKey: Uint8Array.from([1, 2]) };
      const x509: SecurityInfo = { endpoint: 'ep2', kind: 'x509' };
      await store.put(pskInfo('ep2', 'id2'));
      await store.put(rpk);
      await store.put(x509);
      assert.deepEqual(await store.getByEndpoint('ep1'), rpk);
      assert.deepEqual(await store.getByEndpoint('ep2'), x509);
      assert.equal(await store.getByPskIdentity('id2'), undefined);
      await store.put(pskInfo('ep3', 'id2'));
      assert.deepEqual(await collect(store), [rpk, x509, pskInfo('ep3', 'id2')]);
    });

    test('finds RPK credentials by their public key, octet for octet; replaced or deleted keys are forgotten', async () => {
      const store = await factory();
      const key = (fill: number): Uint8Array => new Uint8Array(91).fill(fill);
      await store.put({ endpoint: 'ep1', kind: 'rpk', publicKey: key(1) });
      await store.put({ endpoint: 'ep2', kind: 'rpk', publicKey: key(2) });
      assert.deepEqual(await store.getByPublicKey(key(1)), {
        endpoint: 'ep1',
        kind: 'rpk',
        publicKey: key(1),
      });
      assert.equal((await store.getByPublicKey(key(2)))?.endpoint, 'ep2');
      assert.equal(await store.getByPublicKey(key(3)), undefined);
      assert.equal(await store.getByPublicKey(key(1).subarray(1)), undefined, 'a prefix is another key');
      await store.put({ endpoint: 'ep1', kind: 'rpk', publicKey: key(4) });
      assert.equal(await store.getByPublicKey(key(1)), undefined, 'the old key went with the put');
      assert.equal((await store.getByPublicKey(key(4)))?.endpoint, 'ep1');
      await store.put(pskInfo('ep2', 'id2'));
      assert.equal(await store.getByPublicKey(key(2)), undefined, 'moving to PSK frees the key');
      await store.delete('ep1');
      assert.equal(await store.getByPublicKey(key(4)), undefined, 'a delete frees the key');
      await store.put({ endpoint: 'ep3', kind: 'rpk', publicKey: key(4) });
      assert.equal((await store.getByPublicKey(key(4)))?.endpoint, 'ep3', 'a freed key may be given again');
    });

    test('refuses a raw public key that belongs to another endpoint, and writes nothing', async () => {
      const store = await factory();
      const publicKey = new Uint8Array(91).fill(9);
      await store.put({ endpoint: 'ep1', kind: 'rpk', publicKey });
      const seen: SecurityChange[] = [];
      store.onChange((c) => seen.push(c));
      await assert.rejects(
        store.put({ endpoint: 'ep2', kind: 'rpk', publicKey }),
        (e: unknown) =>
          e instanceof SecurityConflictError &&
          e.owner === 'ep1' &&
          e.endpoint === 'ep2' &&
          e.field === 'rpk.publicKey',
      );
      assert.equal(await store.getByEndpoint('ep2'), undefined);
      assert.equal((await store.getByPublicKey(publicKey))?.endpoint, 'ep1');
      assert.deepEqual(seen, []);
      // the owner may put the same key again
      assert.deepEqual((await store.put({ endpoint: 'ep1', kind: 'rpk', publicKey })).previous, {
        endpoint: 'ep1',
        kind: 'rpk',
        publicKey,
      });
    });

    test('lists every credential once, also while entries are deleted during the iteration', async () => {
      const store = await factory();
      for (let i = 0; i < 20; i++) await store.put(pskInfo(`ep${i}`, `id${i}`, i + 1));
      assert.equal((await collect(store)).length, 20);
      const seen = new Set<string>();
      for await (const info of store.all()) {
        assert.ok(!seen.has(info.endpoint), `${info.endpoint} listed twice`);
        seen.add(info.endpoint);
        if (info.endpoint === 'ep3') {
          await store.delete('ep4');
          await store.delete('ep5');
        }
      }
      assert.ok(seen.size >= 18 && seen.size <= 20 && seen.has('ep0') && seen.has('ep19'));
      assert.equal(await store.size(), 18);
    });

    test('tells listeners of every put and every effective delete, after the write is visible', async () => {
      const store = await factory();
      const changes: SecurityChange[] = [];
      const visible: (SecurityInfo | undefined)[] = [];
      store.onChange((c) => {
        changes.push(c);
        void store.getByEndpoint(c.endpoint).then((v) => visible.push(v));
      });
      await store.put(pskInfo('ep1', 'id1', 1));
      await store.put(pskInfo('ep1', 'id1', 2));
      await store.delete('ep1');
      await store.delete('ep1');
      await assert.rejects(store.put(pskInfo('ep2', '')));
      await store.put(pskInfo('ep2', 'id2'));
      await assert.rejects(store.put(pskInfo('ep3', 'id2')), SecurityConflictError);
      assert.deepEqual(changes, [
        { endpoint: 'ep1', current: pskInfo('ep1', 'id1', 1) },
        { endpoint: 'ep1', previous: pskInfo('ep1', 'id1', 1), current: pskInfo('ep1', 'id1', 2) },
        { endpoint: 'ep1', previous: pskInfo('ep1', 'id1', 2) },
        { endpoint: 'ep2', current: pskInfo('ep2', 'id2') },
      ]);
      assert.deepEqual(visible, [
        pskInfo('ep1', 'id1', 1),
        pskInfo('ep1', 'id1', 2),
        undefined,
        pskInfo('ep2', 'id2'),
      ]);
    });

    test('a listener cannot change the stored bytes, and can be removed', async () => {
      const store = await factory();
      let calls = 0;
      const off = store.onChange((c) => {
        calls++;
        if (c.current?.kind === 'psk') c.current.key.fill(0);
      });
      await store.put(pskInfo('ep1', 'id1', 1));
      assert.deepEqual(await store.getByEndpoint('ep1'), pskInfo('ep1', 'id1', 1));
      off();
      off();
      await store.put(pskInfo('ep1', 'id1', 2));
      assert.equal(calls, 1);
    });

    test('a throwing listener does not stop the others nor undo the write; the write rejects with its error', async () => {
      const store = await factory();
      const heard: string[] = [];
      store.onChange(() => {
        heard.push('first');
        throw new Error('listener failed');
      });
      store.onChange((c) => heard.push(`second ${c.endpoint}`));
      await assert.rejects(store.put(pskInfo('ep1', 'id1')), /listener failed/);
      assert.deepEqual(await store.getByEndpoint('ep1'), pskInfo('ep1', 'id1'));
      await assert.rejects(store.delete('ep1'), /listener failed/);
      assert.equal(await store.getByEndpoint('ep1'), undefined);
      assert.deepEqual(heard, ['first', 'second ep1', 'first', 'second ep1']);
    });
  });
}
