import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryBootstrapConfigStore } from '../../src/store/memory/MemoryBootstrapConfigStore.js';
import { bootstrapConfigStoreContract, configWith } from './bootstrapConfigStoreContract.js';

bootstrapConfigStoreContract('memory', () => new MemoryBootstrapConfigStore());

test('starts with the initial entries it is given', async () => {
  const store = new MemoryBootstrapConfigStore([['*', configWith(5)]]);
  assert.deepEqual(await store.get('anyone'), configWith(5));
});

test('refuses a config that deletes the server accounts and writes nothing ({}), keeps a write-less one that does not', async () => {
  const store = new MemoryBootstrapConfigStore();
  await assert.rejects(
    store.put('ep', { security: {}, servers: {} }),
    /InvalidBootstrapConfigError: writes nothing but deletes \/0, \/1 \(the default delete list\)/,
  );
  await assert.rejects(store.put('ep', { delete: ['/'], security: {}, servers: {} }), /deletes \/:/);
  assert.throws(
    () => new MemoryBootstrapConfigStore([['*', { security: {}, servers: {} }]]),
    /writes nothing/,
  );
  assert.equal(await store.get('ep'), undefined);
  // Nothing to write and nothing of the accounts deleted (a discover-only probe): accepted.
  await store.put('probe', { delete: ['/5'], security: {}, servers: {}, discover: true });
  assert.equal((await store.get('probe'))?.discover, true);
});
