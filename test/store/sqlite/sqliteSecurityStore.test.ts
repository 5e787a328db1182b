import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SqliteSecurityStore } from '../../../src/store/sqlite/SqliteSecurityStore.js';
import { SqliteOpenError, SqliteWriteError } from '../../../src/store/sqlite/sqliteErrors.js';
import { pskInfo, securityStoreContract } from '../securityStoreContract.js';
import { openTempDatabase, tempDataFile } from './tempDataFiles.js';

securityStoreContract('sqlite', () => new SqliteSecurityStore(openTempDatabase()));

test('credentials of every kind are there after close and reopen, keys as blobs', async () => {
  const file = tempDataFile();
  const db = openTempDatabase(file);
  const store = new SqliteSecurityStore(db);
  await store.put(pskInfo('a', 'id-a', 7));
  await store.put({ endpoint: 'b', kind: 'rpk', publicKey: Uint8Array.from([0x30, 1, 2]) });
  await store.put({ endpoint: 'c', kind: 'x509' });
  await store.put(pskInfo('d', 'id-d'));
  await store.put(pskInfo('d', 'id-d2', 3));
  await store.delete('c');
  const row = db.connection.prepare("SELECT key FROM security WHERE endpoint = 'a'").get() as {
    key: unknown;
  };
  assert.ok(row.key instanceof Uint8Array, 'the key is a blob');
  await db.close();
  const again = new SqliteSecurityStore(openTempDatabase(file));
  assert.deepEqual(await again.getByPskIdentity('id-a'), pskInfo('a', 'id-a', 7));
  assert.deepEqual(await again.getByEndpoint('b'), {
    endpoint: 'b',
    kind: 'rpk',
    publicKey: Uint8Array.from([0x30, 1, 2]),
  });
  assert.equal((await again.getByPublicKey(Uint8Array.from([0x30, 1, 2])))?.endpoint, 'b', 'indexed at open');
  assert.equal(await again.getByEndpoint('c'), undefined);
  assert.equal(await again.getByPskIdentity('id-d'), undefined);
  assert.deepEqual(await again.getByPskIdentity('id-d2'), pskInfo('d', 'id-d2', 3));
  assert.equal(await again.size(), 3);
});

test('the PSK identity is unique in SQL too: the file cannot map one identity to two endpoints', async () => {
  const db = openTempDatabase();
  const store = new SqliteSecurityStore(db);
  await store.put(pskInfo('a', 'shared'));
  assert.throws(
    () => db.connection.prepare("INSERT INTO security VALUES ('b', 'psk', 'shared', x'01')").run(),
    /UNIQUE constraint failed: security.psk_identity/,
  );
});

test('listeners hear of a write only once it is durable; a failed batch is rejected, heard by no one, and undone in memory', async () => {
  const db = openTempDatabase();
  const store = new SqliteSecurityStore(db);
  const heard: string[] = [];
  store.onChange((c) => heard.push(`${c.endpoint} ${db.stats().writes}`));
  await store.put(pskInfo('a', 'id-a'));
  assert.deepEqual(heard, ['a 1'], 'heard after the batch committed');
  db.connection.pragma(`max_page_count = ${db.connection.pragma('page_count', { simple: true }) as number}`);
  const many = Array.from({ length: 200 }, (_, i) =>
    store.put(pskInfo(`ep${i}`, `identity-${i}`.padEnd(120, 'x'))),
  );
  const results = await Promise.allSettled(many);
  assert.ok(results.every((r) => r.status === 'rejected' && r.reason instanceof SqliteWriteError));
  assert.deepEqual(heard, ['a 1']);
  assert.equal(await store.getByEndpoint('ep0'), undefined);
  assert.equal(await store.getByPskIdentity('identity-0'.padEnd(120, 'x')), undefined);
  assert.equal(await store.size(), 1);
});

test('a row that cannot be read is refused at open with a typed error that does not show the key', async () => {
  const file = tempDataFile();
  const db = openTempDatabase(file);
  db.connection.prepare("INSERT INTO security VALUES ('bad', 'psk', NULL, x'736563726574')").run();
  await db.close();
  assert.throws(
    () => new SqliteSecurityStore(openTempDatabase(file)),
    (e: unknown) =>
      e instanceof SqliteOpenError &&
      e.reason === 'corrupt' &&
      /"bad"/.test(e.message) &&
      !/736563726574|secret/.test(e.message),
  );
});
