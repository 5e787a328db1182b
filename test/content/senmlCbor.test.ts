import { test } from 'node:test';
import assert from 'node:assert/strict';
import { senmlCborCodec } from '../../src/content/senml/senmlCborCodec.js';
import { CborWriter } from '../../src/content/senml/CborWriter.js';
import { readCbor } from '../../src/content/senml/readCbor.js';
import { DEFAULT_DECODE_LIMITS } from '../../src/content/decodeLimits.js';
import { DecodeError } from '../../src/transport/DecodeError.js';
import { Lwm2mPath } from '../../src/lwm2m/Lwm2mPath.js';
import { nodesEqual, resource } from '../../src/lwm2m/nodes.js';
import { floatValue, integerValue, objlnkValue, opaqueValue } from '../../src/lwm2m/values.js';
import { createCoreRegistry } from '../../src/model/core/coreModels.js';
import { hex, noModels, toHex } from './testModels.js';
import { DEVICE_NODE } from './senmlFixtures.js';
import { countingBytes } from './countingBytes.js';
import {
  checkExtremes,
  checkMultiRoundTrip,
  checkNodeRoundTrip,
  checkSelfDescribing,
  checkTimestampedRoundTrip,
} from './senmlCodecProperties.js';

const p = (s: string) => Lwm2mPath.parse(s);
const core = createCoreRegistry();

/** Core TS 1.1.1 section 7.4.5: the Device object instance /3/0 in SenML CBOR. */
const DEVICE_SENML_CBOR =
  '90 a3 21 65 2f 33 2f 30 2f 00 61 30 03 74 4f 70 65 6e 20 4d 6f 62 69 6c 65 20 41 6c 6c 69 61 6e 63 65 ' +
  'a2 00 61 31 03 76 4c 69 67 68 74 77 65 69 67 68 74 20 4d 32 4d 20 43 6c 69 65 6e 74 ' +
  'a2 00 61 32 03 69 33 34 35 30 30 30 31 32 33 a2 00 61 33 03 63 31 2e 30 ' +
  'a2 00 63 36 2f 30 02 01 a2 00 63 36 2f 31 02 05 a2 00 63 37 2f 30 02 19 0e d8 ' +
  'a2 00 63 37 2f 31 02 19 13 88 a2 00 63 38 2f 30 02 18 7d a2 00 63 38 2f 31 02 19 03 84 ' +
  'a2 00 61 39 02 18 64 a2 00 62 31 30 02 0f a2 00 64 31 31 2f 30 02 00 ' +
  'a2 00 62 31 33 02 1a 51 82 42 8f a2 00 62 31 34 03 66 2b 30 32 3a 30 30 a2 00 62 31 36 03 61 55';

test('encodes the Device object instance byte-exactly as the Core TS 7.4.5 example', () => {
  assert.equal(toHex(senmlCborCodec.encode(p('/3/0'), DEVICE_NODE, core)), toHex(hex(DEVICE_SENML_CBOR)));
});

test('decodes the Core TS 7.4.5 Device example with types from the model', () => {
  assert.ok(nodesEqual(senmlCborCodec.decode(hex(DEVICE_SENML_CBOR), p('/3/0'), core), DEVICE_NODE));
});

test('encodes a composite Read request as an array of name-only maps', () => {
  const bytes = senmlCborCodec.encodePaths([p('/3/0/0'), p('/3/0/9')]);
  // [{0: "/3/0/0"}, {0: "/3/0/9"}]
  assert.equal(toHex(bytes), '82a100662f332f302f30a100662f332f302f39');
  assert.deepEqual(senmlCborCodec.decodePaths(bytes).map(String), ['/3/0/0', '/3/0/9']);
});

test('writes opaque as a byte string, objlnk under "vlo" and floats in their shortest exact width', () => {
  const enc = (v: Parameters<typeof resource>[1]) =>
    toHex(senmlCborCodec.encode(p('/42/0/1'), resource(1, v), noModels));
  const head = '81a3' + '21' + '662f34322f302f' + '00' + '6131';
  assert.equal(enc(opaqueValue(Uint8Array.of(1, 2))), head + '08' + '420102');
  assert.equal(enc(objlnkValue(3, 0)), head + '63766c6f' + '63333a30');
  assert.equal(enc(floatValue(1.5)), head + '02' + 'f93e00');
  assert.equal(enc(floatValue(100000.5)), head + '02' + 'fa47c35040');
  assert.equal(enc(floatValue(22.4)), head + '02' + 'fb4036666666666666');
  assert.equal(enc(floatValue(NaN)), head + '02' + 'f97e00');
  assert.equal(enc(integerValue(-(2n ** 63n))), head + '02' + '3b7fffffffffffffff');
});

test('accepts indefinite-length arrays, maps and strings', () => {
  // [_ {_ 0: "/3/0/9", 2: 95}] with the name as a chunked text string
  const bytes = hex('9f bf 00 7f 63 2f 33 2f 63 30 2f 39 ff 02 18 5f ff ff');
  const leaves = senmlCborCodec.decodeNodes(bytes, core);
  assert.equal(leaves[0]!.path.toString(), '/3/0/9');
  assert.deepEqual(leaves[0]!.node, resource(9, integerValue(95)));
});

test('reads half, single and double floats and 64-bit integers exactly', () => {
  const item = (h: string) => readCbor(hex(h), DEFAULT_DECODE_LIMITS);
  assert.deepEqual(item('f9 3c00'), { kind: 'float', value: 1, at: 0 });
  assert.deepEqual(item('f9 0001'), { kind: 'float', value: 2 ** -24, at: 0 });
  assert.deepEqual(item('f9 fc00'), { kind: 'float', value: -Infinity, at: 0 });
  assert.deepEqual(item('1b ffffffffffffffff'), { kind: 'int', value: 2n ** 64n - 1n, at: 0 });
  assert.deepEqual(item('3b ffffffffffffffff'), { kind: 'int', value: -(2n ** 64n), at: 0 });
  const w = new CborWriter(1);
  for (const x of [0.1, 65504, 2 ** -24, 1e300, -0]) w.float(x);
  assert.equal(
    toHex(w.finish()),
    'fb3fb999999999999a' + 'f97bff' + 'f90001' + 'fb7e37e43c8800759c' + 'f98000',
  );
});

const rejects: [string, string][] = [
  ['a pack that is not an array', 'a1 00 61 30'],
  ['a record that is not a map', '81 01'],
  ['a duplicate label', '81 a3 00 66 2f 33 2f 30 2f 39 02 01 02 02'],
  ['a mandatory-to-understand text label', '81 a3 00 66 2f 33 2f 30 2f 39 02 01 64 66 6f 6f 5f 01'],
  ['a label that is neither integer nor text', '81 a2 00 66 2f 33 2f 30 2f 39 f4 01'],
  ['vd that is not a byte string', '81 a2 00 67 2f 34 32 2f 30 2f 31 08 61 41'],
  ['vb that is not a boolean', '81 a2 00 67 2f 34 32 2f 30 2f 31 04 01'],
  ['a name that is not text', '81 a2 00 01 02 01'],
  ['a declared length beyond the input', '9a ffffffff'],
  ['a string length beyond the input', '81 a1 00 7a 7fffffff'],
  ['a reserved additional information value', '81 1c'],
  ['a stray break', 'ff'],
  ['invalid UTF-8 text', '81 a2 00 62 c3 28 02 01'],
  ['trailing bytes', '80 00'],
  ['an odd number of items in an indefinite map', '81 bf 00 ff'],
  ['a chunk of the wrong type in an indefinite string', '81 a1 00 7f 41 41 ff'],
  [
    'truncated input',
    hex(DEVICE_SENML_CBOR)
      .subarray(0, 50)
      .reduce((s, b) => s + b.toString(16).padStart(2, '0'), ''),
  ],
];
for (const [what, h] of rejects) {
  test(`rejects ${what} with a DecodeError`, () => {
    assert.throws(() => senmlCborCodec.decodeNodes(hex(h), core), DecodeError);
  });
}

test('bounds nesting depth and counts before allocating', () => {
  const deep = hex('81'.repeat(20) + '00');
  assert.throws(
    () => readCbor(deep, DEFAULT_DECODE_LIMITS),
    (e: unknown) => e instanceof DecodeError && e.kind === 'limit',
  );
  const many = hex('99 0010' + '00'.repeat(16));
  assert.throws(
    () => readCbor(many, { maxDepth: 8, maxRecords: 10, maxValueBytes: 10 }),
    (e: unknown) => e instanceof DecodeError && e.kind === 'limit',
  );
  assert.throws(
    () => readCbor(hex('4b' + '00'.repeat(11)), { maxDepth: 8, maxRecords: 10, maxValueBytes: 10 }),
    (e: unknown) => e instanceof DecodeError && e.kind === 'limit',
  );
  const truncated = (() => {
    try {
      readCbor(hex('9a ffffffff'), DEFAULT_DECODE_LIMITS);
    } catch (e) {
      return e as DecodeError;
    }
    return undefined;
  })();
  assert.equal(truncated?.kind, 'truncated');
});

const traits = { finiteFloatsOnly: false, timestamps: true };
test('round-trips random nodes of every type at every path level', () =>
  checkNodeRoundTrip(senmlCborCodec, traits, 11, 400));
test('round-trips random multi-path payloads', () => checkMultiRoundTrip(senmlCborCodec, traits, 12, 200));
test('round-trips random timestamped groups', () =>
  checkTimestampedRoundTrip(senmlCborCodec, traits, 13, 200));
test('keeps self-describing types without a model', () =>
  checkSelfDescribing(
    senmlCborCodec,
    ['string', 'integer', 'float', 'boolean', 'opaque', 'objlnk'],
    14,
    300,
    traits,
  ));
test('round-trips 64-bit extremes, empty values, the null objlnk and float edge values', () =>
  checkExtremes(senmlCborCodec, traits));

// Bounded by count, not by time: the reader must stop at the limit, or read each byte only once.
test('rejects a megabyte of nested arrays or indefinite chunks without reading more than it must', () => {
  const { maxDepth, maxValueBytes } = DEFAULT_DECODE_LIMITS;
  const chunks = new Uint8Array(1 << 20).fill(0x60); // (_ "" "" "" … empty text chunks, never closed
  chunks.set([0x81, 0xa1, 0x00, 0x7f], 0);
  const longText = new Uint8Array(1 << 20);
  for (let i = 4; i < longText.length; i += 2) longText.set([0x61, 0x41], i); // (_ "A" "A" …
  longText.set([0x81, 0xa1, 0x00, 0x7f], 0);
  const cases = [
    // Stops at the nesting limit.
    { input: new Uint8Array(1 << 20).fill(0x81), kind: 'limit', maxReads: maxDepth + 2 },
    // Nothing to stop it before the end, but every chunk head is read once.
    { input: chunks, kind: 'truncated', maxReads: chunks.length },
    // Stops once the chunks add up to more than maxValueBytes (one head read per chunk).
    { input: longText, kind: 'limit', maxReads: 4 + maxValueBytes + 1 },
  ];
  for (const { input, kind, maxReads } of cases) {
    const counted = countingBytes(input);
    assert.throws(
      () => senmlCborCodec.decodeNodes(counted.bytes, core),
      (e: unknown) => e instanceof DecodeError && e.kind === kind,
    );
    assert.ok(
      counted.reads() > 0 && counted.reads() <= maxReads,
      `read ${counted.reads()} bytes, at most ${maxReads} expected`,
    );
  }
});

test('a time that is not finite (a half-float infinity as bt, or infinities summed to NaN) is a DecodeError', () => {
  // the fuzzer's find (FUZZ_SEED=980205110): [{bn: "/9999/252/", bt: +inf (f9 7c00), n: "3", v: ...}]
  const found = hex('81a4216a2f393939392f3235322f22f97c0000613302fbab2170a5590e9b20');
  assert.throws(() => senmlCborCodec.decodeTimestamped(found, noModels), DecodeError);
  assert.throws(() => senmlCborCodec.decodeNodes(found, noModels), DecodeError);
  // bt +inf and t -inf: their sum is NaN
  const nan = hex('81a3 22 f97c00 06 f9fc00 00 61 30'.replace(/ /g, ''));
  assert.throws(() => senmlCborCodec.decodeTimestamped(nan, noModels), DecodeError);
});

test('a base time of 2^64 - 1 (2^64 as a double) round-trips as a float, not wrapped to 0', () => {
  // found by the fuzzer (FUZZ_SEED=1046377612): bt = uint64 0xffffffffffffffff
  const bytes = hex('81 a4 21 63 2f332f 22 1b ffffffffffffffff 00 63 302f30 02 01');
  const [group] = senmlCborCodec.decodeTimestamped(bytes, noModels);
  assert.equal(group!.timestamp, 2 ** 64);
  const again = senmlCborCodec.decodeTimestamped(
    senmlCborCodec.encodeTimestamped([group!], noModels),
    noModels,
  );
  assert.equal(again[0]!.timestamp, 2 ** 64);
});

test('the CBOR writer refuses an integer beyond 2^64 - 1 instead of wrapping it', () => {
  assert.throws(() => new CborWriter().int(2 ** 64), RangeError);
  assert.throws(() => new CborWriter().int(-(2 ** 64) - 4096), RangeError);
  assert.throws(() => new CborWriter().head(0, 2n ** 64n), RangeError);
  const w = new CborWriter();
  w.int(2n ** 64n - 1n);
  assert.equal(toHex(w.finish()), '1bffffffffffffffff');
});
