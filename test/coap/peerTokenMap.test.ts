// Tests of PeerTokenMap, the (peer, token) index of outstanding exchanges (RFC 7252 5.3.2):
// token length matters, long tokens work, peers are separate, deletes check the value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PeerTokenMap, tokenKey, tokenNumber } from '../../src/coap/PeerTokenMap.js';

const t = (...bytes: number[]): Uint8Array => Uint8Array.from(bytes);

test('tokens that differ only in length or leading zeros are different keys', () => {
  const keys = [t(), t(0), t(0, 0), t(1), t(0, 1), t(0xff, 0xff, 0xff, 0xff, 0xff, 0xff)].map(tokenKey);
  assert.equal(new Set(keys).size, keys.length);
  const long = [t(1, 2, 3, 4, 5, 6, 7, 8), t(1, 2, 3, 4, 5, 6, 7, 9), t(1, 2, 3, 4, 5), t(1, 2, 3, 4)];
  assert.equal(new Set(long.map(tokenKey)).size, long.length);
});

test('stores values per peer and token, including 8-byte tokens', () => {
  const m = new PeerTokenMap<string>();
  m.set('a|1', t(1, 2), 'x');
  m.set('b|1', t(1, 2), 'y');
  m.set('a|1', t(1, 2, 3, 4, 5, 6, 7, 8), 'z');
  assert.equal(m.get('a|1', t(1, 2)), 'x');
  assert.equal(m.get('b|1', t(1, 2)), 'y');
  assert.equal(m.get('a|1', t(1, 2, 3, 4, 5, 6, 7, 8)), 'z');
  assert.equal(m.get('a|1', t(1, 2, 3, 4, 5, 6, 7, 9)), undefined);
  assert.equal(m.has('c|1', t(1, 2)), false);
  assert.equal(m.size, 3);
  m.set('a|1', t(1, 2), 'x2');
  assert.equal(m.size, 3, 'replacing a value does not count twice');
  assert.deepEqual(m.values().sort(), ['x2', 'y', 'z']);
});

test('deleteIf removes an entry only while it holds the given value', () => {
  const m = new PeerTokenMap<string>();
  m.set('a|1', t(7), 'old');
  m.set('a|1', t(7), 'new');
  assert.equal(m.deleteIf('a|1', t(7), 'old'), false);
  assert.equal(m.get('a|1', t(7)), 'new');
  assert.equal(m.deleteIf('a|1', t(7), 'new'), true);
  assert.equal(m.get('a|1', t(7)), undefined);
  assert.equal(m.size, 0);
  assert.deepEqual(m.values(), []);
});

test('a token two peers hold matches each peer only, whichever table holds it', () => {
  const m = new PeerTokenMap<string>();
  m.set('a|1', t(9, 9, 9, 9), 'A');
  m.set('b|1', t(9, 9, 9, 9), 'B'); // the numeric table holds a|1's: b|1's goes to the text table
  assert.equal(m.get('a|1', t(9, 9, 9, 9)), 'A');
  assert.equal(m.get('b|1', t(9, 9, 9, 9)), 'B');
  assert.equal(m.get('c|1', t(9, 9, 9, 9)), undefined);
  assert.equal(m.isFree('c|1', t(9, 9, 9, 9)), false, 'held by another peer');
  assert.equal(m.deleteIf('a|1', t(9, 9, 9, 9), 'B'), false);
  assert.equal(m.deleteIf('a|1', t(9, 9, 9, 9), 'A'), true);
  // b|1's entry stays in the text table; setting it again replaces it there, not beside it
  assert.equal(m.isFree('b|1', t(9, 9, 9, 9)), false);
  m.set('b|1', t(9, 9, 9, 9), 'B2');
  assert.equal(m.size, 1);
  assert.equal(m.get('b|1', t(9, 9, 9, 9)), 'B2');
  assert.deepEqual(m.values(), ['B2']);
  assert.equal(m.deleteIf('b|1', t(9, 9, 9, 9), 'B2'), true);
  assert.equal(m.size, 0);
  assert.equal(m.isFree('b|1', t(9, 9, 9, 9)), true);
});

test('matches a Map keyed by peer and token under a seeded mix of sets, replaces and deletes', () => {
  let seed = 12345;
  const rnd = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  const m = new PeerTokenMap<number>();
  const model = new Map<string, number>();
  const peers = ['a|1', 'b|1', 'c|2'];
  // few distinct tokens (of 0, 1, 4 and 8 bytes), so peers share them often
  const tokens = [t(), t(1), t(2), t(0, 1), t(1, 2, 3, 4), t(1, 2, 3, 4, 5, 6, 7, 8)];
  const id = (p: string, tk: Uint8Array): string => `${p}/${tk.join(',')}`;
  for (let step = 0; step < 20_000; step++) {
    const p = peers[rnd(peers.length)]!;
    const tk = tokens[rnd(tokens.length)]!;
    const k = id(p, tk);
    const op = rnd(4);
    if (op < 2) {
      m.set(p, tk, step);
      model.set(k, step);
    } else if (op === 2) {
      const v = rnd(2) === 0 ? (model.get(k) ?? -1) : -2;
      const want = model.get(k) === v;
      assert.equal(m.deleteIf(p, tk, v), want, `step ${step}`);
      if (want) model.delete(k);
    }
    assert.equal(m.get(p, tk), model.get(k), `step ${step}`);
    assert.equal(m.size, model.size, `step ${step}`);
    // another peer's hold counts for tokens with a numeric key only (longer ones are keyed by peer anyway)
    const heldElsewhere = tokenNumber(tk) >= 0 && peers.some((q) => q !== p && model.has(id(q, tk)));
    // free: not held by this peer (another may hold it, in the text table); not free: held by someone
    if (m.isFree(p, tk)) assert.ok(!model.has(k), `step ${step}`);
    else assert.ok(model.has(k) || heldElsewhere, `step ${step}`);
  }
  assert.deepEqual(
    m.values().sort((x, y) => x - y),
    [...model.values()].sort((x, y) => x - y),
  );
});

test('numeric token keys tell lengths and bytes apart', () => {
  const keys = [t(), t(0), t(0, 0), t(1), t(0, 1), t(1, 0), t(0xff, 0xff, 0xff, 0xff, 0xff, 0xff)].map(
    tokenNumber,
  );
  assert.equal(new Set(keys).size, keys.length);
  assert.ok(keys.every((k) => Number.isSafeInteger(k) && k >= 0));
  assert.equal(tokenNumber(t(1, 2, 3, 4, 5, 6, 7)), -1, 'longer tokens have no numeric key');
});
