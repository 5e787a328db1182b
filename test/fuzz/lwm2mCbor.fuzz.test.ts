// Mutation fuzzing of the LwM2M CBOR decoder: 100 000 mutated valid payloads per run through every
// decode entry point; only DecodeError may be thrown, and what decodes round-trips (seed varies per run).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lwm2mCborCodec as codec } from '../../src/content/lwm2mCbor/lwm2mCborCodec.js';
import { Lwm2mPath } from '../../src/lwm2m/Lwm2mPath.js';
import { CBOR_TOKENS, fuzzCodec, seedsFor } from '../content/senmlFuzzMutations.js';
import { FUZZ_SEED } from './mutator.js';
import { testModels } from '../content/testModels.js';
import { DEVICE_NODE } from '../content/senmlFixtures.js';

test('LwM2M CBOR decoders throw only DecodeError for 100k mutated payloads', () => {
  const seeds = seedsFor(codec, { finiteFloatsOnly: false, timestamps: false }, [
    codec.encode(Lwm2mPath.parse('/3/0'), DEVICE_NODE, testModels),
  ]);
  const accepted = fuzzCodec(codec, seeds, CBOR_TOKENS, 100_000);
  assert.ok(
    accepted > 100,
    `mutations should still decode sometimes (accepted ${accepted}, FUZZ_SEED=${FUZZ_SEED})`,
  );
});
