// The contract every BootstrapSessionStore must meet (STYLE.md pattern 10), run against memory and
// SQLite: ended sessions by id, oldest first with an endpoint filter and paging, bounded history.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type {
  BootstrapSessionHistoryLimits,
  BootstrapSessionRecord,
  BootstrapSessionStore,
} from '../../src/store/BootstrapSessionStore.js';

/** A finished session `id` of `endpoint`, started at `t` (wall-clock ms), with two steps. */
export function endedSession(id: string, endpoint = 'ep1', t = 1_700_000_000_000): BootstrapSessionRecord {
  return {
    id,
    endpoint,
    address: '10.0.0.2',
    port: 56830,
    format: 11542,
    state: 'finished',
    startedAt: t,
    endedAt: t + 40,
    steps: [
      { name: 'delete /0', ok: true, code: 0x42, startedAt: t, durationMs: 10 },
      { name: 'finish', ok: true, code: 0x44, startedAt: t + 30, durationMs: 10.5 },
    ],
  };
}

/** A failed session with every optional field: a timed-out step, the failure and what Discover told. */
export function failedSession(id: string, endpoint = 'ep1', t = 1_700_000_000_000): BootstrapSessionRecord {
  return {
    ...endedSession(id, endpoint, t),
    state: 'failed',
    format: 112,
    steps: [
      { name: 'discover', ok: true, code: 0x45, startedAt: t, durationMs: 3 },
      { name: 'write /0/1', ok: false, code: 0x80, diagnostic: 'bad ¤ key', startedAt: t + 5, durationMs: 7 },
      {
        name: 'finish',
        ok: false,
        code: 0,
        failure: 'timeout',
        diagnostic: 'no response',
        startedAt: t + 20,
        durationMs: 93_000,
      },
    ],
    failure: { step: 'finish', reason: 'timeout: no response', failure: 'timeout' },
    discovered: { lwm2mVersion: '1.1', objectIds: [0, 1, 3, 65535], objectIdsOmitted: 3 },
  };
}

const ids = (records: readonly BootstrapSessionRecord[]): string[] => records.map((r) => r.id);

/** Runs the BootstrapSessionStore contract against stores made by `factory` (one fresh store per test). */
export function bootstrapSessionStoreContract(
  name: string,
  factory: (
    limits?: Partial<BootstrapSessionHistoryLimits>,
  ) => BootstrapSessionStore | Promise<BootstrapSessionStore>,
): void {
  describe(`BootstrapSessionStore contract: ${name}`, () => {
    test('keeps a session, steps, failure and discovery included, by id; nothing for an unknown id', async () => {
      const store = await factory();
      assert.deepEqual(await store.put(endedSession('bs-1')), { dropped: [] });
      assert.deepEqual(await store.put(failedSession('bs-2')), { dropped: [] });
      assert.deepEqual(await store.get('bs-1'), endedSession('bs-1'));
      assert.deepEqual(await store.get('bs-2'), failedSession('bs-2'));
      assert.equal(await store.get('bs-3'), undefined);
      assert.deepEqual(store.stats(), { sessions: 2, dropped: 0, maxSessions: 1_000 });
    });

    test('lists oldest first (in the order put), by endpoint, with offset and limit', async () => {
      const store = await factory();
      // Put order, not start time, orders the list: a superseded session ends after a later one started.
      await store.put(endedSession('a1', 'a', 5_000));
      await store.put(failedSession('b1', 'b', 1_000));
      await store.put(endedSession('a2', 'a', 6_000));
      await store.put(endedSession('a3', 'a', 7_000));
      assert.deepEqual(ids(await store.list()), ['a1', 'b1', 'a2', 'a3']);
      assert.deepEqual(ids(await store.list({ endpoint: 'a' })), ['a1', 'a2', 'a3']);
      assert.deepEqual(ids(await store.list({ endpoint: 'b' })), ['b1']);
      assert.deepEqual(await store.list({ endpoint: 'c' }), []);
      assert.deepEqual(ids(await store.list({ offset: 1, limit: 2 })), ['b1', 'a2']);
      assert.deepEqual(ids(await store.list({ endpoint: 'a', offset: 1, limit: 1 })), ['a2']);
      assert.deepEqual(ids(await store.list({ endpoint: 'a', offset: 2, limit: 5 })), ['a3']);
      assert.deepEqual(await store.list({ offset: 4 }), []);
      assert.deepEqual(await store.list({ limit: 0 }), []);
    });

    test('keeps at most maxSessions, dropping the oldest first and counting each drop', async () => {
      const store = await factory({ maxSessions: 3 });
      for (const id of ['s1', 's2', 's3'])
        assert.deepEqual(await store.put(endedSession(id)), { dropped: [] });
      assert.deepEqual(await store.put(failedSession('s4', 'ep2')), { dropped: [endedSession('s1')] });
      assert.deepEqual(await store.put(endedSession('s5')), { dropped: [endedSession('s2')] });
      assert.deepEqual(ids(await store.list()), ['s3', 's4', 's5']);
      assert.equal(await store.get('s1'), undefined);
      assert.deepEqual(store.stats(), { sessions: 3, dropped: 2, maxSessions: 3 });
    });

    test('a session put again under its id replaces the old one and becomes the newest (no drop)', async () => {
      const store = await factory({ maxSessions: 3 });
      for (const id of ['s1', 's2', 's3']) await store.put(endedSession(id));
      const again = failedSession('s1', 'ep1', 9_000);
      assert.deepEqual(await store.put(again), { replaced: endedSession('s1'), dropped: [] });
      assert.deepEqual(ids(await store.list()), ['s2', 's3', 's1']);
      assert.deepEqual(await store.get('s1'), again);
      assert.deepEqual(store.stats(), { sessions: 3, dropped: 0, maxSessions: 3 });
    });

    test('refuses a running session and keeps nothing of it', async () => {
      const store = await factory();
      const { endedAt: _e, ...running } = endedSession('r1');
      await assert.rejects(store.put({ ...running, state: 'running' }), TypeError);
      assert.equal(await store.get('r1'), undefined);
      assert.deepEqual(store.stats(), { sessions: 0, dropped: 0, maxSessions: 1_000 });
    });

    test('maxSessions 0 keeps no session but counts each one dropped', async () => {
      const store = await factory({ maxSessions: 0 });
      assert.deepEqual(await store.put(endedSession('s1')), { dropped: [endedSession('s1')] });
      assert.deepEqual(await store.list(), []);
      assert.deepEqual(store.stats(), { sessions: 0, dropped: 1, maxSessions: 0 });
    });

    test('a maxSessions that is not a whole number ≥ 0 is refused', async () => {
      for (const maxSessions of [-1, 1.5, Number.NaN])
        await assert.rejects(async () => factory({ maxSessions }), RangeError);
    });
  });
}
