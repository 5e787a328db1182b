// Mutation fuzzing for the multi-path decoders: valid encodings are mutated (byte and bit flips,
// truncation, insertion, deletion, splicing, and for text formats token-level edits) and every
// decode entry point must either succeed or throw DecodeError; what it accepts must survive
// encode → decode unchanged (the value oracles of test/fuzz/roundTrip.ts).
import assert from 'node:assert/strict';
import type { MultiNodeCodec } from '../../src/content/ContentCodec.js';
import { Lwm2mPath } from '../../src/lwm2m/Lwm2mPath.js';
import { DecodeError } from '../../src/transport/DecodeError.js';
import { Gen, prng } from './randomNodes.js';
import { carriableNode, randomPathNodes, type CodecTraits } from './senmlCodecProperties.js';
import { testModels } from './testModels.js';
import { FUZZ_SEED } from '../fuzz/mutator.js';
import {
  decodeNodeChecked,
  decodeNodesChecked,
  decodePathsChecked,
  decodeTimestampedChecked,
  type FuzzCheck,
} from '../fuzz/roundTrip.js';

/** JSON tokens spliced in by text mutations. */
export const JSON_TOKENS = [
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  '"',
  '\\',
  '"bn"',
  '"bt"',
  '"bv"',
  '"n"',
  '"v"',
  '"vs"',
  '"vb"',
  '"vd"',
  '"vlo"',
  '"t"',
  '"e"',
  '"sv"',
  '"ov"',
  '"x_"',
  'true',
  'null',
  '-0',
  '0.5',
  '1e999',
  '-1e-999',
  '18446744073709551616',
  '-9223372036854775809',
  '"/3/0/"',
  '"/"',
  '"65535"',
  '"/3/0/9/0/1"',
  '"\\u0000"',
  '"\\ud800"',
  '[[[[[[[[[[',
  '""',
  '"AQ"',
  '"A"',
  '"1:2"',
  '"/9999/0/7"',
];

/** CBOR byte sequences spliced in by binary mutations. */
export const CBOR_TOKENS = [
  [0x9f],
  [0xbf],
  [0xff],
  [0x5f],
  [0x7f],
  [0xc1],
  [0xc2],
  [0xf6],
  [0xf7],
  [0xf9, 0x7c, 0x00],
  [0xfb],
  [0x1b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
  [0x3b, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
  [0x19, 0xff, 0xff],
  [0x9a, 0xff, 0xff, 0xff, 0xff],
  [0x7a, 0x7f, 0xff, 0xff, 0xff],
  [0x1c],
  [0xf8, 0x10],
  [0x82, 0x03, 0x00],
  [0x63, 0x76, 0x6c, 0x6f],
  [0x21],
  [0x22],
  [0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81],
].map((b) => Uint8Array.from(b));

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** One to four random mutations of a random seed. */
export function mutate(g: Gen, seeds: readonly Uint8Array[], tokens: readonly Uint8Array[]): Uint8Array {
  let b = g.pick(seeds);
  for (let k = g.int(1, 4); k > 0; k--) {
    const i = g.int(0, b.length);
    switch (g.int(0, 7)) {
      case 0: // byte set
        if (b.length > 0) (b = b.slice())[Math.min(i, b.length - 1)] = g.int(0, 255);
        break;
      case 1: // bit flip
        if (b.length > 0) (b = b.slice())[Math.min(i, b.length - 1)]! ^= 1 << g.int(0, 7);
        break;
      case 2: // truncate
        b = b.subarray(0, i);
        break;
      case 3: // insert random bytes
        b = concat(b.subarray(0, i), g.bytes(g.int(1, 8)), b.subarray(i));
        break;
      case 4: // delete a slice
        b = concat(b.subarray(0, i), b.subarray(Math.min(b.length, i + g.int(1, 16))));
        break;
      case 5: {
        // splice with another seed
        const other = g.pick(seeds);
        b = concat(b.subarray(0, i), other.subarray(g.int(0, other.length)));
        break;
      }
      case 6: {
        // duplicate a slice
        const end = Math.min(b.length, i + g.int(1, 32));
        b = concat(b.subarray(0, end), b.subarray(i, end), b.subarray(end));
        break;
      }
      default: // replace a short span by a token
        b = concat(b.subarray(0, i), g.pick(tokens), b.subarray(Math.min(b.length, i + g.int(0, 6))));
    }
  }
  return b;
}

/** Valid encodings of random nodes, multi-path payloads, timestamped groups and path lists. */
export function seedsFor(
  codec: MultiNodeCodec,
  traits: CodecTraits,
  extra: readonly Uint8Array[],
): Uint8Array[] {
  const g = new Gen(prng(7));
  const seeds = [...extra];
  for (let i = 0; i < 24; i++) {
    const { path, node } = carriableNode(g, traits, ((i % 4) + 1) as 1 | 2 | 3 | 4);
    seeds.push(codec.encode(path, node, testModels));
    seeds.push(codec.encodeNodes(randomPathNodes(g, traits), testModels));
    if (traits.timestamps) {
      seeds.push(
        codec.encodeTimestamped([{ timestamp: 1e9 + i, nodes: randomPathNodes(g, traits) }], testModels),
      );
    }
  }
  seeds.push(
    codec.encodePaths([Lwm2mPath.parse('/3/0/0'), Lwm2mPath.parse('/9999/1'), Lwm2mPath.parse('/1')]),
  );
  return seeds;
}

const REQUEST_PATHS = ['/3/0', '/3', '/9999', '/9999/0', '/9999/0/13', '/3/0/9', '/9999/1/17/0'].map((s) =>
  Lwm2mPath.parse(s),
);

/**
 * Runs `iterations` mutated inputs through all four decode entry points, checking each accepted
 * one with its value oracle; returns how many decoded. `seed` defaults to the run's FUZZ_SEED.
 */
export function fuzzCodec(
  codec: MultiNodeCodec,
  seeds: readonly Uint8Array[],
  tokens: readonly Uint8Array[],
  iterations: number,
  seed = FUZZ_SEED,
): number {
  const name = `format ${codec.format}`;
  console.log(`${name}: FUZZ_SEED=${seed}`);
  const g = new Gen(prng(seed));
  let accepted = 0;
  for (let i = 0; i < iterations; i++) {
    const input = mutate(g, seeds, tokens);
    const where = `${name}: FUZZ_SEED=${seed} iteration ${i} input ${Buffer.from(input).toString('hex')}`;
    let check: FuzzCheck;
    try {
      switch (i % 4) {
        case 0:
          check = decodeNodeChecked(codec, input, REQUEST_PATHS[i % REQUEST_PATHS.length]!, testModels);
          break;
        case 1:
          check = decodeNodesChecked(codec, input, testModels);
          break;
        case 2:
          check = decodeTimestampedChecked(codec, input, testModels);
          break;
        default:
          check = decodePathsChecked(codec, input);
      }
    } catch (e) {
      if (!(e instanceof DecodeError)) assert.fail(`${where} threw ${String(e)} (${(e as Error)?.stack})`);
      continue;
    }
    accepted++;
    try {
      check();
    } catch (e) {
      assert.fail(`${where} was accepted, but ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return accepted;
}
