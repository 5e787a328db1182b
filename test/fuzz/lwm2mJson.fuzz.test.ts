// Mutation fuzzing of the LwM2M JSON decoder: 100 000 mutated valid payloads per run through every
// decode entry point; only DecodeError may be thrown, and what decodes round-trips (seed varies per run).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lwm2mJsonCodec as codec } from '../../src/content/lwm2mJson/lwm2mJsonCodec.js';
import { Lwm2mPath } from '../../src/lwm2m/Lwm2mPath.js';
import { JSON_TOKENS, fuzzCodec, seedsFor } from '../content/senmlFuzzMutations.js';
import { FUZZ_SEED } from './mutator.js';
import { testModels } from '../content/testModels.js';
import { DEVICE_NODE } from '../content/senmlFixtures.js';

test('LwM2M JSON decoders throw only DecodeError for 100k mutated payloads', () => {
  const seeds = seedsFor(codec, { finiteFloatsOnly: true, timestamps: true }, [
    codec.encode(Lwm2mPath.parse('/3/0'), DEVICE_NODE, testModels),
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
