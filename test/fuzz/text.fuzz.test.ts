// Fuzzes the plain-text decoder with 120k mutations of valid values of every type: only
// DecodeError may escape, and every accepted value round-trips to the same value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { textCodec } from '../../src/content/text/TextCodec.js';
import { Lwm2mPath } from '../../src/lwm2m/Lwm2mPath.js';
import { resource } from '../../src/lwm2m/nodes.js';
import { Gen, prng, testResourceId } from '../content/randomNodes.js';
import { TEST_OBJECT, TEST_TYPES, noModels, testModels } from '../content/testModels.js';
import { FUZZ_SEED, fuzzDecoder } from './mutator.js';
import { decodeNodeChecked } from './roundTrip.js';

const g = new Gen(prng(FUZZ_SEED));
const corpus: Uint8Array[] = [];
for (let i = 0; i < 60; i++) {
  const type = TEST_TYPES[i % TEST_TYPES.length]!;
  const path = Lwm2mPath.of(TEST_OBJECT, 0, testResourceId(type, false));
  corpus.push(textCodec.encode(path, resource(path.resourceId!, g.value(type, true)), testModels));
}
const paths = [
  ...TEST_TYPES.map((t) => Lwm2mPath.of(TEST_OBJECT, 0, testResourceId(t, false))),
  ...TEST_TYPES.map((t) => Lwm2mPath.of(TEST_OBJECT, 0, testResourceId(t, true), 1)),
  Lwm2mPath.parse('/9999/0/10'),
  Lwm2mPath.parse('/9999/0'),
];

test('text decoder throws only DecodeError for 120k mutated payloads; what it accepts round-trips', () => {
  const { ok, rejected } = fuzzDecoder('text', corpus, 120_000, (bytes, m) =>
    decodeNodeChecked(textCodec, bytes, m.pick(paths), m.rnd() < 0.8 ? testModels : noModels),
  );
  assert.ok(
    ok > 1000 && rejected > 1000,
    `seed ${FUZZ_SEED}: both outcomes occur (ok ${ok}, rejected ${rejected})`,
  );
});
