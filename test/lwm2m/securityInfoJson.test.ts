import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidSecurityInfoError, type SecurityInfo } from '../../src/lwm2m/SecurityInfo.js';
import {
  decodeSecurityInfoFile,
  parseSecurityInfoFile,
  parseSecurityInfoJson,
  redactedSecurityInfoJson,
  securityInfoFileToJson,
  securityInfoToJson,
} from '../../src/lwm2m/securityInfoJson.js';

const psk: SecurityInfo = {
  endpoint: 'dev-1',
  kind: 'psk',
  identity: 'dev-1-id',
  key: Uint8Array.from([0x00, 0x11, 0xaa, 0xff]),
};

/** Asserts that `fn` throws InvalidSecurityInfoError on `field`. */
function failsOn(fn: () => unknown, field: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof InvalidSecurityInfoError, String(e));
    assert.equal(e.field, field, e.message);
    return true;
  });
}

test('reads PSK, RPK and X.509 credentials of one endpoint (hex in either case)', () => {
  assert.deepEqual(parseSecurityInfoJson('dev-1', { psk: { identity: 'dev-1-id', key: '0011AAff' } }), psk);
  assert.deepEqual(parseSecurityInfoJson('e', { rpk: { publicKey: '3059' } }), {
    endpoint: 'e',
    kind: 'rpk',
    publicKey: Uint8Array.from([0x30, 0x59]),
  });
  assert.deepEqual(parseSecurityInfoJson('e', { x509: {} }), { endpoint: 'e', kind: 'x509' });
});

test('names the field of every error in a REST body', () => {
  const p = (json: unknown) => () => parseSecurityInfoJson('e', json);
  failsOn(p([]), '');
  failsOn(p({}), '');
  failsOn(p({ psk: { identity: 'a', key: '00' }, x509: {} }), '');
  failsOn(p({ oscore: {} }), 'oscore');
  failsOn(p({ psk: null }), 'psk');
  failsOn(p({ psk: { identity: 'a', key: '00', hint: 'x' } }), 'psk.hint');
  failsOn(p({ psk: { key: '00' } }), 'psk.identity');
  failsOn(p({ psk: { identity: '', key: '00' } }), 'psk.identity');
  failsOn(p({ psk: { identity: 'x'.repeat(129), key: '00' } }), 'psk.identity');
  failsOn(p({ psk: { identity: 'a' } }), 'psk.key');
  failsOn(p({ psk: { identity: 'a', key: '' } }), 'psk.key');
  failsOn(p({ psk: { identity: 'a', key: '0g' } }), 'psk.key');
  failsOn(p({ psk: { identity: 'a', key: '001' } }), 'psk.key');
  failsOn(p({ psk: { identity: 'a', key: '00'.repeat(65) } }), 'psk.key');
  failsOn(p({ psk: { identity: 'a', key: 17 } }), 'psk.key');
  failsOn(p({ rpk: { publicKey: 'zz' } }), 'rpk.publicKey');
  failsOn(p({ x509: { cn: 'e' } }), 'x509.cn');
  failsOn(() => parseSecurityInfoJson('', { x509: {} }), 'endpoint');
});

test('reads a credentials file, prefixing errors with the endpoint name', () => {
  const infos = parseSecurityInfoFile({
    'dev-1': { psk: { identity: 'dev-1-id', key: '0011aaff' } },
    'dev-2': { x509: {} },
  });
  assert.deepEqual(infos, [psk, { endpoint: 'dev-2', kind: 'x509' }]);
  failsOn(() => parseSecurityInfoFile({ 'dev-1': { psk: { identity: 'a', key: 'x' } } }), 'dev-1.psk.key');
  failsOn(() => parseSecurityInfoFile({ 'dev-1': 3 }), 'dev-1');
  failsOn(() => parseSecurityInfoFile({ '': { x509: {} } }), 'endpoint');
  failsOn(() => parseSecurityInfoFile([]), '');
});

test('refuses a file that gives one PSK identity to two endpoints', () => {
  const file = {
    a: { psk: { identity: 'same', key: '01' } },
    b: { psk: { identity: 'same', key: '02' } },
  };
  assert.throws(
    () => parseSecurityInfoFile(file),
    /b\.psk\.identity: is already the identity of endpoint "a"/,
  );
});

test('decodes file text and bytes; bad UTF-8 and bad JSON are InvalidSecurityInfoError', () => {
  const text = '{"dev-1":{"psk":{"identity":"dev-1-id","key":"0011aaff"}}}';
  assert.deepEqual(decodeSecurityInfoFile(text), [psk]);
  assert.deepEqual(decodeSecurityInfoFile(new TextEncoder().encode(`\ufeff${text}`)), [psk]);
  failsOn(() => decodeSecurityInfoFile('{"dev-1":'), '');
  failsOn(() => decodeSecurityInfoFile(Uint8Array.from([0x7b, 0xff, 0x7d])), '');
});

test('formats what it reads back, and the redacted form has no key', () => {
  const infos: SecurityInfo[] = [
    psk,
    { endpoint: '__proto__', kind: 'rpk', publicKey: Uint8Array.from([1]) },
    { endpoint: 'c', kind: 'x509' },
  ];
  const json = JSON.parse(JSON.stringify(securityInfoFileToJson(infos))) as unknown;
  assert.deepEqual(parseSecurityInfoFile(json), infos);
  assert.deepEqual(securityInfoToJson(psk), { psk: { identity: 'dev-1-id', key: '0011aaff' } });
  assert.deepEqual(redactedSecurityInfoJson(psk), { psk: { identity: 'dev-1-id' } });
  assert.deepEqual(redactedSecurityInfoJson(infos[1]!), { rpk: { publicKey: '01' } });
});
