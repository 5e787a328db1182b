// store/pskCredentials: the PSK a handshake gets from a SecurityStore, and which writes revoke an
// identity's sessions (removed, another identity, another key, another kind) and which do not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SecurityInfo } from '../../src/lwm2m/SecurityInfo.js';
import { onRevokedPsk, pskOf, revokedPskIdentity } from '../../src/store/pskCredentials.js';
import { MemorySecurityStore } from '../../src/store/memory/MemorySecurityStore.js';

const psk = (identity: string, key: number): SecurityInfo => ({
  endpoint: 'dev1',
  kind: 'psk',
  identity,
  key: Uint8Array.of(key, key),
});
const rpk: SecurityInfo = { endpoint: 'dev1', kind: 'rpk', publicKey: Uint8Array.of(1, 2, 3) };

test('revokedPskIdentity names the old identity only when its credentials went away or changed', () => {
  const rows: [string, SecurityInfo | undefined, SecurityInfo | undefined, string | undefined][] = [
    ['new endpoint', undefined, psk('a', 1), undefined],
    ['same credentials again', psk('a', 1), psk('a', 1), undefined],
    ['deleted', psk('a', 1), undefined, 'a'],
    ['new key', psk('a', 1), psk('a', 2), 'a'],
    ['new identity', psk('a', 1), psk('b', 1), 'a'],
    ['psk replaced by rpk', psk('a', 1), rpk, 'a'],
    ['rpk deleted', rpk, undefined, undefined],
  ];
  for (const [name, previous, current, expected] of rows)
    assert.equal(
      revokedPskIdentity({
        endpoint: 'dev1',
        ...(previous ? { previous } : {}),
        ...(current ? { current } : {}),
      }),
      expected,
      name,
    );
});

test('pskOf answers PSK keys only, and onRevokedPsk reports revocations until unsubscribed', async () => {
  const store = new MemorySecurityStore([psk('a', 1), { ...rpk, endpoint: 'dev2' }]);
  assert.deepEqual(await pskOf(store, 'a'), Uint8Array.of(1, 1));
  assert.equal(await pskOf(store, 'nobody'), undefined);
  const revoked: string[] = [];
  const stop = onRevokedPsk(store, (id) => revoked.push(id));
  await store.put(psk('a', 1));
  await store.put(psk('a', 3));
  await store.delete('dev1');
  stop();
  await store.put(psk('c', 1));
  await store.delete('dev1');
  assert.deepEqual(revoked, ['a', 'a']);
});
