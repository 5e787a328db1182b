// ServerSessionSlab: sessions in slots named by the first 4 bytes of their id, bounded (the
// oldest issued goes), expiring, and found only by their exact id.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { ServerSessionSlab } from '../../../src/transport/dtls/session/ServerSessionSlab.js';
import type { DtlsSession } from '../../../src/transport/dtls/session/DtlsSession.js';
import { ManualClock } from '../../support/ManualClock.js';

function setup(maxEntries: number, lifetimeMs = 60_000) {
  const clock = new ManualClock(0);
  const drops: string[] = [];
  const slab = new ServerSessionSlab({ maxEntries, lifetimeMs, clock, onDrop: (r) => drops.push(r) });
  const make = (identity: string, fill: number): DtlsSession => ({
    id: slab.newId(randomBytes),
    master: new Uint8Array(48).fill(fill),
    pskDigest: new Uint8Array(32).fill(fill + 1),
    suiteId: 0xc0a8,
    extendedMasterSecret: true,
    identity,
  });
  return { clock, drops, slab, make };
}

test('a stored session is found by its exact id, with every field, and by no other id', () => {
  const { slab, make } = setup(4);
  const s = make('dev-1', 7);
  assert.ok(slab.store(s) !== undefined);
  const found = slab.find(s.id)!;
  assert.deepEqual(
    { ...found, id: [...found.id], master: [...found.master], pskDigest: [...found.pskDigest!] },
    { ...s, id: [...s.id], master: [...s.master], pskDigest: [...s.pskDigest!] },
  );
  const other = Uint8Array.from(s.id);
  other[31]! ^= 1; // same slot, another random part
  assert.equal(slab.find(other), undefined);
  assert.equal(slab.find(s.id.subarray(0, 16)), undefined);
  assert.equal(
    slab.find(Uint8Array.of(0, 0, 0x7f, 0xff, ...new Uint8Array(28))),
    undefined,
    'a slot out of range',
  );
  assert.equal(slab.size, 1);
});

test('at most maxEntries are kept: the oldest issued is evicted, and counted', () => {
  const { slab, make, drops } = setup(2);
  const [a, b, c] = [make('a', 1), make('b', 2), make('c', 3)];
  for (const s of [a, b, c]) slab.store(s);
  assert.equal(slab.find(a.id), undefined);
  assert.ok(slab.find(b.id));
  assert.ok(slab.find(c.id));
  assert.equal(slab.size, 2);
  assert.deepEqual(drops, ['evicted']);
});

test('a session expires lifetimeMs after it was stored; finding it then drops it as expired', () => {
  const { slab, make, clock, drops } = setup(4, 1_000);
  const s = make('a', 1);
  slab.store(s);
  clock.advance(999);
  assert.ok(slab.find(s.id));
  clock.advance(1);
  assert.equal(slab.find(s.id), undefined);
  assert.equal(slab.size, 0);
  assert.deepEqual(drops, ['expired']);
});

test('sessions are forgotten by id, by reference and by identity; a stale reference forgets nothing', () => {
  const { slab, make } = setup(1);
  const a = make('dev', 1);
  const ref = slab.store(a)!;
  slab.forgetRef(ref);
  assert.equal(slab.find(a.id), undefined);
  const b = make('dev', 2); // the same slot again
  const refB = slab.store(b)!;
  if (refB !== ref) slab.forgetRef(ref);
  assert.ok(slab.find(b.id) || refB === ref);
  const c = make('other', 3);
  slab.store(c);
  assert.equal(slab.forgetIdentity('dev'), 0, 'b was replaced by c');
  assert.equal(slab.forgetIdentity('other'), 1);
  const d = make('x', 4);
  slab.store(d);
  slab.forget(d.id);
  assert.equal(slab.size, 0);
});

test('the slab grows to 5 000 sessions and every one is found', () => {
  const { slab, make } = setup(5_000);
  const all = Array.from({ length: 5_000 }, (_, i) => make(`dev-${i}`, i & 255));
  for (const s of all) assert.ok(slab.store(s) !== undefined);
  for (const [i, s] of all.entries()) assert.equal(slab.find(s.id)?.identity, `dev-${i}`);
  assert.equal(slab.size, 5_000);
});
