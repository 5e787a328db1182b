// The commands' log (issue 12 item 11): pino JSON lines with ISO times and level names, the
// pretty rendering, levels that filter, and secrets that never reach a line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '../../src/cli/logger.js';
import { prettyLine } from '../../src/cli/prettyLine.js';
import { captureLog } from '../support/captureLog.js';

test('json format: one object per line with an ISO time, a level name and the fields', () => {
  const { log, lines, entries } = captureLog('info');
  log.info({ endpoint: 'dev-1', regId: 'a1' }, 'registered');
  assert.equal(lines.length, 1);
  assert.ok(lines[0]!.endsWith('\n'));
  const [e] = entries();
  assert.match(String(e!.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.deepEqual(
    { ...e, time: undefined },
    {
      level: 'info',
      time: undefined,
      endpoint: 'dev-1',
      regId: 'a1',
      msg: 'registered',
    },
  );
});

test('the level filters: debug lines are dropped at info, everything at silent', () => {
  const info = captureLog('info');
  info.log.debug('traffic');
  info.log.warn('refused');
  assert.deepEqual(
    info.entries().map((e) => e.level),
    ['warn'],
  );
  const silent = captureLog('silent');
  silent.log.error('boom');
  assert.equal(silent.lines.length, 0);
});

test('secret-looking fields are redacted at the top level and one level down', () => {
  const { log, lines } = captureLog('info');
  log.info({ secretKey: 'c2VjcmV0', config: { psk: 'abcd', key: 'k' }, endpoint: 'e' }, 'x');
  assert.ok(!/c2VjcmV0|abcd|"k"/.test(lines[0]!), lines[0]);
  assert.match(lines[0]!, /"secretKey":"\[redacted\]"/);
});

test('pretty format: time of day, padded level, message, then key=value fields', () => {
  const out: string[] = [];
  const log = createLogger({
    level: 'info',
    format: 'pretty',
    destination: { write: (l: string) => out.push(l) },
  });
  log.warn({ operation: 'register', source: '10.0.0.1:5683', reason: 'too many' }, 'registration rejected');
  assert.match(
    out[0]!,
    /^\d\d:\d\d:\d\d\.\d{3} WARN {2}registration rejected operation=register source=10\.0\.0\.1:5683 reason="too many"\n$/,
  );
});

test('prettyLine passes a line that is not a JSON object through unchanged', () => {
  assert.equal(prettyLine('not json'), 'not json\n');
  assert.equal(prettyLine('[1]\n'), '[1]\n');
});
