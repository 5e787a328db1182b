// Issue 12: the limit flags of `lwm2m server` reach the server's options; bad values are refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseServerArgs } from '../../src/cli/serverCommand.js';
import { limitLine, limitServerOptions } from '../../src/cli/limitOptions.js';

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

test('a limit event prints as one line with its counts', () => {
  assert.equal(
    limitLine({ limit: 'registrationRate', hits: 12, total: 40, max: 10, source: '198.51.100.7' }),
    'limit registrationRate (max 10) refused 12 since the last report, 40 in all (last from 198.51.100.7)',
  );
});
