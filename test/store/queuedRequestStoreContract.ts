// The contract every QueuedRequestStore must meet (STYLE.md pattern 10), run against memory and
// SQLite: entries by id and endpoint, status changes, final entries frozen, bounded history.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execute, read, write } from '../../src/lwm2m/requests.js';
import type { DownlinkRequest } from '../../src/lwm2m/requests.js';
import type {
  QueuedRequestHistoryLimits,
  QueuedRequestRecord,
  QueuedRequestStore,
} from '../../src/store/QueuedRequestStore.js';

/** A queued entry `id` of `endpoint`, created at `t` (wall-clock ms). */
export function queuedEntry(
  id: string,
  endpoint = 'ep1',
  t = 1_000,
  request: DownlinkRequest = read('/3/0/1'),
): QueuedRequestRecord {
  return {
    id,
    registrationId: `reg-${endpoint}`,
    endpoint,
    request,
    createdAt: t,
    deadlineAt: t + 60_000,
    status: 'queued',
    updatedAt: t,
  };
}

/** Runs the QueuedRequestStore contract against stores made by `factory` (one fresh store per test). */
export function queuedRequestStoreContract(
  name: string,
  factory: (limits?: Partial<QueuedRequestHistoryLimits>) => QueuedRequestStore | Promise<QueuedRequestStore>,
): void {
  describe(`QueuedRequestStore contract: ${name}`, () => {
    test('keeps an entry with its request, by id and by endpoint (newest first), and pending ones oldest first', async () => {
      const store = await factory();
      const node = { kind: 'resource', id: 15, value: { type: 'string', value: 'Europe/Paris' } } as const;
      await store.add(queuedEntry('a', 'ep1', 1_000, write('/3/0/15', node)));
      await store.add(queuedEntry('b', 'ep1', 2_000, execute('/3/0/4', "0='x'")));
      await store.add(queuedEntry('c', 'ep2', 1_500));
      assert.deepEqual(await store.get('a'), queuedEntry('a', 'ep1', 1_000, write('/3/0/15', node)));
      assert.equal(await store.get('zz'), undefined);
      assert.deepEqual(
        (await store.byEndpoint('ep1')).map((r) => r.id),
        ['b', 'a'],
      );
      assert.deepEqual(
        (await store.byEndpoint('ep1', 1)).map((r) => r.id),
        ['b'],
      );
      assert.deepEqual(await store.byEndpoint('nobody'), []);
      assert.deepEqual(
        (await store.pending()).map((r) => r.id),
        ['a', 'c', 'b'],
      );
      assert.deepEqual(store.stats(), { pending: 3, history: 0, droppedFromHistory: 0 });
    });

    test('a second add of the same id is refused', async () => {
      const store = await factory();
      await store.add(queuedEntry('a'));
      await assert.rejects(store.add(queuedEntry('a')));
    });

    test('status changes are kept; a final entry no longer changes and leaves pending()', async () => {
      const store = await factory();
      await store.add(queuedEntry('a'));
      const sent = await store.update('a', { status: 'sent', updatedAt: 2_000 });
      assert.equal(sent.record?.status, 'sent');
      const result = {
        code: 0x45,
        ok: true,
        format: 0,
        content: { kind: 'resource', id: 1, value: { type: 'integer', value: 2n ** 60n } },
      } as const;
      const done = await store.update('a', { status: 'answered', updatedAt: 3_000, result });
      assert.deepEqual(done, {
        record: { ...queuedEntry('a'), status: 'answered', updatedAt: 3_000, result },
        dropped: [],
      });
      assert.deepEqual(await store.update('a', { status: 'cancelled', updatedAt: 4_000 }), { dropped: [] });
      assert.deepEqual(await store.update('unknown', { status: 'sent', updatedAt: 4_000 }), { dropped: [] });
      assert.equal((await store.get('a'))?.status, 'answered');
      assert.deepEqual(await store.get('a'), done.record);
      assert.deepEqual(await store.pending(), []);
      assert.deepEqual(store.stats(), { pending: 0, history: 1, droppedFromHistory: 0 });
    });

    test('the history per client keeps the newest finished entries; pending ones are never dropped', async () => {
      const store = await factory({ maxHistoryPerClient: 2, maxHistory: 100 });
      for (let i = 0; i < 5; i++) await store.add(queuedEntry(`a${i}`, 'ep1', 1_000 + i));
      await store.add(queuedEntry('other', 'ep2', 900));
      await store.update('other', { status: 'expired', updatedAt: 1_900 });
      const drops: string[] = [];
      for (let i = 0; i < 4; i++) {
        const r = await store.update(`a${i}`, { status: 'cancelled', updatedAt: 2_000 + i });
        drops.push(...r.dropped.map((d) => d.id));
      }
      assert.deepEqual(drops, ['a0', 'a1']);
      assert.deepEqual(
        (await store.byEndpoint('ep1')).map((r) => `${r.id}:${r.status}`),
        ['a4:queued', 'a3:cancelled', 'a2:cancelled'],
      );
      assert.equal((await store.get('other'))?.status, 'expired');
      assert.deepEqual(store.stats(), { pending: 1, history: 3, droppedFromHistory: 2 });
    });

    test('the total history keeps the newest finished entries of all clients', async () => {
      const store = await factory({ maxHistoryPerClient: 10, maxHistory: 3 });
      for (let i = 0; i < 5; i++) await store.add(queuedEntry(`e${i}`, `ep${i}`, 1_000 + i));
      for (let i = 0; i < 5; i++) await store.update(`e${i}`, { status: 'expired', updatedAt: 2_000 + i });
      assert.equal(await store.get('e0'), undefined);
      assert.equal(await store.get('e1'), undefined);
      assert.deepEqual(await store.byEndpoint('ep0'), []);
      assert.equal((await store.get('e4'))?.status, 'expired');
      assert.deepEqual(store.stats(), { pending: 0, history: 3, droppedFromHistory: 2 });
    });
  });
}
