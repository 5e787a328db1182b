// The suite table and the server's choice: CCM_8 preferred, CBC only when enabled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CIPHER_SUITES,
  DEFAULT_CERTIFICATE_SUITES,
  DEFAULT_CIPHER_SUITES,
  keyBlockLength,
  selectSuite,
  suiteById,
  TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8,
  TLS_EMPTY_RENEGOTIATION_INFO_SCSV,
  TLS_PSK_WITH_AES_128_CBC_SHA256,
  TLS_PSK_WITH_AES_128_CCM_8,
} from '../../../src/transport/dtls/suites.js';

test('CCM_8 is on by default (PSK; ECDHE_ECDSA for certificate credentials) and CBC-SHA256 is off', () => {
  assert.deepEqual(
    DEFAULT_CIPHER_SUITES.map((s) => s.id),
    [0xc0a8],
  );
  assert.deepEqual(
    CIPHER_SUITES.map((s) => s.id),
    [0xc0a8, 0xc0ae, 0x00ae, 0xc023],
  );
  assert.deepEqual(
    DEFAULT_CERTIFICATE_SUITES.map((s) => s.id),
    [0xc0ae],
  );
});

test('the key block is 40 bytes for CCM_8 and 96 for CBC-SHA256', () => {
  assert.equal(keyBlockLength(TLS_PSK_WITH_AES_128_CCM_8), 40);
  assert.equal(keyBlockLength(TLS_PSK_WITH_AES_128_CBC_SHA256), 96);
});

test('the server picks its own preference among the offered suites, ignoring unknown ones', () => {
  const both = [TLS_PSK_WITH_AES_128_CCM_8, TLS_PSK_WITH_AES_128_CBC_SHA256];
  assert.equal(
    selectSuite([0x00ae, 0xc0a8, TLS_EMPTY_RENEGOTIATION_INFO_SCSV], both),
    TLS_PSK_WITH_AES_128_CCM_8,
  );
  assert.equal(selectSuite([0x00ae], both), TLS_PSK_WITH_AES_128_CBC_SHA256);
  assert.equal(selectSuite([0x00ae]), undefined, 'CBC is not chosen unless enabled');
  assert.equal(selectSuite([0xc0ae, 0x1301]), undefined, 'no certificate suite unless enabled');
  assert.equal(selectSuite([0xc0ae, 0xc0a8], DEFAULT_CERTIFICATE_SUITES), TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8);
  assert.equal(suiteById(0xc0a8), TLS_PSK_WITH_AES_128_CCM_8);
  assert.equal(suiteById(0xc0ae), TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8);
  assert.equal(suiteById(0xc0ac), undefined);
});
