// The Execute argument list of Core TS 1.1.1 5.4.5, as a table of accepted and refused texts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { executeArgumentsProblem, parseExecuteArguments } from '../../src/lwm2m/executeArguments.js';
import { InvalidRequestError } from '../../src/lwm2m/requestErrors.js';
import * as req from '../../src/lwm2m/requests.js';

const accepted: [string, { digit: number; value?: string }[]][] = [
  ['', []],
  ['0', [{ digit: 0 }]],
  ["0='a',1", [{ digit: 0, value: 'a' }, { digit: 1 }]],
  ["9=''", [{ digit: 9, value: '' }]],
  ["2='http://x/y?a=1&b=#',5", [{ digit: 2, value: 'http://x/y?a=1&b=#' }, { digit: 5 }]],
  ["3='!~[]'", [{ digit: 3, value: '!~[]' }]],
  ['1,1', [{ digit: 1 }, { digit: 1 }]], // the grammar does not forbid a digit twice
];

const refused = [
  'a', // not a digit
  '10', // one digit only
  '0=a', // value without quotes
  "0='a", // unterminated
  "0='a b'", // space is no argchar
  `0='a"b'`, // nor the double quote
  "0='a\\b'", // nor the backslash
  "0='é'", // nor anything past ASCII
  '0,', // a trailing comma
  ',0',
  '0,,1',
  ' 0',
  '0 ',
  "0='a'1",
  '0=',
  "0=''''",
];

test('parses argument lists that follow the grammar', () => {
  for (const [text, args] of accepted) assert.deepEqual(parseExecuteArguments(text), args, text);
});

test('refuses any other text with InvalidRequestError (4.00) naming the offset', () => {
  for (const text of refused) {
    assert.throws(() => parseExecuteArguments(text), InvalidRequestError, text);
    assert.match(executeArgumentsProblem(text) ?? '', /at offset \d+/, text);
  }
  assert.equal(new InvalidRequestError('x').coapCode, 0x80);
  assert.equal(executeArgumentsProblem("0='a',1"), undefined);
});

test('an Execute request cannot be built with arguments off the grammar', () => {
  assert.equal(req.execute('/3/0/4', "0='a',1").arguments, "0='a',1");
  for (const text of refused) assert.throws(() => req.execute('/3/0/4', text), InvalidRequestError, text);
});
