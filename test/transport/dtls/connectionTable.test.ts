// ConnectionTable: bounded, least-recently-active order, only stale connections evicted; lookups
// by CID and by address; handles to ended connections do nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ConnectionTable,
  type NewConnection,
} from '../../../src/transport/dtls/connection/ConnectionTable.js';
import { EpochKeys } from '../../../src/transport/dtls/record/EpochKeys.js';
import { makePeer } from '../../../src/transport/Peer.js';
import { ManualClock } from '../../support/ManualClock.js';

const entry = (addressKey: string, ownCid = new Uint8Array(0)): NewConnection => ({
  addressKey,
  identity: 'id',
  keys: new EpochKeys('server'),
  ownCid,
});

test('a full table of live connections refuses a new one; a stale one is evicted for it', () => {
  const clock = new ManualClock();
  const table = new ConnectionTable(2, 1_000, clock);
  const a = table.add(entry('a|1'))!;
  const b = table.add(entry('b|1'))!;
  assert.equal(table.hasRoom(), false);
  assert.equal(table.add(entry('c|1')), undefined);
  clock.advance(999);
  table.touch(a); // a is live again; b is the least recently active
  clock.advance(1);
  assert.equal(table.hasRoom(), true);
  const c = table.add(entry('c|1'));
  assert.ok(c);
  assert.equal(b.alive, false, 'b was evicted');
  assert.equal(table.size, 2);
  assert.equal(table.get('b|1'), undefined);
  assert.equal(table.add(entry('d|1')), undefined, 'a and c are live');
});

test('a connection from the same address replaces the old one even when full', () => {
  const clock = new ManualClock();
  const table = new ConnectionTable(1, 1_000, clock);
  const old = table.add(entry('a|1'))!;
  assert.equal(table.hasRoom('a|1'), true);
  const fresh = table.add(entry('a|1'))!;
  assert.equal(old.alive, false);
  table.delete(old); // a stale handle does not remove the new entry
  assert.equal(table.get('a|1')?.slot, fresh.slot);
  assert.equal(table.size, 1);
});

test('connections are found by CID and by their current address, which moveTo follows', () => {
  const clock = new ManualClock();
  const table = new ConnectionTable(4, 1_000, clock, 2);
  const c = table.add(entry('h|1', Uint8Array.of(0x0a, 0x0b)))!;
  assert.equal(c.key, 'dtls-cid:0a0b');
  assert.equal(table.getByCid('0a0b')?.slot, c.slot);
  assert.equal(table.get('dtls-cid:0a0b')?.slot, c.slot);
  assert.equal(table.getByAddress('h|1')?.slot, c.slot);
  assert.equal(table.hasCid('0a0b'), true);
  table.moveTo(c, makePeer('h', 2));
  assert.equal(table.getByAddress('h|1'), undefined);
  assert.equal(table.getByAddress('h|2')?.slot, c.slot);
  assert.equal(c.key, 'dtls-cid:0a0b', 'the key stays');
  assert.deepEqual([c.peer.address, c.peer.port, c.innerPeer.key], ['h', 2, 'h|2']);
  table.delete(c);
  assert.equal(table.getByCid('0a0b'), undefined);
  assert.equal(table.getByAddress('h|2'), undefined);
  assert.equal(table.hasCid('0a0b'), false);
});

test('a connection moving to the address of one without CID takes the address over, ending it', () => {
  const clock = new ManualClock();
  const table = new ConnectionTable(4, 1_000, clock, 1);
  const moving = table.add(entry('h|1', Uint8Array.of(1)))!;
  const there = table.add(entry('h|2'))!;
  table.moveTo(moving, makePeer('h', 2));
  assert.equal(there.alive, false);
  assert.equal(table.getByAddress('h|2')?.slot, moving.slot);
  assert.equal(table.size, 1);
});

test('an evicted stale connection leaves neither index behind', () => {
  const clock = new ManualClock();
  const table = new ConnectionTable(1, 1_000, clock, 1);
  table.add(entry('h|1', Uint8Array.of(1)));
  clock.advance(1_000);
  assert.ok(table.add(entry('h|9')));
  assert.equal(table.getByCid('01'), undefined);
  assert.equal(table.getByAddress('h|1'), undefined);
  assert.ok(table.getByAddress('h|9'));
});

test('connections active since they were added are passed over: the stale one behind them goes', () => {
  const clock = new ManualClock();
  const table = new ConnectionTable(3, 1_000, clock);
  const [a, b, c] = ['a|1', 'b|1', 'c|1'].map((k) => table.add(entry(k))!);
  clock.advance(500);
  table.touch(a!);
  table.touch(c!);
  clock.advance(500); // b is stale; a and c were active 500 ms ago
  assert.ok(table.add(entry('d|1')));
  assert.equal(b!.alive, false);
  assert.equal(table.add(entry('e|1')), undefined, 'a, c and d are live');
  clock.advance(500); // a and c are stale now, a first (it was placed back first)
  assert.ok(table.add(entry('f|1')));
  assert.deepEqual([a!.alive, c!.alive], [false, true]);
  assert.ok(table.add(entry('g|1')));
  assert.equal(c!.alive, false);
});

test('touching a connection that was removed does not bring it back, even once its slot is reused', () => {
  const clock = new ManualClock();
  const table = new ConnectionTable(2, 1_000, clock);
  const a = table.add(entry('a|1'))!;
  table.delete(a);
  const b = table.add(entry('b|1'))!;
  assert.equal(b.slot, a.slot, 'the slot is reused');
  clock.advance(5_000);
  table.touch(a); // a record that was already on its way when the connection went
  table.delete(a);
  assert.equal(table.size, 1);
  assert.equal(table.get('a|1'), undefined);
  assert.ok(b.alive);
  assert.equal(
    a.open({ type: 23, version: 0xfefd, epoch: 1, sequenceNumber: 1, fragment: new Uint8Array(24) }),
    undefined,
  );
  assert.throws(() => a.seal(23, Uint8Array.of(1)));
});

test('thousands of connections grow the slab and stay reachable; removing them empties the indexes', () => {
  const clock = new ManualClock();
  const table = new ConnectionTable(5_000, 1_000, clock, 2);
  const all = Array.from({ length: 3_000 }, (_, i) =>
    table.add(entry(`h|${i}`, Uint8Array.of(i >> 8, i & 255)))!,
  );
  for (const [i, c] of all.entries()) {
    assert.equal(table.getByAddress(`h|${i}`)?.slot, c.slot);
    assert.equal(c.cidKey, Buffer.of(i >> 8, i & 255).toString('hex'));
  }
  assert.equal(table.values().length, 3_000);
  for (const c of all) table.delete(c);
  assert.equal(table.size, 0);
  assert.equal(table.values().length, 0);
  assert.equal(table.getByCid('0001'), undefined);
});
