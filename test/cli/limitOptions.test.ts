// Issue 12: the limit flags of `lwm2m server` reach the server's options; bad values are refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseServerArgs } from '../../src/cli/serverCommand.js';
import { limitServerOptions } from '../../src/cli/limitOptions.js';

test('limit flags become server limits; unset ones keep the library defaults', () => {
  const o = parseServerArgs([
    '--max-registrations',
    '5000',
    '--registrations-per-second',
    '2.5',
    '--max-observations-per-client',
    '8',
    '--max-notifications-per-second',
    '100',
    '--max-peers',
    '9000',
  ]);
  const options = limitServerOptions(o);
  assert.deepEqual(options.limits, {
    maxRegistrations: 5000,
    registrationsPerSecondPerSource: 2.5,
    maxObservationsPerClient: 8,
    maxNotificationsPerSecond: 100,
  });
  assert.deepEqual(options.coap, { limits: { maxPeers: 9000 } });
  assert.deepEqual(limitServerOptions(parseServerArgs([])).coap, {});
  assert.throws(() => parseServerArgs(['--max-registrations', '0']), /must be a number > 0/);
});
