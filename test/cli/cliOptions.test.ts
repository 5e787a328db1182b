import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidArgumentError } from 'commander';
import { portOption, serveUntilSignal } from '../../src/cli/cliOptions.js';

test('portOption accepts 0..65535 and rejects anything else', () => {
  assert.equal(portOption('0'), 0);
  assert.equal(portOption('5683'), 5683);
  assert.equal(portOption('65535'), 65535);
  for (const bad of ['65536', '-1', '12a', '', '1.5', '123456'])
    assert.throws(() => portOption(bad), InvalidArgumentError, bad);
});

test('serveUntilSignal reports a failed start as "lwm2m <name>: message" with exit code 2', async (t) => {
  const errors: string[] = [];
  t.mock.method(console, 'error', (m: string) => void errors.push(m));
  const before = process.exitCode;
  try {
    await serveUntilSignal('server', () => Promise.reject(new Error('address in use')));
    assert.deepEqual(errors, ['lwm2m server: address in use']);
    assert.equal(process.exitCode, 2);
  } finally {
    process.exitCode = before;
  }
});
