// HelloVerifyRequest cookies (RFC 6347 4.2.1): the same ClientHello from the same address gets a
// cookie that verifies for one to two rotation periods on the injected clock; any change of
// address, port or bound field gives a different cookie; a secret two periods old is forgotten.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COOKIE_LENGTH, CookieJar } from '../../../src/transport/dtls/cookie/CookieJar.js';
import { decodeClientHello } from '../../../src/transport/dtls/handshake/messages/ClientHello.js';
import { HandshakeType } from '../../../src/transport/dtls/handshake/messages/HandshakeHeader.js';
import { ManualClock } from '../../support/ManualClock.js';
import { bodiesOf } from './captureMessages.js';

const hellos = bodiesOf(HandshakeType.clientHello).map((b) => decodeClientHello(b));
const [first, second] = hellos;
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

test('a cookie verifies for the same address, port and ClientHello parameters', () => {
  const jar = new CookieJar({ clock: new ManualClock() });
  const cookie = jar.cookieFor('192.0.2.1', 5684, first!);
  assert.equal(cookie.length, COOKIE_LENGTH);
  assert.equal(
    toHex(jar.cookieFor('192.0.2.1', 5684, first!)),
    toHex(cookie),
    'stateless: same inputs, same cookie',
  );
  // the second ClientHello repeats the parameters (it only adds the cookie): it verifies
  assert.ok(jar.verify(cookie, '192.0.2.1', 5684, second!));
});

test('another address, port or any bound ClientHello field changes the cookie', () => {
  const jar = new CookieJar({ clock: new ManualClock() });
  const cookie = jar.cookieFor('192.0.2.1', 5684, first!);
  const random = Uint8Array.from(first!.random);
  random[31]! ^= 1;
  const variants = [
    ['192.0.2.2', 5684, first!],
    ['192.0.2.1', 5685, first!],
    ['192.0.2.1', 5684, { ...first!, clientVersion: 0xfeff }],
    ['192.0.2.1', 5684, { ...first!, random }],
    ['192.0.2.1', 5684, { ...first!, sessionId: Uint8Array.of(1) }],
    ['192.0.2.1', 5684, { ...first!, cipherSuites: [0xc0a8, 0x00ae] }],
    ['192.0.2.1', 5684, { ...first!, compressionMethods: Uint8Array.of(0, 1) }],
  ] as const;
  for (const [address, port, hello] of variants) {
    assert.equal(jar.verify(cookie, address, port, hello), false, `${address}:${port}`);
  }
});

test('a cookie made in one period verifies in the next and not in the one after', () => {
  const clock = new ManualClock();
  const jar = new CookieJar({ clock, rotationMs: 60_000 });
  const cookie = jar.cookieFor('192.0.2.1', 5684, first!);
  clock.advance(59_999);
  assert.ok(jar.verify(cookie, '192.0.2.1', 5684, first!));
  clock.advance(1); // rotation: the cookie's secret is now the previous one
  assert.ok(jar.verify(cookie, '192.0.2.1', 5684, first!));
  assert.notEqual(toHex(jar.cookieFor('192.0.2.1', 5684, first!)), toHex(cookie));
  clock.advance(60_000); // second rotation: forgotten
  assert.equal(jar.verify(cookie, '192.0.2.1', 5684, first!), false);
});

test('after a long silence both secrets are new: an old cookie does not verify', () => {
  const clock = new ManualClock();
  const jar = new CookieJar({ clock });
  const cookie = jar.cookieFor('192.0.2.1', 5684, first!);
  clock.advance(3_600_000);
  assert.equal(jar.verify(cookie, '192.0.2.1', 5684, first!), false);
});

test('cookies of another length, or from another jar, never verify', () => {
  const jar = new CookieJar({ clock: new ManualClock() });
  const other = new CookieJar({ clock: new ManualClock() });
  const cookie = jar.cookieFor('192.0.2.1', 5684, first!);
  assert.equal(other.verify(cookie, '192.0.2.1', 5684, first!), false);
  assert.equal(jar.verify(cookie.subarray(0, 20), '192.0.2.1', 5684, first!), false);
  assert.equal(jar.verify(new Uint8Array(0), '192.0.2.1', 5684, first!), false);
  assert.throws(() => new CookieJar({ clock: new ManualClock(), rotationMs: 0 }), RangeError);
});

test('verifyOrIssue accepts a valid cookie and answers any other with the cookie cookieFor gives', () => {
  const clock = new ManualClock();
  const jar = new CookieJar({ clock, random: (n) => new Uint8Array(n).fill(clock.now() % 251) });
  const cookie = jar.cookieFor('192.0.2.1', 5684, first!);
  assert.equal(jar.verifyOrIssue(cookie, '192.0.2.1', 5684, second!), undefined);
  for (const refused of [new Uint8Array(0), cookie.subarray(0, 20), new Uint8Array(32).fill(9)])
    assert.equal(toHex(jar.verifyOrIssue(refused, '192.0.2.1', 5684, first!)!), toHex(cookie));
  // one period later: the old cookie is still good, a refused one gets the new secret's cookie
  clock.advance(60_000);
  assert.equal(jar.verifyOrIssue(cookie, '192.0.2.1', 5684, first!), undefined);
  const fresh = jar.verifyOrIssue(new Uint8Array(0), '192.0.2.1', 5684, first!)!;
  assert.notEqual(toHex(fresh), toHex(cookie));
  assert.equal(toHex(fresh), toHex(jar.cookieFor('192.0.2.1', 5684, first!)));
  // a long IPv6 address and many suites do not fit the scratch buffer's fast path: same result
  const big = { ...first!, cipherSuites: Array.from({ length: 400 }, (_, i) => i) };
  const address = 'fd00:1111:2222:3333:4444:5555:6666:7777';
  assert.ok(jar.verify(jar.cookieFor(address, 1, big), address, 1, big));
});
