import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkUplinkIdentity, identityMatches } from '../../src/lwm2m/checkUplinkIdentity.js';
import type { SecurityInfo } from '../../src/lwm2m/SecurityInfo.js';
import type { PeerIdentity } from '../../src/transport/Peer.js';

const info: SecurityInfo = { endpoint: 'dev-1', kind: 'psk', identity: 'id-1', key: new Uint8Array(16) };
const rpk: SecurityInfo = { endpoint: 'dev-1', kind: 'rpk', publicKey: Uint8Array.from([1, 2, 3]) };
const x509: SecurityInfo = { endpoint: 'dev-1', kind: 'x509' };
const pskPeer = (identity: string): PeerIdentity => ({ kind: 'psk', identity });
const open = { requireSecurity: false };
const strict = { requireSecurity: true };

test('identityMatches compares PSK identities octet for octet', () => {
  assert.equal(identityMatches(info, pskPeer('id-1')), true);
  assert.equal(identityMatches(info, pskPeer('ID-1')), false);
  assert.equal(identityMatches(info, pskPeer('id-1 ')), false);
  // U+00E9 and e + U+0301 look alike but are different octets: no normalization.
  const nfc: SecurityInfo = { ...info, identity: '\u00e9' };
  assert.equal(identityMatches(nfc, pskPeer('e\u0301')), false);
  assert.equal(identityMatches(info, { kind: 'rpk', publicKey: new Uint8Array(1) }), false);
});

test('identityMatches compares raw public keys and certificate common names', () => {
  assert.equal(identityMatches(rpk, { kind: 'rpk', publicKey: Uint8Array.from([1, 2, 3]) }), true);
  assert.equal(identityMatches(rpk, { kind: 'rpk', publicKey: Uint8Array.from([1, 2]) }), false);
  assert.equal(identityMatches(rpk, pskPeer('dev-1')), false);
  assert.equal(identityMatches(x509, { kind: 'x509', subject: 'CN=dev-1', commonName: 'dev-1' }), true);
  assert.equal(identityMatches(x509, { kind: 'x509', subject: 'CN=dev-2', commonName: 'dev-2' }), false);
  assert.equal(identityMatches(x509, { kind: 'x509', subject: 'O=dev-1' }), false);
  assert.equal(identityMatches(x509, pskPeer('dev-1')), false);
});

test('a certificate names the endpoint by its CN or, liberally, by a subjectAltName DNS or URI entry', () => {
  const cert = (commonName: string | undefined, subjectAltNames?: string[]): PeerIdentity => ({
    kind: 'x509',
    subject: commonName ? `CN=${commonName}` : 'O=acme',
    ...(commonName ? { commonName } : {}),
    ...(subjectAltNames ? { subjectAltNames } : {}),
  });
  assert.equal(identityMatches(x509, cert('gateway-7', ['dev-1'])), true, 'a SAN equal to the endpoint');
  assert.equal(identityMatches(x509, cert(undefined, ['other', 'dev-1'])), true, 'no CN, SAN matches');
  const urn: SecurityInfo = { endpoint: 'urn:imei:490154203237518', kind: 'x509' };
  assert.equal(identityMatches(urn, cert(undefined, ['urn:imei:490154203237518'])), true, 'a URI SAN');
  assert.equal(identityMatches(x509, cert('gateway-7', ['dev-10', 'DEV-1', 'dev-1.example'])), false);
  assert.equal(identityMatches(x509, cert('Dev-1')), false, 'no case folding');
  assert.equal(identityMatches(x509, cert(undefined, [])), false);
  const v = checkUplinkIdentity('dev-1', cert('dev-2', ['dev-3']), x509, open);
  assert.ok(v !== 'ok');
  assert.deepEqual([v.kind, v.coapCode], ['mismatch', 0x80]);
  assert.match(v.reason, /certificate "CN=dev-2"/);
});

test("a secured uplink with the endpoint's own identity is accepted, whatever the policy", () => {
  assert.equal(checkUplinkIdentity('dev-1', pskPeer('id-1'), info, open), 'ok');
  assert.equal(checkUplinkIdentity('dev-1', pskPeer('id-1'), info, strict), 'ok');
});

test('a secured uplink with another identity is a mismatch (4.00)', () => {
  const v = checkUplinkIdentity('dev-1', pskPeer('id-2'), info, strict);
  assert.ok(v !== 'ok');
  assert.equal(v.kind, 'mismatch');
  assert.equal(v.coapCode, 0x80);
  assert.match(v.reason, /"id-2".*"dev-1"/);
});

test('a secured uplink for an endpoint without credentials is unknown (4.03)', () => {
  const v = checkUplinkIdentity('dev-9', pskPeer('id-1'), undefined, open);
  assert.ok(v !== 'ok');
  assert.deepEqual([v.kind, v.coapCode], ['unknown', 0x83]);
});

test('a NoSec uplink for an endpoint that has credentials is forbidden (4.03)', () => {
  const v = checkUplinkIdentity('dev-1', undefined, info, open);
  assert.ok(v !== 'ok');
  assert.deepEqual([v.kind, v.coapCode], ['forbidden', 0x83]);
  assert.match(v.reason, /psk credentials/);
});

test('a NoSec uplink without credentials passes unless the policy requires security (4.03)', () => {
  assert.equal(checkUplinkIdentity('dev-9', undefined, undefined, open), 'ok');
  const v = checkUplinkIdentity('dev-9', undefined, undefined, strict);
  assert.ok(v !== 'ok');
  assert.deepEqual([v.kind, v.coapCode], ['forbidden', 0x83]);
});
