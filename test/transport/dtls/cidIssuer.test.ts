// CidIssuer: CIDs of the configured length from the injected random source, never one in use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CidIssuer, cidHex } from '../../../src/transport/dtls/connection/CidIssuer.js';

test('issues CIDs of the configured length and skips those already taken', () => {
  const draws = [Uint8Array.of(1, 1), Uint8Array.of(1, 1), Uint8Array.of(2, 2)];
  const taken = new Set<string>();
  const issuer = new CidIssuer(
    2,
    () => draws.shift()!,
    (hex) => taken.has(hex),
  );
  const first = issuer.issue()!;
  assert.equal(cidHex(first), '0101');
  taken.add(cidHex(first));
  assert.equal(cidHex(issuer.issue()!), '0202', 'the colliding draw is skipped');
});

test('gives up (no CID) when every draw collides, and refuses lengths outside 1..255', () => {
  const issuer = new CidIssuer(
    1,
    () => Uint8Array.of(7),
    () => true,
  );
  assert.equal(issuer.issue(), undefined);
  assert.throws(
    () =>
      new CidIssuer(
        0,
        () => new Uint8Array(0),
        () => false,
      ),
    RangeError,
  );
  assert.throws(
    () =>
      new CidIssuer(
        256,
        () => new Uint8Array(0),
        () => false,
      ),
    RangeError,
  );
});
