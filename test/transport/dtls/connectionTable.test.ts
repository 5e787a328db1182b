// ConnectionTable: bounded, least-recently-active order, and only stale connections evicted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectionTable, type TableEntry } from '../../../src/transport/dtls/connection/ConnectionTable.js';
import { ManualClock } from '../../support/ManualClock.js';

const entry = (key: string, clock: ManualClock): TableEntry => ({ key, lastActivity: clock.now() });

test('a full table of live connections refuses a new one; a stale one is evicted for it', () => {
  const clock = new ManualClock();
  const table = new ConnectionTable<TableEntry>(2, 1_000, clock);
  const a = entry('a', clock);
  const b = entry('b', clock);
  assert.deepEqual(table.add(a), {});
  assert.deepEqual(table.add(b), {});
  assert.equal(table.hasRoom(), false);
  assert.equal(table.add(entry('c', clock)), false);
  clock.advance(999);
  table.touch(a); // a is live again; b is the least recently active
  clock.advance(1);
  assert.equal(table.hasRoom(), true);
  assert.deepEqual(table.add(entry('c', clock)), { displaced: b });
  assert.equal(table.size, 2);
  assert.equal(table.get('b'), undefined);
  assert.equal(table.add(entry('d', clock)), false, 'a and c are live');
});

test('a connection from the same key replaces the old one even when full', () => {
  const clock = new ManualClock();
  const table = new ConnectionTable<TableEntry>(1, 1_000, clock);
  const old = entry('a', clock);
  table.add(old);
  const fresh = entry('a', clock);
  assert.equal(table.hasRoom('a'), true);
  assert.deepEqual(table.add(fresh), { displaced: old });
  table.delete(old); // a stale reference does not remove the new entry
  assert.equal(table.get('a'), fresh);
});

test('connections are found by CID and by their current address, which moveAddress follows', () => {
  const clock = new ManualClock();
  const table = new ConnectionTable<TableEntry & { addressKey: string }>(4, 1_000, clock);
  const c = { key: 'dtls-cid:0a0b', lastActivity: 0, addressKey: 'h|1', cidKey: '0a0b' };
  table.add(c);
  assert.equal(table.getByCid('0a0b'), c);
  assert.equal(table.getByAddress('h|1'), c);
  assert.equal(table.hasCid('0a0b'), true);
  c.addressKey = 'h|2';
  table.moveAddress(c, 'h|1');
  assert.equal(table.getByAddress('h|1'), undefined);
  assert.equal(table.getByAddress('h|2'), c);
  table.delete(c);
  assert.equal(table.getByCid('0a0b'), undefined);
  assert.equal(table.getByAddress('h|2'), undefined);
  assert.equal(table.hasCid('0a0b'), false);
});

test('an evicted stale connection leaves neither index behind', () => {
  const clock = new ManualClock();
  const table = new ConnectionTable<TableEntry>(1, 1_000, clock);
  table.add({ key: 'dtls-cid:01', lastActivity: 0, addressKey: 'h|1', cidKey: '01' });
  clock.advance(1_000);
  assert.ok(table.add({ key: 'h|9', lastActivity: clock.now() }));
  assert.equal(table.getByCid('01'), undefined);
  assert.equal(table.getByAddress('h|1'), undefined);
  assert.ok(table.getByAddress('h|9'));
});

test('connections active since they were added are passed over: the stale one behind them goes', () => {
  const clock = new ManualClock();
  const table = new ConnectionTable<TableEntry>(3, 1_000, clock);
  const [a, b, c] = ['a', 'b', 'c'].map((k) => entry(k, clock)) as [TableEntry, TableEntry, TableEntry];
  for (const e of [a, b, c]) table.add(e);
  clock.advance(500);
  table.touch(a);
  table.touch(c);
  clock.advance(500); // b is stale; a and c were active 500 ms ago
  assert.deepEqual(table.add(entry('d', clock)), { displaced: b });
  assert.equal(table.add(entry('e', clock)), false, 'a, c and d are live');
  clock.advance(500); // a and c are stale now, a first (it was placed back first)
  assert.deepEqual(table.add(entry('f', clock)), { displaced: a });
  assert.deepEqual(table.add(entry('g', clock)), { displaced: c });
});

test('touching a connection that was removed does not bring it back', () => {
  const clock = new ManualClock();
  const table = new ConnectionTable<TableEntry>(2, 1_000, clock);
  const a = entry('a', clock);
  table.add(a);
  table.delete(a);
  clock.advance(5_000);
  table.touch(a); // a record that was already on its way when the connection went
  assert.equal(table.size, 0);
  assert.equal(table.get('a'), undefined);
});
