// Fuzzes the DTLS record codec with mutations of the golden captures' datagrams (and random
// bytes): decoding throws nothing but DecodeError, and whatever decodes serializes back to the
// very same bytes. Set FUZZ_SEED to replay a run; the seed is in every failure message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeDatagram, encodeDatagram } from '../../src/transport/dtls/record/RecordCodec.js';
import { bytesOf, CAPTURE_A1, CAPTURE_A2 } from '../transport/dtls/captures.js';
import { fuzzDecoder } from './mutator.js';

const ITERATIONS = 120_000;
const corpus = [...CAPTURE_A1, ...CAPTURE_A2].map(bytesOf);
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

test(`DTLS record codec: ${ITERATIONS} mutated datagrams decode safely and round-trip`, () => {
  const { ok, rejected } = fuzzDecoder('DTLS record codec', corpus, ITERATIONS, (bytes, m) => {
    const cidLength = m.pick([0, 2, 4]);
    const records = decodeDatagram(bytes, { cidLength, maxRecordsPerDatagram: 8 });
    return () => assert.equal(toHex(encodeDatagram(records)), toHex(bytes));
  });
  console.log(`DTLS record codec: ${ok} decoded, ${rejected} rejected`);
  assert.ok(ok > 1000, `only ${ok} inputs decoded; the corpus is too hostile`);
});
