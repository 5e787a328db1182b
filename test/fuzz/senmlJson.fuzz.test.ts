// Mutation fuzzing of the SenML JSON decoder: 100 000 mutated valid payloads per run through every
// decode entry point; only DecodeError may be thrown, and what decodes round-trips (seed varies per run).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { senmlJsonCodec as codec } from '../../src/content/senml/senmlJsonCodec.js';
import { JSON_TOKENS, fuzzCodec, seedsFor } from '../content/senmlFuzzMutations.js';
import { FUZZ_SEED } from './mutator.js';
import { DEVICE_SENML_JSON } from '../content/senmlFixtures.js';

test('SenML JSON decoders throw only DecodeError for 100k mutated payloads', () => {
  const seeds = seedsFor(codec, { finiteFloatsOnly: true, timestamps: true }, [
    new TextEncoder().encode(DEVICE_SENML_JSON),
  ]);
  const accepted = fuzzCodec(
    codec,
    seeds,
    JSON_TOKENS.map((t) => new TextEncoder().encode(t)),
    100_000,
  );
  assert.ok(
    accepted > 100,
    `mutations should still decode sometimes (accepted ${accepted}, FUZZ_SEED=${FUZZ_SEED})`,
  );
});
