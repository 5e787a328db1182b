// Fuzzes the DTLS record codec with mutations of the golden captures' datagrams (and random
// bytes), DTLS_FUZZ_INPUTS each (default 1M), without and with tls12_cid: decoding throws
// nothing but DecodeError, and whatever decodes serializes back to the
// very same bytes. Set FUZZ_SEED to replay a run; the seed is in every failure message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeDatagram, encodeDatagram } from '../../src/transport/dtls/record/RecordCodec.js';
import { createRecordProtection } from '../../src/transport/dtls/record/RecordProtection.js';
import {
  TLS_PSK_WITH_AES_128_CBC_SHA256,
  TLS_PSK_WITH_AES_128_CCM_8,
} from '../../src/transport/dtls/suites.js';
import {
  A2_CLIENT_CID_LENGTH,
  A2_SERVER_CID_LENGTH,
  bytesOf,
  CAPTURE_A1,
  CAPTURE_A2,
} from '../transport/dtls/captures.js';
import { DTLS_FUZZ_INPUTS } from './dtlsFuzzInputs.js';
import { fuzzDecoder } from './mutator.js';

const ITERATIONS = DTLS_FUZZ_INPUTS;
const plainCorpus = CAPTURE_A1.map(bytesOf);
const cidCorpus = CAPTURE_A2.map(bytesOf);
const corpus = [...plainCorpus, ...cidCorpus];
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** The record codec targets: without a negotiated CID, and with the CID lengths of capture A2. */
const RECORD_TARGETS = [
  { name: 'DTLS record codec (plain)', corpus: plainCorpus, cidLengths: [0] },
  {
    name: 'DTLS record codec (tls12_cid)',
    corpus: cidCorpus,
    cidLengths: [A2_SERVER_CID_LENGTH, A2_CLIENT_CID_LENGTH, 1, 16],
  },
];

for (const t of RECORD_TARGETS) {
  test(`${t.name}: ${ITERATIONS} mutated datagrams decode safely and round-trip`, () => {
    const { ok, rejected } = fuzzDecoder(t.name, t.corpus, ITERATIONS, (bytes, m) => {
      const cidLength = m.pick(t.cidLengths);
      const records = decodeDatagram(bytes, { cidLength, maxRecordsPerDatagram: 8 });
      return () => {
        assert.equal(toHex(encodeDatagram(records)), toHex(bytes));
        for (const r of records) assert.equal(r.cid?.length ?? cidLength, cidLength, 'CID length');
      };
    });
    console.log(`${t.name}: ${ok} decoded, ${rejected} rejected`);
    assert.ok(ok > 1000, `only ${ok} inputs decoded; the corpus is too hostile`);
  });
}

// record protection opens with node:crypto (~4 µs a record): a tenth of the parser count
const OPEN_ITERATIONS = Math.floor(DTLS_FUZZ_INPUTS / 10);
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
