// Fuzzes the DTLS record codec with mutations of the golden captures' datagrams (and random
// bytes): decoding throws nothing but DecodeError, and whatever decodes serializes back to the
// very same bytes. Set FUZZ_SEED to replay a run; the seed is in every failure message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeDatagram, encodeDatagram } from '../../src/transport/dtls/record/RecordCodec.js';
import { createRecordProtection } from '../../src/transport/dtls/record/RecordProtection.js';
import {
  TLS_PSK_WITH_AES_128_CBC_SHA256,
  TLS_PSK_WITH_AES_128_CCM_8,
} from '../../src/transport/dtls/suites.js';
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

const OPEN_ITERATIONS = 30_000;
const keys = {
  key: new Uint8Array(16).fill(1),
  iv: new Uint8Array(4).fill(2),
  macKey: new Uint8Array(32).fill(3),
};
const ccm = createRecordProtection(TLS_PSK_WITH_AES_128_CCM_8, keys);
const cbc = createRecordProtection(TLS_PSK_WITH_AES_128_CBC_SHA256, { ...keys, iv: new Uint8Array(0) });
const content = new TextEncoder().encode('sealed by us');
const base = { type: 23, version: 0xfefd, epoch: 1, sequenceNumber: 9 };
const sealedCorpus = [
  ...corpus,
  ccm.seal(base, content),
  ccm.seal({ ...base, cid: Uint8Array.of(1, 2) }, content),
  cbc.seal(base, content),
];

test(`DTLS record protection: ${OPEN_ITERATIONS} mutated records open or are refused, never throw`, () => {
  let opened = 0;
  fuzzDecoder('DTLS record protection', sealedCorpus, OPEN_ITERATIONS, (bytes) => {
    for (const r of decodeDatagram(bytes, { cidLength: 2 })) {
      if (ccm.open(r)) opened++;
      if (cbc.open(r)) opened++;
    }
  });
  console.log(`DTLS record protection: ${opened} mutated records still opened`);
});
