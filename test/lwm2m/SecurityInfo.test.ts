import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  copySecurityInfo,
  InvalidSecurityInfoError,
  redactSecurityInfo,
  validateSecurityInfo,
  type SecurityInfo,
} from '../../src/lwm2m/SecurityInfo.js';

const psk = (identity: string, key: Uint8Array = new Uint8Array(16).fill(7)): SecurityInfo => ({
  endpoint: 'dev-1',
  kind: 'psk',
  identity,
  key,
});

/** Asserts that validating `info` fails on `field`. */
function rejects(info: unknown, field: string): void {
  assert.throws(
    () => validateSecurityInfo(info as SecurityInfo),
    (e: unknown) => e instanceof InvalidSecurityInfoError && e.field === field && e.coapCode === 0x80,
    `expected an error on ${JSON.stringify(field)}`,
  );
}

test('accepts PSK identities of 1 to 128 UTF-8 bytes and keys of 1 to 64 bytes', () => {
  for (const info of [
    psk('a', new Uint8Array(1)),
    psk('x'.repeat(128), new Uint8Array(64)),
    psk('é'.repeat(64)),
    psk('🔑 identity'),
    { endpoint: 'dev-1', kind: 'rpk', publicKey: new Uint8Array(91) } as const,
    { endpoint: 'dev-1', kind: 'x509' } as const,
  ])
    assert.equal(validateSecurityInfo(info), info);
});

test('rejects an empty, too long or non-UTF-8 PSK identity', () => {
  rejects(psk(''), 'identity');
  rejects(psk('x'.repeat(129)), 'identity');
  rejects(psk('é'.repeat(65)), 'identity'); // 65 characters but 130 bytes
  rejects(psk('ab\ud800cd'), 'identity');
  rejects({ ...psk('a'), identity: 42 }, 'identity');
});

test('rejects an empty, too long or non-byte key', () => {
  rejects(psk('a', new Uint8Array(0)), 'key');
  rejects(psk('a', new Uint8Array(65)), 'key');
  rejects({ ...psk('a'), key: 'secret' }, 'key');
  rejects({ endpoint: 'e', kind: 'rpk', publicKey: new Uint8Array(0) }, 'publicKey');
  rejects({ endpoint: 'e', kind: 'rpk', publicKey: new Uint8Array(1025) }, 'publicKey');
});

test('rejects a bad endpoint name, an unknown kind and fields of another kind', () => {
  rejects({ ...psk('a'), endpoint: '' }, 'endpoint');
  rejects({ ...psk('a'), endpoint: 'a\nb' }, 'endpoint');
  rejects({ ...psk('a'), endpoint: 'x'.repeat(1025) }, 'endpoint');
  rejects({ ...psk('a'), endpoint: 7 }, 'endpoint');
  rejects({ ...psk('a'), kind: 'oscore' }, 'kind');
  rejects({ ...psk('a'), kind: 'toString' }, 'kind');
  rejects({ ...psk('a'), publicKey: new Uint8Array(1) }, 'publicKey');
  rejects({ endpoint: 'e', kind: 'x509', identity: 'a' }, 'identity');
  rejects(null, '');
});

test('the redacted view never carries the key', () => {
  const info = psk('id-1', Uint8Array.from([0xde, 0xad, 0xbe, 0xef]));
  const view = redactSecurityInfo(info);
  assert.deepEqual(view, { endpoint: 'dev-1', kind: 'psk', identity: 'id-1' });
  assert.ok(!JSON.stringify(view).includes('dead') && !('key' in view));
  assert.deepEqual(redactSecurityInfo({ endpoint: 'e', kind: 'rpk', publicKey: Uint8Array.from([1, 2]) }), {
    endpoint: 'e',
    kind: 'rpk',
    publicKey: '0102',
  });
  assert.deepEqual(redactSecurityInfo({ endpoint: 'e', kind: 'x509' }), { endpoint: 'e', kind: 'x509' });
});

test('a copy owns its bytes', () => {
  const key = Uint8Array.from([1, 2, 3]);
  const copy = copySecurityInfo(psk('a', key));
  key[0] = 9;
  assert.deepEqual(copy, psk('a', Uint8Array.from([1, 2, 3])));
  const pub = Uint8Array.from([4]);
  const rpk = copySecurityInfo({ endpoint: 'e', kind: 'rpk', publicKey: pub });
  pub[0] = 5;
  assert.deepEqual(rpk, { endpoint: 'e', kind: 'rpk', publicKey: Uint8Array.from([4]) });
  assert.deepEqual(copySecurityInfo({ endpoint: 'e', kind: 'x509' }), { endpoint: 'e', kind: 'x509' });
});
