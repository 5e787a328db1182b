import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  booleanValue,
  coerceValue,
  floatValue,
  formatValueText,
  fromBase64,
  integerValue,
  InvalidValueError,
  objlnkValue,
  opaqueValue,
  parseValueText,
  stringValue,
  timeValue,
  unsignedValue,
  valueFromJs,
  valueMatchesResource,
  valuesEqual,
} from '../../src/lwm2m/values.js';
import { DecodeError } from '../../src/transport/DecodeError.js';
import { testModels } from '../content/testModels.js';

test('integers are numbers when safe and bigints beyond, range-checked to 64 bits', () => {
  assert.equal(integerValue(5n).value, 5);
  assert.equal(integerValue(2n ** 53n).value, 2n ** 53n);
  assert.equal(integerValue(-(2n ** 63n)).value, -(2n ** 63n));
  assert.throws(() => integerValue(2n ** 63n), InvalidValueError);
  assert.throws(() => integerValue(1.5), InvalidValueError);
  assert.throws(() => integerValue(2 ** 60), InvalidValueError); // not exact as a number
  assert.equal(unsignedValue(2n ** 64n - 1n).value, 2n ** 64n - 1n);
  assert.throws(() => unsignedValue(-1), InvalidValueError);
  assert.throws(() => unsignedValue(2n ** 64n), InvalidValueError);
});

test('time values hold whole seconds; objlnk ids are 16-bit', () => {
  assert.equal(timeValue(new Date(1500)).value.getTime(), 1000);
  assert.equal(timeValue(1367491215).value.getTime(), 1367491215000);
  assert.throws(() => objlnkValue(65536, 0), InvalidValueError);
  assert.deepEqual(objlnkValue(65535, 65535).value, { objectId: 65535, instanceId: 65535 });
});

test('valuesEqual compares types and exact values', () => {
  assert.ok(valuesEqual(integerValue(7), integerValue(7n)));
  assert.ok(!valuesEqual(integerValue(7), unsignedValue(7)));
  assert.ok(valuesEqual(opaqueValue(Uint8Array.of(1, 2)), opaqueValue(Uint8Array.of(1, 2))));
  assert.ok(!valuesEqual(opaqueValue(Uint8Array.of(1, 2)), opaqueValue(Uint8Array.of(1, 3))));
  assert.ok(valuesEqual(floatValue(NaN), floatValue(NaN)));
  assert.ok(!valuesEqual(floatValue(0), floatValue(-0)));
  assert.ok(!valuesEqual(objlnkValue(1, 2), objlnkValue(2, 1)));
});

test('text form follows Appendix C: decimal, 0/1, seconds, o:i, base64', () => {
  assert.equal(formatValueText(integerValue(-(2n ** 63n))), '-9223372036854775808');
  assert.equal(formatValueText(booleanValue(true)), '1');
  assert.equal(formatValueText(timeValue(1367491215)), '1367491215');
  assert.equal(formatValueText(objlnkValue(66, 0)), '66:0');
  assert.equal(formatValueText(opaqueValue(Uint8Array.of(1, 2, 3, 4, 5))), 'AQIDBAU=');
  assert.equal(formatValueText(floatValue(1.25)), '1.25');
  assert.ok(valuesEqual(parseValueText('integer', '9223372036854775807'), integerValue(2n ** 63n - 1n)));
  assert.ok(valuesEqual(parseValueText('float', '-1.5e3'), floatValue(-1500)));
  assert.ok(valuesEqual(parseValueText('objlnk', '65535:65535'), objlnkValue(65535, 65535)));
});

test('parseValueText rejects malformed text with DecodeError', () => {
  const bad: [Parameters<typeof parseValueText>[0], string][] = [
    ['integer', '9223372036854775808'],
    ['integer', '1.0'],
    ['integer', ''],
    ['unsignedInteger', '-1'],
    ['float', 'NaN'],
    ['float', '1e'],
    ['float', '1e999'], // beyond the 64-bit range: not silently Infinity (found by the text fuzzer's oracle)
    ['float', '-9.5e+2727'],
    ['boolean', 'true'],
    ['objlnk', '1:65536'],
    ['objlnk', '1:'],
    ['opaque', 'AQIDBAU'],
    ['opaque', 'AQIDBAV='], // non-zero trailing bits
    ['time', 'x'],
  ];
  for (const [type, text] of bad)
    assert.throws(
      () => parseValueText(type, text, 7),
      (e: unknown) => e instanceof DecodeError && e.offset === 7,
      `${type} ${text}`,
    );
  assert.deepEqual(fromBase64('AQIDBAU='), Uint8Array.of(1, 2, 3, 4, 5));
});

test('coerceValue converts losslessly and refuses otherwise', () => {
  assert.ok(valuesEqual(coerceValue(stringValue('42'), 'integer'), integerValue(42)));
  assert.ok(valuesEqual(coerceValue(integerValue(42), 'float'), floatValue(42)));
  assert.ok(valuesEqual(coerceValue(floatValue(42), 'integer'), integerValue(42)));
  assert.ok(valuesEqual(coerceValue(integerValue(1), 'boolean'), booleanValue(true)));
  assert.ok(valuesEqual(coerceValue(timeValue(10), 'integer'), integerValue(10)));
  assert.ok(valuesEqual(coerceValue(objlnkValue(3, 0), 'string'), stringValue('3:0')));
  assert.throws(() => coerceValue(floatValue(1.5), 'integer'), InvalidValueError);
  assert.throws(() => coerceValue(integerValue(2n ** 60n + 1n), 'float'), InvalidValueError);
  assert.throws(() => coerceValue(stringValue('abc'), 'integer'), InvalidValueError);
  assert.throws(() => coerceValue(integerValue(-1), 'unsignedInteger'), InvalidValueError);
});

test('valueFromJs builds typed values from plain JS', () => {
  assert.ok(valuesEqual(valueFromJs('integer', 12), integerValue(12)));
  assert.ok(valuesEqual(valueFromJs('unsignedInteger', 2n ** 64n - 1n), unsignedValue(2n ** 64n - 1n)));
  assert.ok(valuesEqual(valueFromJs('boolean', 0), booleanValue(false)));
  assert.ok(valuesEqual(valueFromJs('time', new Date(5000)), timeValue(5)));
  assert.ok(valuesEqual(valueFromJs('opaque', [1, 2]), opaqueValue(Uint8Array.of(1, 2))));
  assert.ok(valuesEqual(valueFromJs('objlnk', { objectId: 1, instanceId: 2 }), objlnkValue(1, 2)));
  assert.ok(valuesEqual(valueFromJs('objlnk', '1:2'), objlnkValue(1, 2)));
  assert.ok(valuesEqual(valueFromJs('float', 2.5), floatValue(2.5)));
  assert.throws(() => valueFromJs('boolean', 'yes'), InvalidValueError);
  assert.throws(() => valueFromJs('opaque', [256]), InvalidValueError);
  assert.throws(() => valueFromJs('string', 3), InvalidValueError);
});

test('valueMatchesResource checks the model type', () => {
  const battery = testModels.getObject(3)!.resources.get(9)!;
  const reboot = testModels.getObject(3)!.resources.get(4)!;
  assert.ok(valueMatchesResource(integerValue(100), battery));
  assert.ok(!valueMatchesResource(stringValue('100'), battery));
  assert.ok(!valueMatchesResource(stringValue(''), reboot));
});
