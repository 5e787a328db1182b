import { test } from 'node:test';
import assert from 'node:assert/strict';
import { textCodec } from '../../src/content/text/TextCodec.js';
import { UnsupportedContentFormatError } from '../../src/lwm2m/errors.js';
import { Lwm2mPath } from '../../src/lwm2m/Lwm2mPath.js';
import { instance, multipleResource, nodesEqual, resource, resourceInstance } from '../../src/lwm2m/nodes.js';
import {
  floatValue,
  integerValue,
  objlnkValue,
  opaqueValue,
  stringValue,
  timeValue,
} from '../../src/lwm2m/values.js';
import { DecodeError } from '../../src/transport/DecodeError.js';
import { noModels, testModels } from './testModels.js';

const enc = new TextEncoder();
const dec = new TextDecoder();
const p = (s: string) => Lwm2mPath.parse(s);

test('encodes and decodes single values as the Appendix C text forms', () => {
  const cases: [string, string, ReturnType<typeof resource> | ReturnType<typeof resourceInstance>][] = [
    ['/3/0/0', 'Open Mobile Alliance', resource(0, stringValue('Open Mobile Alliance'))],
    ['/3/0/9', '100', resource(9, integerValue(100))],
    ['/3/0/13', '1367491215', resource(13, timeValue(1367491215))],
    ['/5/0/0', 'AQIDBAU=', resource(0, opaqueValue(Uint8Array.of(1, 2, 3, 4, 5)))],
    ['/66/0/2', '67:0', resource(2, objlnkValue(67, 0))],
    ['/3/0/7/1', '5000', resourceInstance(1, integerValue(5000))],
    ['/9999/0/3', '-0', resource(3, floatValue(-0))],
    ['/9999/0/4', '1', resource(4, { type: 'boolean', value: true })],
  ];
  for (const [path, text, node] of cases) {
    assert.equal(dec.decode(textCodec.encode(p(path), node, testModels)), text, path);
    assert.ok(nodesEqual(textCodec.decode(enc.encode(text), p(path), testModels), node), path);
  }
});

test('decodes an unknown resource as a string', () => {
  assert.ok(
    nodesEqual(textCodec.decode(enc.encode('42'), p('/3/0/9'), noModels), resource(9, stringValue('42'))),
  );
});

test('refuses to encode containers, multiple resources and non-finite floats', () => {
  assert.throws(
    () => textCodec.encode(p('/3/0'), instance(0, []), testModels),
    UnsupportedContentFormatError,
  );
  assert.throws(
    () => textCodec.encode(p('/3/0/7'), multipleResource(7, []), testModels),
    UnsupportedContentFormatError,
  );
  assert.throws(
    () => textCodec.encode(p('/9999/0/3'), resource(3, floatValue(NaN)), testModels),
    UnsupportedContentFormatError,
  );
});

test('rejects bad text, bad UTF-8 and wrong paths with DecodeError', () => {
  const bad: [string, Uint8Array, number][] = [
    ['/3/0/9', enc.encode('1e3'), 0],
    ['/3/0/0', Uint8Array.of(0x41, 0x42, 0xc3, 0x28), 2],
    ['/3/0', enc.encode('x'), 0],
    ['/3/0/7', enc.encode('1'), 0], // multiple resource
    ['/5/0/0', enc.encode('***'), 0],
  ];
  for (const [path, bytes, offset] of bad) {
    assert.throws(
      () => textCodec.decode(bytes, p(path), testModels),
      (e: unknown) => e instanceof DecodeError && e.offset === offset,
      path,
    );
  }
  assert.throws(
    () =>
      textCodec.decode(new Uint8Array(10).fill(0x31), p('/3/0/0'), testModels, {
        maxDepth: 8,
        maxRecords: 10,
        maxValueBytes: 5,
      }),
    (e: unknown) => e instanceof DecodeError && e.kind === 'limit',
  );
});
