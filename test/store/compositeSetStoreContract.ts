// The contract every CompositeSetStore must meet (STYLE.md pattern 10): memory and SQLite each call
// compositeSetStoreContract with their own factory.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CompositeSetStore } from '../../src/store/CompositeSetStore.js';

/** Runs the CompositeSetStore contract against stores made by `factory` (one fresh store per test). */
export function compositeSetStoreContract(
  name: string,
  factory: () => CompositeSetStore | Promise<CompositeSetStore>,
): void {
  describe(`CompositeSetStore contract: ${name}`, () => {
    test('returns a stored set and nothing for an unknown name', async () => {
      const store = await factory();
      const set = {
        name: 'device',
        paths: ['/3/0/0', '/3/0/9'],
        description: 'maker and battery',
        format: 'senml-cbor',
      };
      assert.deepEqual(await store.put(set), {});
      assert.deepEqual(await store.get('device'), set);
      assert.equal(await store.get('other'), undefined);
      assert.equal(await store.size(), 1);
    });

    test('put returns the set it replaced; delete the set it removed', async () => {
      const store = await factory();
      await store.put({ name: 'a', paths: ['/3/0/0'] });
      assert.deepEqual(await store.put({ name: 'a', paths: ['/1/0/1'] }), {
        previous: { name: 'a', paths: ['/3/0/0'] },
      });
      assert.deepEqual(await store.delete('a'), { removed: { name: 'a', paths: ['/1/0/1'] } });
      assert.deepEqual(await store.delete('a'), {});
      assert.equal(await store.size(), 0);
    });

    test('lists sets ordered by name, as copies the caller cannot change', async () => {
      const store = await factory();
      const paths = ['/3/0/0'];
      await store.put({ name: 'zeta', paths });
      await store.put({ name: 'alpha', paths: ['/1'] });
      paths.push('/4');
      const list = await store.list();
      assert.deepEqual(
        list.map((s) => s.name),
        ['alpha', 'zeta'],
      );
      assert.deepEqual((await store.get('zeta'))?.paths, ['/3/0/0']);
    });
  });
}
