// The contract every ObservationStore must meet (STYLE.md pattern 10); the memory store runs it
// now, the SQLite and Redis stores will run it with their own factories.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ObservationStore } from '../../src/store/ObservationStore.js';
import { comparableObservation as c, makeObservation as obs } from './storeFixtures.js';

/** Runs the ObservationStore contract against stores made by `factory` (one fresh store per test). */
export function observationStoreContract(
  name: string,
  factory: () => ObservationStore | Promise<ObservationStore>,
): void {
  describe(`ObservationStore contract: ${name}`, () => {
    test('finds an added observation by registration and an equal token', async () => {
      const store = await factory();
      const o = obs('r1', [1, 2, 3], ['/3/0/9']);
      assert.deepEqual(await store.add(o), { replaced: [] });
      assert.deepEqual(c(await store.get('r1', Uint8Array.from([1, 2, 3]))), c(o));
      assert.equal(await store.get('r1', Uint8Array.from([1, 2])), undefined);
      assert.equal(await store.get('r2', Uint8Array.from([1, 2, 3])), undefined);
      assert.equal(await store.size(), 1);
    });

    test('keeps the content format, attributes and composite paths', async () => {
      const store = await factory();
      const o = {
        ...obs('r1', [9], ['/3/0/9', '/3303/0/5700'], 'composite', 42),
        contentFormat: 112,
        attributes: { pmin: 10, pmax: 60 },
      };
      await store.add(o);
      assert.deepEqual(c(await store.get('r1', Uint8Array.from([9]))), c(o));
    });

    test('accepts an empty token', async () => {
      const store = await factory();
      await store.add(obs('r1', []));
      assert.ok(await store.get('r1', new Uint8Array(0)));
    });

    test('replaces an observation with the same token and returns it', async () => {
      const store = await factory();
      const old = obs('r1', [7], ['/3/0/9']);
      await store.add(old);
      const next = obs('r1', [7], ['/3/0/10']);
      const { replaced } = await store.add(next);
      assert.deepEqual(replaced.map(c), [c(old)]);
      assert.deepEqual(c(await store.get('r1', Uint8Array.from([7]))), c(next));
      assert.equal(await store.size(), 1);
    });

    test('a new observation of the same target on the same registration supersedes the old one', async () => {
      const store = await factory();
      const old = obs('r1', [1], ['/3/0/9']);
      await store.add(old);
      const { replaced } = await store.add(obs('r1', [2], ['/3/0/9']));
      assert.deepEqual(replaced.map(c), [c(old)]);
      assert.equal(await store.get('r1', Uint8Array.from([1])), undefined);
      assert.equal(await store.size(), 1);
    });

    test('keeps observations that differ in kind, paths or registration', async () => {
      const store = await factory();
      await store.add(obs('r1', [1], ['/3/0/9'], 'single'));
      assert.deepEqual((await store.add(obs('r1', [2], ['/3/0/9'], 'composite'))).replaced, []);
      assert.deepEqual((await store.add(obs('r1', [3], ['/3/0/9', '/3/0/10'], 'composite'))).replaced, []);
      assert.deepEqual((await store.add(obs('r2', [1], ['/3/0/9']))).replaced, []);
      assert.equal(await store.size(), 4);
      assert.deepEqual(
        (await store.byRegistration('r1')).map((o) => o.token[0]),
        [1, 2, 3],
        'oldest first',
      );
    });

    test('remove returns the observation once', async () => {
      const store = await factory();
      const o = obs('r1', [5]);
      await store.add(o);
      assert.deepEqual(c(await store.remove('r1', Uint8Array.from([5]))), c(o));
      assert.equal(await store.remove('r1', Uint8Array.from([5])), undefined);
      assert.equal(await store.remove('nope', Uint8Array.from([5])), undefined);
      assert.equal(await store.size(), 0);
      assert.deepEqual(await store.byRegistration('r1'), []);
    });

    test('removeByRegistration returns every observation of that registration and keeps the others', async () => {
      const store = await factory();
      await store.add(obs('r1', [1], ['/3/0/1']));
      await store.add(obs('r1', [2], ['/3/0/2']));
      await store.add(obs('r2', [1], ['/3/0/1']));
      const dropped = await store.removeByRegistration('r1');
      assert.deepEqual(dropped.map((o) => o.token[0]).sort(), [1, 2]);
      assert.deepEqual(await store.byRegistration('r1'), []);
      assert.equal((await store.byRegistration('r2')).length, 1);
      assert.equal(await store.size(), 1);
      assert.deepEqual(await store.removeByRegistration('r1'), []);
    });

    test('finds observations by token alone, and forgets them when they are removed or replaced', async () => {
      const store = await factory();
      const token = (...bytes: number[]) => Uint8Array.from(bytes);
      const a = obs('r1', [0xca, 0xfe], ['/3/0/1']);
      const b = obs('r2', [0xca, 0xfe], ['/3/0/1']);
      await store.add(a);
      await store.add(b);
      await store.add(obs('r1', [0xbe, 0xef], ['/3/0/2']));
      const found = await store.byToken(token(0xca, 0xfe));
      assert.deepEqual(
        found.map(c).sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y))),
        [c(a), c(b)],
      );
      assert.deepEqual(await store.byToken(token(0xca)), []);
      await store.remove('r2', token(0xca, 0xfe));
      assert.deepEqual((await store.byToken(token(0xca, 0xfe))).map(c), [c(a)]);
      // A new observation of the same target supersedes `a`: its token is forgotten too.
      await store.add(obs('r1', [0x01], ['/3/0/1']));
      assert.deepEqual(await store.byToken(token(0xca, 0xfe)), []);
      await store.removeByRegistration('r1');
      assert.deepEqual(await store.byToken(token(0xbe, 0xef)), []);
      assert.deepEqual(await store.byToken(token(0x01)), []);
    });
  });
}
