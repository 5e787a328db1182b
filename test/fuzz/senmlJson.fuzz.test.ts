// Mutation fuzzing of the SenML JSON decoder: 100 000 mutated valid payloads per run through every
// decode entry point; only DecodeError may be thrown, and no input may take long.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { senmlJsonCodec as codec } from '../../src/content/senml/senmlJsonCodec.js';
import { JSON_TOKENS, fuzzCodec, seedsFor } from '../content/senmlFuzzMutations.js';
import { DEVICE_SENML_JSON } from '../content/senmlFixtures.js';

test('SenML JSON decoders throw only DecodeError for 100k mutated payloads', { timeout: 60_000 }, () => {
  const seeds = seedsFor(codec, { finiteFloatsOnly: true, timestamps: true }, [
    new TextEncoder().encode(DEVICE_SENML_JSON),
  ]);
  const accepted = fuzzCodec(
    codec,
    seeds,
    JSON_TOKENS.map((t) => new TextEncoder().encode(t)),
    100_000,
    Number(process.env.FUZZ_SEED ?? 1),
  );
  assert.ok(accepted > 100, `mutations should still decode sometimes (accepted ${accepted})`);
});
