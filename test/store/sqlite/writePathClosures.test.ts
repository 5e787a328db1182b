// The callbacks a registration write hands to the group commit are anonymous: a closure that gets
// a name (`op: () => ...`) costs, under tsx (esbuild's keepNames: `npm start`, the benchmarks), an
// Object.defineProperty per write on the Register path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyUpdate } from '../../../src/lwm2m/registrationRequest.js';
import { SqliteRegistrationStore } from '../../../src/store/sqlite/SqliteRegistrationStore.js';
import type { WriteOp } from '../../../src/store/sqlite/GroupCommit.js';
import { makeRegistration } from '../storeFixtures.js';
import { openTempDatabase } from './tempDataFiles.js';

test('add, update, remove and removeExpired queue anonymous ops and failure callbacks', async () => {
  const db = openTempDatabase();
  const store = await SqliteRegistrationStore.open(db);
  const names: string[] = [];
  const write = db.write.bind(db);
  db.write = (op: WriteOp, onFailed?: () => void): Promise<void> => {
    names.push(op.name, onFailed?.name ?? 'none');
    return write(op, onFailed);
  };
  await store.add(makeRegistration({ id: 'a', endpoint: 'a', lifetime: 1 }));
  await store.add(makeRegistration({ id: 'a2', endpoint: 'a' }));
  await store.update('a2', (r) => applyUpdate(r, { lifetime: 30 }, r.peer, 1_000));
  await store.add(makeRegistration({ id: 'b', endpoint: 'b', lifetime: 1 }));
  await store.remove('a2');
  await store.removeExpired(10_000);
  assert.equal(names.length, 12);
  assert.deepEqual(
    names.filter((n) => n !== ''),
    [],
    `named callbacks: ${names.join(', ')}`,
  );
  assert.equal(await store.size(), 0);
});
