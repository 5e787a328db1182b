import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyUpdate } from '../../../src/lwm2m/registrationRequest.js';
import { NEVER_EXPIRES } from '../../../src/lwm2m/Registration.js';
import { SqliteRegistrationStore } from '../../../src/store/sqlite/SqliteRegistrationStore.js';
import { SqliteWriteError } from '../../../src/store/sqlite/sqliteErrors.js';
import { makePeer } from '../../../src/transport/Peer.js';
import { observationStoreContract } from '../observationStoreContract.js';
import { registrationStoreContract } from '../registrationStoreContract.js';
import {
  comparable as c,
  comparableObservation as co,
  makeObservation,
  makeRegistration as reg,
} from '../storeFixtures.js';
import { openTempDatabase, tempDataFile } from './tempDataFiles.js';

registrationStoreContract('sqlite', () => SqliteRegistrationStore.open(openTempDatabase()));
observationStoreContract(
  'sqlite',
  async () => (await SqliteRegistrationStore.open(openTempDatabase())).observations,
);

test('everything written is there after close and reopen: registrations, updates, removals, observations', async () => {
  const file = tempDataFile();
  const db = openTempDatabase(file);
  const store = await SqliteRegistrationStore.open(db);
  const a = reg({ id: 'a', endpoint: 'ep-a', address: '10.0.0.1', port: 1, query: ['sms=123', 'x=y'] });
  const b = {
    ...reg({
      id: 'b',
      endpoint: 'ep-b',
      lifetime: 0,
      lwm2m: '1.2',
      payload: '</lwm2m>;rt="oma.lwm2m";ct="60 110",</lwm2m/1>;ver=1.2,</lwm2m/3/0>',
    }),
    peer: makePeer('::1', 5684, { kind: 'rpk', publicKey: Uint8Array.from([1, 2, 3]) }),
  };
  const gone = reg({ id: 'gone', endpoint: 'ep-gone' });
  for (const r of [a, b, gone]) await store.add(r);
  const moved = makePeer('10.0.0.9', 2, { kind: 'psk', identity: 'dev-a' });
  const { current } = (await store.update('a', (cur) => applyUpdate(cur, { lifetime: 300 }, moved, 2_000)))!;
  await store.remove('gone');
  const o1 = {
    ...makeObservation('a', [1, 2], ['/3/0/9', '/3/0/10'], 'composite', 1_500),
    contentFormat: 112,
    attributes: { pmin: 5 },
  };
  const o2 = makeObservation('b', [], ['/3/0']);
  await store.observations.add(o1);
  await store.observations.add(o2);
  await store.observations.add(makeObservation('gone', [7]));
  await store.observations.remove('gone', Uint8Array.from([7]));
  await db.close();

  const reopened = await SqliteRegistrationStore.open(openTempDatabase(file));
  assert.equal(await reopened.size(), 2);
  assert.deepEqual(c(await reopened.getById('a')), c(current));
  assert.deepEqual(c(await reopened.getByEndpoint('ep-b')), c(b));
  assert.equal((await reopened.getByPeer('10.0.0.9|2'))?.id, 'a');
  assert.equal(await reopened.getById('gone'), undefined);
  assert.equal((await reopened.getById('b'))?.expiresAt, NEVER_EXPIRES);
  assert.deepEqual((await reopened.observations.byRegistration('a')).map(co), [co(o1)]);
  assert.deepEqual((await reopened.observations.byRegistration('b')).map(co), [co(o2)]);
  assert.equal(await reopened.observations.size(), 2);
  assert.deepEqual((await reopened.observations.byToken(Uint8Array.from([1, 2]))).map(co), [co(o1)]);
  assert.equal(await reopened.nextExpiry(), current.expiresAt);
});

test('wall-clock times are stored as they are: after a restart a registration has the lifetime left that the wall clock says', async () => {
  const file = tempDataFile();
  const db = openTempDatabase(file);
  const T = 1_800_000_000_000;
  const store = await SqliteRegistrationStore.open(db);
  await store.add(reg({ id: 'a', endpoint: 'a', lifetime: 100, now: T }));
  await store.observations.add(makeObservation('a', [9], ['/3/0/9'], 'single', T + 5));
  await db.close();
  // Another process, 30 s later by the wall clock.
  const again = await SqliteRegistrationStore.open(openTempDatabase(file));
  const a = (await again.getById('a'))!;
  assert.equal(a.registeredAt, T);
  assert.equal(a.expiresAt - (T + 30_000), 70_000, '70 s of the 100 s lifetime are left');
  assert.equal((await again.observations.byRegistration('a'))[0]?.createdAt, T + 5);
  assert.equal((await again.removeExpired(T + 30_000)).length, 0);
  assert.equal((await again.removeExpired(T + 100_001)).length, 1);
});

test('a write acknowledged before close is in the file, and so is one still queued at close', async () => {
  const file = tempDataFile();
  const db = openTempDatabase(file);
  const store = await SqliteRegistrationStore.open(db);
  await store.add(reg({ id: 'acked', endpoint: 'acked' }));
  const queued = store.add(reg({ id: 'queued', endpoint: 'queued' }));
  // Microtasks only (no turn of the event loop, so no flush) until the write is queued.
  for (let i = 0; i < 100 && db.stats().queued === 0; i++) await Promise.resolve();
  assert.equal(db.stats().queued, 1);
  await db.close();
  await queued;
  const again = await SqliteRegistrationStore.open(openTempDatabase(file));
  assert.deepEqual(
    (await again.page({ limit: 10 })).items.map((r) => r.id),
    ['acked', 'queued'],
  );
});

test('a Register whose batch fails (disk full) is rejected with a 5.03 error and memory keeps what the file has', async () => {
  const db = openTempDatabase();
  const store = await SqliteRegistrationStore.open(db);
  const old = reg({ id: 'old', endpoint: 'ep' });
  await store.add(old);
  await store.observations.add(makeObservation('old', [1]));
  db.connection.pragma(`max_page_count = ${db.connection.pragma('page_count', { simple: true }) as number}`);
  const big = reg({ id: 'new', endpoint: 'ep', query: [`x=${'y'.repeat(30_000)}`] });
  await assert.rejects(store.add(big), (e: unknown) => e instanceof SqliteWriteError && e.coapCode === 0xa3);
  // The re-registration did not happen: the old registration and its observation are back.
  assert.equal(await store.getById('new'), undefined);
  assert.equal((await store.getByEndpoint('ep'))?.id, 'old');
  assert.equal((await store.observations.byRegistration('old')).length, 1);
  assert.equal(await store.size(), 1);
  db.connection.pragma('max_page_count = 1073741823');
  await store.add(big);
  assert.equal((await store.getByEndpoint('ep'))?.id, 'new');
});

test('concurrent writes reach the file in the order memory saw them', async () => {
  const file = tempDataFile();
  const db = openTempDatabase(file);
  const store = await SqliteRegistrationStore.open(db);
  const writes = [
    store.add(reg({ id: 'x1', endpoint: 'x' })),
    store.remove('x1'),
    store.add(reg({ id: 'x2', endpoint: 'x' })),
    store.observations.add(makeObservation('x2', [1])),
    store.update('x2', (cur) => ({ ...cur, lifetime: 999 })),
  ];
  await Promise.all(writes);
  assert.equal(db.stats().batches, 1, 'one turn of writes, one batch');
  await db.close();
  const again = await SqliteRegistrationStore.open(openTempDatabase(file));
  assert.equal((await again.getByEndpoint('x'))?.lifetime, 999);
  assert.equal(await again.getById('x1'), undefined);
  assert.equal((await again.observations.byRegistration('x2')).length, 1);
});
