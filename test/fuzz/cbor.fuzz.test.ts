// Fuzzes the plain CBOR (60) decoder with 120k mutations of valid single items of every type:
// only DecodeError may escape, and every accepted item round-trips to the same value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cborCodec } from '../../src/content/cbor/CborCodec.js';
import { Lwm2mPath } from '../../src/lwm2m/Lwm2mPath.js';
import { resource } from '../../src/lwm2m/nodes.js';
import { Gen, prng, testResourceId } from '../content/randomNodes.js';
import { TEST_OBJECT, TEST_TYPES, hex, noModels, testModels } from '../content/testModels.js';
import { FUZZ_SEED, fuzzDecoder } from './mutator.js';
import { decodeNodeChecked } from './roundTrip.js';

const g = new Gen(prng(FUZZ_SEED));
const corpus: Uint8Array[] = [
  hex('c074323031332d30332d32315432303a30343a30305a'),
  hex('9f01ff'),
  hex('a10102'),
];
for (let i = 0; i < 60; i++) {
  const type = TEST_TYPES[i % TEST_TYPES.length]!;
  const path = Lwm2mPath.of(TEST_OBJECT, 0, testResourceId(type, false));
  corpus.push(cborCodec.encode(path, resource(path.resourceId!, g.value(type)), testModels));
}
const paths = [
  ...TEST_TYPES.map((t) => Lwm2mPath.of(TEST_OBJECT, 0, testResourceId(t, false))),
  ...TEST_TYPES.map((t) => Lwm2mPath.of(TEST_OBJECT, 0, testResourceId(t, true), 1)),
];

test('CBOR decoder throws only DecodeError for 120k mutated payloads; what it accepts round-trips', () => {
  const { ok, rejected } = fuzzDecoder('cbor', corpus, 120_000, (bytes, m) =>
    decodeNodeChecked(cborCodec, bytes, m.pick(paths), m.rnd() < 0.7 ? testModels : noModels, {
      maxDepth: 8,
      maxRecords: 16,
      maxValueBytes: 256,
    }),
  );
  assert.ok(
    ok > 1000 && rejected > 1000,
    `seed ${FUZZ_SEED}: both outcomes occur (ok ${ok}, rejected ${rejected})`,
  );
});
