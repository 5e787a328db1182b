import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryBootstrapConfigStore } from '../../src/store/memory/MemoryBootstrapConfigStore.js';
import { bootstrapConfigStoreContract, configWith } from './bootstrapConfigStoreContract.js';

bootstrapConfigStoreContract('memory', () => new MemoryBootstrapConfigStore());

test('starts with the initial entries it is given', async () => {
  const store = new MemoryBootstrapConfigStore([['*', configWith(5)]]);
  assert.deepEqual(await store.get('anyone'), configWith(5));
});
