import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openConnection } from '../../../src/store/sqlite/betterSqlite3.js';
import { MIGRATIONS, type Migration } from '../../../src/store/sqlite/migrations.js';
import { SqliteBootstrapConfigStore } from '../../../src/store/sqlite/SqliteBootstrapConfigStore.js';
import { SqliteRegistrationStore } from '../../../src/store/sqlite/SqliteRegistrationStore.js';
import { SqliteQueuedRequestStore } from '../../../src/store/sqlite/SqliteQueuedRequestStore.js';
import { SqliteSecurityStore } from '../../../src/store/sqlite/SqliteSecurityStore.js';
import { SqliteBootstrapSessionStore } from '../../../src/store/sqlite/SqliteBootstrapSessionStore.js';
import { endedSession } from '../bootstrapSessionStoreContract.js';
import { configWith } from '../bootstrapConfigStoreContract.js';
import { pskInfo } from '../securityStoreContract.js';
import { FIXTURE_WALL_ZERO } from './fixtures/fixtureClocks.js';
import { openTempDatabase, tempDataFile } from './tempDataFiles.js';

const V1_FIXTURE = fileURLToPath(new URL('./fixtures/schema-v1.db', import.meta.url));
const V2_FIXTURE = fileURLToPath(new URL('./fixtures/schema-v2.db', import.meta.url));

/** A copy of the committed schema-v1.db (tests never write the fixture itself). */
function v1Copy(): string {
  const file = tempDataFile('v1');
  copyFileSync(V1_FIXTURE, file);
  return file;
}

const versions = (file: string) => {
  const c = openConnection(file);
  const rows = c.prepare('SELECT version, description FROM schema_version ORDER BY version').all() as {
    version: number;
    description: string;
  }[];
  c.close();
  return rows;
};

/** A synthetic next version: a column and an index, as a real schema change would add. */
const NEXT = MIGRATIONS.length + 1;
const V2: Migration = {
  version: NEXT,
  description: 'synthetic: registrations.tenant',
  up(db) {
    db.exec("ALTER TABLE registrations ADD COLUMN tenant TEXT NOT NULL DEFAULT 'default'");
    db.exec('CREATE INDEX registrations_by_tenant ON registrations (tenant)');
  },
};

test('a data file of schema version 1 (committed fixture) opens with this version, every record intact', async () => {
  const db = openTempDatabase(v1Copy());
  assert.deepEqual(db.schema, { from: 1, to: MIGRATIONS.length });
  const registrations = await SqliteRegistrationStore.open(db);
  const reg = await registrations.getByEndpoint('dev-1');
  assert.equal(reg?.id, 'reg-1');
  assert.equal(reg?.lifetime, 3600);
  assert.equal(reg?.registeredAt, FIXTURE_WALL_ZERO + 1_000);
  assert.equal(reg?.expiresAt, FIXTURE_WALL_ZERO + 1_000 + 3_600_000);
  assert.deepEqual([...reg!.objectLinks.objects.keys()], [1, 3, 3303]);
  const [obs] = await registrations.observations.byRegistration('reg-1');
  assert.equal(Buffer.from(obs!.token).toString('hex'), 'cafe');
  assert.equal(String(obs!.paths[0]), '/3303/0/5700');
  assert.equal(obs!.createdAt, FIXTURE_WALL_ZERO + 2_000);
  assert.deepEqual(await new SqliteBootstrapConfigStore(db).get('dev-1'), configWith(3600));
  assert.deepEqual(
    await new SqliteSecurityStore(db).getByPskIdentity('dev-1-identity'),
    pskInfo('dev-1', 'dev-1-identity', 9),
  );
  // Version 2 added the queued requests table, empty; version 3 the bootstrap sessions; version 4
  // moved the registrations to an append-only table (read back above).
  assert.deepEqual(new SqliteQueuedRequestStore(db).stats(), {
    pending: 0,
    history: 0,
    droppedFromHistory: 0,
  });
  assert.deepEqual(await new SqliteBootstrapSessionStore(db).list(), []);
});

test('a data file of schema version 2 (committed fixture) gains the bootstrap session history, its data intact', async () => {
  const file = tempDataFile('v2');
  copyFileSync(V2_FIXTURE, file);
  assert.deepEqual(
    versions(file).map((v) => v.version),
    [1, 2],
  );
  const db = openTempDatabase(file);
  assert.deepEqual(db.schema, { from: 2, to: MIGRATIONS.length });
  const registrations = await SqliteRegistrationStore.open(db);
  const reg = await registrations.getByEndpoint('dev-2');
  assert.equal(reg?.id, 'reg-2');
  assert.equal(reg?.expiresAt, FIXTURE_WALL_ZERO + 5_000 + 600_000);
  assert.deepEqual(await new SqliteBootstrapConfigStore(db).get('anyone'), configWith(600));
  const queued = new SqliteQueuedRequestStore(db);
  assert.deepEqual(
    (await queued.byEndpoint('dev-2')).map((r) => [r.id, r.status, r.createdAt]),
    [
      ['q-2', 'expired', FIXTURE_WALL_ZERO + 7_000],
      ['q-1', 'queued', FIXTURE_WALL_ZERO + 6_000],
    ],
  );
  // Version 3 added the bootstrap session history: empty, and it keeps what is put in it.
  const sessions = new SqliteBootstrapSessionStore(db);
  assert.deepEqual(await sessions.list(), []);
  await sessions.put(endedSession('bs-1', 'dev-2'));
  await db.close();
  assert.deepEqual(
    versions(file).map((v) => v.version),
    MIGRATIONS.map((m) => m.version),
  );
  assert.deepEqual(await new SqliteBootstrapSessionStore(openTempDatabase(file)).list(), [
    endedSession('bs-1', 'dev-2'),
  ]);
});

test('the runner migrates a version 1 file to the next version, keeps its data and records each step', async () => {
  const file = v1Copy();
  const db = openTempDatabase(file, { migrations: [...MIGRATIONS, V2] });
  assert.deepEqual(db.schema, { from: 1, to: NEXT });
  assert.deepEqual(db.connection.prepare('SELECT id, tenant FROM registrations').all(), [
    { id: 'reg-1', tenant: 'default' },
  ]);
  const store = await SqliteRegistrationStore.open(db);
  assert.equal((await store.getById('reg-1'))?.endpoint, 'dev-1');
  await db.close();
  assert.deepEqual(versions(file), [
    ...MIGRATIONS.map((m) => ({ version: m.version, description: m.description })),
    { version: NEXT, description: V2.description },
  ]);
  // Opening again with the same steps does nothing more.
  const again = openTempDatabase(file, { migrations: [...MIGRATIONS, V2] });
  assert.deepEqual(again.schema, { from: NEXT, to: NEXT });
});

test('an empty SQLite file (version 0) is brought to the latest version', async () => {
  const file = tempDataFile('v0');
  openConnection(file).exec('CREATE TABLE unrelated (x)').close();
  const db = openTempDatabase(file);
  assert.deepEqual(db.schema, { from: 0, to: MIGRATIONS.length });
  assert.equal(await (await SqliteRegistrationStore.open(db)).size(), 0);
});

test('a migration that fails is rolled back whole: the file stays at its version and opens again', async () => {
  const file = v1Copy();
  const broken: Migration = {
    version: 2,
    description: 'fails half-way',
    up(db) {
      db.exec('CREATE TABLE half_done (x)');
      throw new Error('migration bug');
    },
  };
  assert.throws(() => openTempDatabase(file, { migrations: [MIGRATIONS[0]!, broken] }), /migration bug/);
  const db = openTempDatabase(file, { migrations: [MIGRATIONS[0]!] });
  assert.deepEqual(db.schema, { from: 1, to: 1 });
  assert.equal(
    db.connection.prepare("SELECT name FROM sqlite_master WHERE name = 'half_done'").get(),
    undefined,
  );
});

test('migrations must be numbered 1, 2, ... without gaps', () => {
  assert.throws(() => openTempDatabase(tempDataFile(), { migrations: [{ ...V2 }] }), /expected 1/);
});
