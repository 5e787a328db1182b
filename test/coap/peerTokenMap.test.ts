// Tests of PeerTokenMap, the (peer, token) index of outstanding exchanges (RFC 7252 5.3.2):
// token length matters, long tokens work, peers are separate, deletes check the value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PeerTokenMap, tokenKey } from '../../src/coap/PeerTokenMap.js';

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
