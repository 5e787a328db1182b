// The JSON column of a registration row (registrationRows.ts): written out directly as a string,
// it must stay valid JSON with the same fields, and read back to an equal registration.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Registration } from '../../../src/lwm2m/Registration.js';
import {
  decodeRegistration,
  encodeRegistration,
  RegistrationObjectsInterner,
} from '../../../src/store/sqlite/registrationRows.js';
import { makePeer } from '../../../src/transport/Peer.js';
import { comparable, makeRegistration } from '../storeFixtures.js';

const roundTrip = (reg: Registration): Registration =>
  decodeRegistration(reg.id, reg.endpoint, encodeRegistration(reg), new RegistrationObjectsInterner());

test('a plain registration: the fields of the stored record, and an equal registration read back', () => {
  const reg = makeRegistration({ id: 'a', endpoint: 'ep-a', address: '10.0.0.1', port: 7, now: 1_000 });
  assert.deepEqual(JSON.parse(encodeRegistration(reg)), {
    lt: 60,
    v: '1.1',
    b: 'U',
    q: false,
    o: JSON.stringify([
      '/',
      [
        [1, null, [0]],
        [3, null, [0]],
        [3303, null, [0]],
      ],
      [],
    ]),
    a: '10.0.0.1',
    p: 7,
    r: 1_000,
    u: 1_000,
    x: 61_000,
  });
  assert.deepEqual(comparable(roundTrip(reg)), comparable(reg));
});

test('optional fields and characters JSON must escape survive the round trip', () => {
  const base = makeRegistration({
    id: 'b',
    endpoint: 'ep-b',
    lifetime: 0,
    lwm2m: '1.2',
    query: ['b=US', 'Q', 'sms=33612', 'x=quote " back \\ tab \t é \u2028'],
    payload: '</>;rt="oma.lwm2m";ct=11543,</1>;ver=1.1,</1/0>,</3/0>',
  });
  const identities = [
    { kind: 'psk', identity: 'dev "b"' },
    { kind: 'rpk', publicKey: Uint8Array.of(4, 1, 2, 255) },
    { kind: 'x509', subject: 'CN=dev-b, O="x"', commonName: 'dev-b' },
    { kind: 'x509', subject: 'CN=dev-c' },
  ] as const;
  for (const identity of identities) {
    const reg: Registration = { ...base, peer: makePeer('::1', 5684, identity) };
    const record = encodeRegistration(reg);
    assert.doesNotThrow(() => JSON.parse(record), record);
    assert.deepEqual(comparable(roundTrip(reg)), comparable(reg), identity.kind);
  }
  assert.equal(JSON.parse(encodeRegistration(base)).x, null, 'never expires');
});

test('rows with the same object links share one decoded RegistrationObjects, re-encoded as it was read', () => {
  const interner = new RegistrationObjectsInterner();
  const a = makeRegistration({ id: 'a', endpoint: 'a' });
  const b = makeRegistration({ id: 'b', endpoint: 'b' });
  const ra = decodeRegistration('a', 'a', encodeRegistration(a), interner);
  const rb = decodeRegistration('b', 'b', encodeRegistration(b), interner);
  assert.equal(ra.objectLinks, rb.objectLinks);
  assert.equal(encodeRegistration(ra), encodeRegistration(a));
});
