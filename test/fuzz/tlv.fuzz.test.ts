// Fuzzes the TLV decoder (records and nodes) with 120k mutations of valid payloads: only
// DecodeError may escape, and every accepted payload re-encodes to a payload that decodes to the
// same node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tlvNodeCodec } from '../../src/content/tlv/TlvNodeCodec.js';
import { Lwm2mPath } from '../../src/lwm2m/Lwm2mPath.js';
import { Gen, prng, randomTestNode } from '../content/randomNodes.js';
import { hex, noModels, testModels } from '../content/testModels.js';
import { FUZZ_SEED, fuzzDecoder } from './mutator.js';
import { decodeNodeChecked } from './roundTrip.js';

const corpus: Uint8Array[] = [
  hex('08000ec10001c101008302417f07c1037f080212c10003c101008702417f0761013601c1037f'),
  hex('08000fc10001c40100015180c10601c10755'),
  hex('88000c440000420000440100420001c8010d38363133383030373535353030c40212345678'),
  hex('c10964'),
  hex('8606410001410105'),
];
const g = new Gen(prng(FUZZ_SEED));
const paths: Lwm2mPath[] = [];
for (let i = 0; i < 40; i++) {
  const { path, node } = randomTestNode(g, ((i % 4) + 1) as 1 | 2 | 3 | 4);
  corpus.push(tlvNodeCodec.encode(path, node, testModels));
  paths.push(path);
}
paths.push(...['/1', '/2', '/3/0', '/65/0', '/3/0/6', '/3/0/9', '/3/0/7/1'].map((s) => Lwm2mPath.parse(s)));

test('TLV decoder throws only DecodeError for 120k mutated payloads; what it accepts round-trips', () => {
  const { ok, rejected } = fuzzDecoder('tlv', corpus, 120_000, (bytes, m) =>
    decodeNodeChecked(tlvNodeCodec, bytes, m.pick(paths), m.rnd() < 0.8 ? testModels : noModels, {
      maxDepth: 8,
      maxRecords: 64,
      maxValueBytes: 1024,
    }),
  );
  assert.ok(
    ok > 1000 && rejected > 1000,
    `seed ${FUZZ_SEED}: both outcomes occur (ok ${ok}, rejected ${rejected})`,
  );
});
