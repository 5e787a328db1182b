import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Lwm2mPath, InvalidPathError } from '../../src/lwm2m/Lwm2mPath.js';

test('parses and formats paths of every length', () => {
  for (const s of ['/', '/3', '/3/0', '/3/0/1', '/3/0/7/1']) assert.equal(Lwm2mPath.parse(s).toString(), s);
  assert.equal(Lwm2mPath.parse('3/0/').toString(), '/3/0');
  assert.equal(Lwm2mPath.parse('/3/0/7/1').resourceInstanceId, 1);
});

test('rejects malformed paths with InvalidPathError', () => {
  for (const s of ['//', '/a', '/3//1', '/-1', '/+1', '/65535', '/1/2/3/4/5', '/3/0x1', '/ 3']) {
    assert.throws(() => Lwm2mPath.parse(s), InvalidPathError, s);
  }
  assert.throws(() => Lwm2mPath.of(1, 2, 3, 4, 5), InvalidPathError);
  assert.throws(() => Lwm2mPath.of(1.5), InvalidPathError);
});

test('orders parents before children and relates ancestors', () => {
  const p = (s: string) => Lwm2mPath.parse(s);
  const sorted = ['/3/0/1', '/3', '/1/0', '/3/0'].map(p).sort((a, b) => a.compareTo(b));
  assert.deepEqual(sorted.map(String), ['/1/0', '/3', '/3/0', '/3/0/1']);
  assert.ok(p('/3').isAncestorOf(p('/3/0/1')));
  assert.ok(!p('/3/0').isAncestorOf(p('/3/0')));
  assert.ok(p('/3/0/1').startsWith(p('/3/0')));
  assert.ok(!p('/30/0').startsWith(p('/3')));
  assert.equal(p('/3/0/1').parent().toString(), '/3/0');
  assert.equal(Lwm2mPath.ROOT.parent().toString(), '/');
  assert.equal(p('/3/0').child(5).toString(), '/3/0/5');
});

test('parsing the same text twice gives the same path; its text is kept without changing equality', () => {
  const a = Lwm2mPath.parse('/3/0/1');
  assert.equal(Lwm2mPath.parse('/3/0/1'), a);
  assert.equal(a.toString(), '/3/0/1');
  assert.deepEqual(a, Lwm2mPath.parse('3/0/1/'), 'toString() memo is not an own property');
  assert.throws(() => Lwm2mPath.parse('/3/x'), /not an id/);
  assert.throws(() => Lwm2mPath.parse('/3/x'), /not an id/, 'an invalid text is not cached');
});
