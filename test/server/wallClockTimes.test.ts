// Stored records carry wall-clock times (DESIGN.md, Persistence; issue 14 item 1): registrations
// are stamped by the server's wall clock, the expiry sweep is timed by the monotonic clock but
// compares `expiresAt` with the wall clock, so a registration whose lifetime ran out while the
// server was down expires at its first sweep after a restart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RegistrationEndedEvent } from '../../src/server/Lwm2mServerEvents.js';
import { MemoryRegistrationStore } from '../../src/store/memory/MemoryRegistrationStore.js';
import { ManualClock } from '../support/ManualClock.js';
import { makeRegistration } from '../store/storeFixtures.js';
import { settle, startServer } from './serverFixture.js';

/** 2026-01-01T00:00:00Z: far from the monotonic clock, so a test tells which clock stamped what. */
const WALL_START = 1_767_225_600_000;

test('stamps registrations with the wall clock, not the monotonic one', async () => {
  const wallClock = new ManualClock(WALL_START);
  const s = await startServer({ wallClock });
  await s.client.register(['ep=stamped', 'lt=60', 'lwm2m=1.1']);
  const reg = await s.server.getRegistration('stamped');
  assert.equal(reg?.registeredAt, WALL_START);
  assert.equal(reg?.lastUpdate, WALL_START);
  assert.equal(reg?.expiresAt, WALL_START + 60_000);
  wallClock.advance(10_000);
  assert.equal((await s.client.update(reg!.id)).code, 0x44);
  const updated = await s.server.getRegistration('stamped');
  assert.equal(updated?.registeredAt, WALL_START);
  assert.equal(updated?.lastUpdate, WALL_START + 10_000);
  assert.equal(updated?.expiresAt, WALL_START + 70_000);
  await s.close();
});

test('expires by the wall clock on the sweep timed by the monotonic clock', async () => {
  const wallClock = new ManualClock(WALL_START);
  const s = await startServer({ wallClock, expiryGraceMs: 0, expirySweepIntervalMs: 1_000 });
  await s.client.register(['ep=walltime', 'lt=60', 'lwm2m=1.1']);
  await s.clock.advanceAsync(120_000, 1_000); // monotonic time alone expires nothing
  assert.ok(await s.server.getRegistration('walltime'));
  wallClock.advance(60_001);
  await s.clock.advanceAsync(1_000);
  await settle();
  assert.equal(await s.server.getRegistration('walltime'), undefined);
  assert.deepEqual(
    (s.named('expired') as RegistrationEndedEvent[]).map((e) => e.registration.endpoint),
    ['walltime'],
  );
  await s.close();
});

test('after a restart, a registration whose lifetime passed while down expires at the first sweep', async () => {
  // The store as a restarted server loads it: one registration stamped an hour ago with a
  // 60 s lifetime, one stamped a second ago with a day's lifetime.
  const store = new MemoryRegistrationStore();
  const now = WALL_START + 3_600_000;
  await store.add(makeRegistration({ id: 'r1', endpoint: 'gone', lifetime: 60, now: WALL_START }));
  await store.add(makeRegistration({ id: 'r2', endpoint: 'kept', lifetime: 86_400, now: now - 1_000 }));
  const s = await startServer({ store, wallClock: new ManualClock(now) });
  assert.ok(await s.server.getRegistration('gone'), 'loaded');
  await s.clock.advanceAsync(1_000);
  await settle();
  assert.equal(await s.server.getRegistration('gone'), undefined);
  assert.ok(await s.server.getRegistration('kept'));
  assert.deepEqual(
    (s.named('expired') as RegistrationEndedEvent[]).map((e) => e.registration.endpoint),
    ['gone'],
  );
  await s.close();
});
