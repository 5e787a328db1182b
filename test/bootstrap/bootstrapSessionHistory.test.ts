// Issue 14 item 2: a BootstrapServer hands each ended session to its BootstrapSessionStore and
// lists the store's sessions, then its running ones; on an SQLite store the history survives a
// restart, and new session ids go on after the kept ones.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BootstrapConfig } from '../../src/lwm2m/BootstrapConfig.js';
import type { BootstrapSessionStore } from '../../src/store/BootstrapSessionStore.js';
import { MemoryBootstrapSessionStore } from '../../src/store/memory/MemoryBootstrapSessionStore.js';
import { SqliteBootstrapSessionStore } from '../../src/store/sqlite/SqliteBootstrapSessionStore.js';
import { createBootstrapHttpApi } from '../../src/http/bootstrapApi.js';
import { flush } from '../support/MemoryTransport.js';
import { openTempDatabase, tempDataFile } from '../store/sqlite/tempDataFiles.js';
import { describeRequest, startBootstrap, succeed } from './bootstrapFixture.js';

const config: BootstrapConfig = {
  security: {
    1: { uri: 'coap://a:5683', bootstrapServer: false, securityMode: 'nosec', shortServerId: 101 },
  },
  servers: { 0: { shortServerId: 101, lifetime: 300, binding: 'U' } },
};

let fixture: Awaited<ReturnType<typeof startBootstrap>> | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await flush(1);
  assert.ok(cond(), 'condition not reached');
}

const stepsOf = (r: { steps: readonly { name: string; code: number }[] }) =>
  r.steps.map((s) => `${s.name} ${s.code.toString(16)}`);

test('an ended session goes to the session store; a running one is listed after the stored ones', async () => {
  const sessionStore = new MemoryBootstrapSessionStore();
  fixture = await startBootstrap({ '*': config }, { sessionStore });
  const ended = fixture.sessionEnd();
  await fixture.requestBootstrap('done');
  const done = await ended;
  assert.deepEqual(await sessionStore.list(), [done], 'stored before sessionFinished is emitted');

  fixture.setScript((r) => (describeRequest(r) === 'PUT /0/1' ? new Promise(() => undefined) : succeed(r)));
  await fixture.requestBootstrap('hanging');
  await until(() => fixture!.received.filter((r) => describeRequest(r) === 'PUT /0/1').length === 1);
  assert.deepEqual(
    (await fixture.server.sessions()).map((s) => [s.id, s.endpoint, s.state]),
    [
      ['bs-1', 'done', 'finished'],
      ['bs-2', 'hanging', 'running'],
    ],
  );
  assert.deepEqual(
    (await sessionStore.list()).map((s) => s.id),
    ['bs-1'],
    'a running session stays out of the store',
  );
  // stop() resolves only once the session it aborted is stored (its data file may be closed next).
  await fixture.server.stop();
  const aborted = await sessionStore.get('bs-2');
  assert.equal(aborted?.state, 'failed');
  assert.match(aborted!.failure!.reason, /server stopped/);
});

test('restarted on the same SQLite file, the bootstrap server still lists the session with its steps', async () => {
  const file = tempDataFile('bootstrap');
  const db = openTempDatabase(file);
  fixture = await startBootstrap({ '*': config }, { sessionStore: new SqliteBootstrapSessionStore(db) });
  const ended = fixture.sessionEnd();
  await fixture.requestBootstrap('kept');
  const before = await ended;
  assert.equal(before.state, 'finished');
  await fixture.close();
  fixture = undefined;
  await db.close();

  const sessionStore = new SqliteBootstrapSessionStore(openTempDatabase(file));
  fixture = await startBootstrap({ '*': config }, { sessionStore });
  const [kept] = await fixture.server.sessions();
  assert.deepEqual(kept, before);
  assert.deepEqual(stepsOf(kept!), [
    'delete /0 42',
    'delete /1 42',
    'write /0/1 44',
    'write /1/0 44',
    'finish 44',
  ]);
  // The REST API answers from the same history.
  const app = createBootstrapHttpApi({
    configStore: fixture.server.config.configStore,
    sessions: () => fixture!.server.sessions(),
    now: () => fixture!.server.config.wallClock.now(),
  });
  try {
    const res = await app.inject({ method: 'GET', url: '/api/bootstrap/sessions' });
    const [json] = res.json() as { id: string; endpoint: string; state: string; steps: { code: string }[] }[];
    assert.deepEqual(
      [json!.id, json!.endpoint, json!.state, json!.steps.map((s) => s.code)],
      ['bs-1', 'kept', 'finished', ['2.02', '2.02', '2.04', '2.04', '2.04']],
    );
  } finally {
    await app.close();
  }
  // A new session does not reuse the id of a kept one.
  const next = fixture.sessionEnd();
  await fixture.requestBootstrap('kept');
  assert.equal((await next).id, 'bs-2');
  assert.deepEqual(
    (await fixture.server.sessions()).map((s) => s.id),
    ['bs-1', 'bs-2'],
  );
});

test('a session the store cannot keep is reported as a warning; the server goes on', async () => {
  const memory = new MemoryBootstrapSessionStore();
  let fail = true;
  const sessionStore: BootstrapSessionStore = {
    put: (r) => (fail ? Promise.reject(new Error('disk full')) : memory.put(r)),
    get: (id) => memory.get(id),
    list: (q) => memory.list(q),
    stats: () => memory.stats(),
  };
  fixture = await startBootstrap({ '*': config }, { sessionStore });
  const first = fixture.sessionEnd();
  await fixture.requestBootstrap('ep');
  assert.equal((await first).state, 'finished', 'listeners still hear of it');
  const warnings = fixture.events.filter(([name]) => name === 'warning').map(([, e]) => (e as Error).message);
  assert.deepEqual(warnings, ['bootstrap session bs-1 of ep not stored: disk full']);
  assert.deepEqual(await fixture.server.sessions(), []);
  fail = false;
  const second = fixture.sessionEnd();
  await fixture.requestBootstrap('ep');
  await second;
  assert.deepEqual(
    (await fixture.server.sessions()).map((s) => s.id),
    ['bs-2'],
  );
});
