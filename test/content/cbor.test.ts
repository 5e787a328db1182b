import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cborCodec } from '../../src/content/cbor/CborCodec.js';
import { exactHalf } from '../../src/content/cbor/cborScalar.js';
import type { Lwm2mNode } from '../../src/lwm2m/Lwm2mNode.js';
import { Lwm2mPath } from '../../src/lwm2m/Lwm2mPath.js';
import { multipleResource, nodesEqual, resource, resourceInstance } from '../../src/lwm2m/nodes.js';
import {
  booleanValue,
  floatValue,
  integerValue,
  objlnkValue,
  opaqueValue,
  stringValue,
  timeValue,
  unsignedValue,
} from '../../src/lwm2m/values.js';
import { UnsupportedContentFormatError } from '../../src/lwm2m/errors.js';
import { DecodeError } from '../../src/transport/DecodeError.js';
import { hex, noModels, testModels, toHex } from './testModels.js';

const p = (s: string) => Lwm2mPath.parse(s);

// RFC 8949 Appendix A examples, applied to LwM2M values.
const vectors: [string, string, Lwm2mNode][] = [
  ['/9999/0/1', '0a', resource(1, integerValue(10))],
  ['/9999/0/1', '3903e7', resource(1, integerValue(-1000))],
  ['/9999/0/1', '3b7fffffffffffffff', resource(1, integerValue(-(2n ** 63n)))],
  ['/9999/0/2', '1bffffffffffffffff', resource(2, unsignedValue(2n ** 64n - 1n))],
  ['/9999/0/3', 'f93e00', resource(3, floatValue(1.5))],
  ['/9999/0/3', 'f90001', resource(3, floatValue(5.960464477539063e-8))],
  ['/9999/0/3', 'fa47c35000', resource(3, floatValue(100000))],
  ['/9999/0/3', 'fb3ff199999999999a', resource(3, floatValue(1.1))],
  ['/9999/0/3', 'f97c00', resource(3, floatValue(Infinity))],
  ['/9999/0/4', 'f5', resource(4, booleanValue(true))],
  ['/9999/0/0', '6449455446', resource(0, stringValue('IETF'))],
  ['/9999/0/5', '4401020304', resource(5, opaqueValue(Uint8Array.of(1, 2, 3, 4)))],
  ['/9999/0/6', 'c11a514b67b0', resource(6, timeValue(1363896240))],
  ['/9999/0/7', '6431323a33', resource(7, objlnkValue(12, 3))],
  ['/9999/0/11/4', '0c', resourceInstance(4, integerValue(12))],
];

test('encodes and decodes values as single CBOR items (RFC 8949 Appendix A vectors)', () => {
  for (const [path, h, node] of vectors) {
    assert.equal(toHex(cborCodec.encode(p(path), node, testModels)), h, path);
    assert.ok(nodesEqual(cborCodec.decode(hex(h), p(path), testModels), node), `${path} ${h}`);
  }
});

test('decodes time from tag 0 strings, untagged integers and floats; floats from integers', () => {
  const t = p('/9999/0/6');
  assert.ok(
    nodesEqual(
      cborCodec.decode(hex('c074323031332d30332d32315432303a30343a30305a'), t, testModels),
      resource(6, timeValue(1363896240)),
    ),
  );
  assert.ok(
    nodesEqual(cborCodec.decode(hex('1a514b67b0'), t, testModels), resource(6, timeValue(1363896240))),
  );
  assert.ok(
    nodesEqual(
      cborCodec.decode(hex('c1fb41d452d9ec200000'), t, testModels),
      resource(6, timeValue(1363896240)),
    ),
  );
  assert.ok(nodesEqual(cborCodec.decode(hex('0a'), p('/9999/0/3'), testModels), resource(3, floatValue(10))));
});

test('guesses the type from the item when the model is unknown', () => {
  const at = p('/42/0/1');
  const guess = (h: string) => cborCodec.decode(hex(h), at, noModels);
  assert.ok(nodesEqual(guess('c11a514b67b0'), resource(1, timeValue(1363896240))));
  assert.ok(nodesEqual(guess('1bffffffffffffffff'), resource(1, unsignedValue(2n ** 64n - 1n))));
  assert.ok(nodesEqual(guess('20'), resource(1, integerValue(-1))));
  assert.ok(nodesEqual(guess('4101'), resource(1, opaqueValue(Uint8Array.of(1)))));
  assert.ok(nodesEqual(guess('6161'), resource(1, stringValue('a'))));
});

test('rejects containers, indefinite lengths, nulls, trailing bytes and type mismatches', () => {
  const bad: [string, string, number][] = [
    ['/9999/0/1', '8101', 0], // array
    ['/9999/0/1', 'a0', 0], // map
    ['/9999/0/0', '7f6161ff', 0], // indefinite text
    ['/9999/0/1', 'f6', 0], // null
    ['/9999/0/1', '0101', 1], // trailing byte
    ['/9999/0/1', '1b8000000000000000', 0], // beyond int64
    ['/9999/0/1', '19', 0], // truncated head
    ['/9999/0/0', '62c328', 1], // invalid UTF-8
    ['/9999/0/4', '01', 0], // boolean from int
    ['/9999/0/7', '6431323a', 0], // objlnk without instance
    ['/9999/0/1', 'c1c101', 1], // nested tags
    ['/9999/0/1', 'c201', 0], // tag on an integer resource
    ['/9999/0/1', '1c', 0], // reserved additional info
    ['/9999/0/1', '', 0], // empty
    ['/9999/0/11', '01', 0], // multiple resource path
  ];
  for (const [path, h, offset] of bad) {
    assert.throws(
      () => cborCodec.decode(hex(h), p(path), testModels),
      (e: unknown) => e instanceof DecodeError && e.offset === offset,
      `${path} ${h}`,
    );
  }
});

test('refuses to encode a multiple resource', () => {
  assert.throws(
    () => cborCodec.encode(p('/9999/0/11'), multipleResource(11, []), testModels),
    UnsupportedContentFormatError,
  );
});

test('exactHalf finds half floats only when exact', () => {
  assert.equal(exactHalf(65504), 0x7bff);
  assert.equal(exactHalf(-4), 0xc400);
  assert.equal(exactHalf(0.00006103515625), 0x0400);
  assert.equal(exactHalf(65505), undefined);
  assert.equal(exactHalf(1.1), undefined);
  assert.equal(exactHalf(-0), 0x8000);
});
