// The contract every BootstrapConfigStore must meet (STYLE.md pattern 10): memory now, SQLite and
// Redis later, each calling bootstrapConfigStoreContract with its own factory.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BootstrapConfig } from '../../src/lwm2m/BootstrapConfig.js';
import type { BootstrapConfigStore } from '../../src/store/BootstrapConfigStore.js';

/** A config whose server lifetime tells configs apart. */
export const configWith = (lifetime: number): BootstrapConfig => ({
  security: {
    0: {
      uri: 'coaps://dm.example.com:5684',
      bootstrapServer: false,
      securityMode: 'psk',
      publicKeyOrIdentity: Uint8Array.from([0x64, 0x65, 0x76]),
      secretKey: Uint8Array.from([1, 2, 3, 4, 5]),
      shortServerId: 1,
    },
  },
  servers: { 0: { shortServerId: 1, lifetime, binding: 'U' } },
  delete: ['/0', '/1'],
});

/** Runs the BootstrapConfigStore contract against stores made by `factory` (one fresh store per test). */
export function bootstrapConfigStoreContract(
  name: string,
  factory: () => BootstrapConfigStore | Promise<BootstrapConfigStore>,
): void {
  describe(`BootstrapConfigStore contract: ${name}`, () => {
    test('returns a stored config, key bytes included, and nothing for unknown endpoints', async () => {
      const store = await factory();
      assert.deepEqual(await store.put('ep1', configWith(60)), {});
      assert.deepEqual(await store.get('ep1'), configWith(60));
      assert.deepEqual(await store.getExact('ep1'), configWith(60));
      assert.equal(await store.get('ep2'), undefined);
      assert.equal(await store.getExact('ep2'), undefined);
    });

    test('falls back to the default config ("*") in get but not in getExact', async () => {
      const store = await factory();
      await store.put('*', configWith(1));
      await store.put('ep1', configWith(60));
      assert.deepEqual(await store.get('ep2'), configWith(1));
      assert.equal(await store.getExact('ep2'), undefined);
      assert.deepEqual(await store.get('ep1'), configWith(60));
    });

    test('put returns the config it replaced', async () => {
      const store = await factory();
      await store.put('ep1', configWith(60));
      assert.deepEqual(await store.put('ep1', configWith(90)), { previous: configWith(60) });
      assert.deepEqual(await store.get('ep1'), configWith(90));
    });

    test('delete returns the removed config, and nothing the second time', async () => {
      const store = await factory();
      await store.put('ep1', configWith(60));
      await store.put('*', configWith(1));
      assert.deepEqual(await store.delete('ep1'), { removed: configWith(60) });
      assert.deepEqual(await store.delete('ep1'), {});
      assert.deepEqual(await store.get('ep1'), configWith(1), 'the default applies again');
      assert.deepEqual(await store.delete('*'), { removed: configWith(1) });
      assert.equal(await store.get('ep1'), undefined);
    });

    test('lists every config ordered by endpoint name', async () => {
      const store = await factory();
      await store.put('zeta', configWith(3));
      await store.put('*', configWith(1));
      await store.put('alpha', configWith(2));
      assert.deepEqual(await store.list(), [
        { endpoint: '*', config: configWith(1) },
        { endpoint: 'alpha', config: configWith(2) },
        { endpoint: 'zeta', config: configWith(3) },
      ]);
    });

    test('keeps its own copy: changing the caller objects later changes nothing stored', async () => {
      const store = await factory();
      const mine = configWith(60);
      await store.put('ep1', mine);
      (mine.security[0]!.secretKey as Uint8Array)[0] = 99;
      (mine.servers as Record<number, unknown>)[1] = { shortServerId: 2, lifetime: 1, binding: 'U' };
      const got = await store.get('ep1');
      assert.deepEqual(got, configWith(60));
      (got!.security[0]!.secretKey as Uint8Array)[1] = 99;
      assert.deepEqual(await store.get('ep1'), configWith(60));
    });
  });
}
