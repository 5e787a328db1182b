import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { statSync } from 'node:fs';
import { openSqliteStores } from '../../../src/store/sqlite/openSqliteStores.js';
import { SqliteOpenError } from '../../../src/store/sqlite/sqliteErrors.js';
import { configWith } from '../bootstrapConfigStoreContract.js';
import { pskInfo } from '../securityStoreContract.js';
import { makeObservation, makeRegistration } from '../storeFixtures.js';
import { endedSession } from '../bootstrapSessionStoreContract.js';
import { tempDataFile } from './tempDataFiles.js';

test('opens every store on one file in a new directory; all of them are there after reopening', async () => {
  const file = join(dirname(tempDataFile()), 'new-dir', 'data', 'lwm2m.db');
  const stores = await openSqliteStores(file);
  assert.equal(statSync(dirname(file)).mode & 0o777, 0o700);
  await stores.registrations.add(makeRegistration({ id: 'r', endpoint: 'ep' }));
  await stores.registrations.observations.add(makeObservation('r', [1]));
  await stores.bootstrapConfigs.put('ep', configWith(10));
  await stores.security.put(pskInfo('ep', 'id'));
  await stores.bootstrapSessions.put(endedSession('bs-1', 'ep'));
  await stores.close();
  const again = await openSqliteStores(file);
  try {
    assert.equal((await again.registrations.getByEndpoint('ep'))?.id, 'r');
    assert.equal(await again.registrations.observations.size(), 1);
    assert.deepEqual(await again.bootstrapConfigs.get('ep'), configWith(10));
    assert.equal((await again.security.getByPskIdentity('id'))?.endpoint, 'ep');
    assert.deepEqual(await again.bootstrapSessions.list(), [endedSession('bs-1', 'ep')]);
  } finally {
    await again.close();
  }
});

test('a row that cannot be read fails the open with a typed error and leaves the file closed (unlocked)', async () => {
  const file = tempDataFile();
  const stores = await openSqliteStores(file);
  stores.database.connection
    .prepare("INSERT INTO registrations (id, endpoint, record) VALUES ('bad', 'bad', 'not json')")
    .run();
  await stores.close();
  await assert.rejects(
    openSqliteStores(file),
    (e: unknown) => e instanceof SqliteOpenError && e.reason === 'corrupt',
  );
  // Not left locked: it opens again at once (after the bad row is gone).
  const again = await openSqliteStores(file, { busyTimeoutMs: 20 }).catch((e: unknown) => e);
  assert.ok(again instanceof SqliteOpenError && again.reason === 'corrupt', String(again));
});
