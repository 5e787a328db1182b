// Fuzzes the RFC 6690 link-format parser with mutations of valid LwM2M and CoRE payloads. Set
// FUZZ_SEED to replay a run; the seed is in every failure message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatLinkFormat, parseLinkFormat, type Link } from '../../src/coap/linkFormat.js';
import { DecodeError } from '../../src/transport/DecodeError.js';

const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 0x7fffffff);
const MUTATED = 110_000;

/** mulberry32: a small seeded PRNG returning [0, 1). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rnd = prng(SEED);
const int = (n: number): number => Math.floor(rnd() * n);
const pick = <T>(xs: ArrayLike<T>): T => xs[int(xs.length)]!;

const SEEDS = [
  '</>;rt="oma.lwm2m";ct=11543,</1/0>,</3/0>;ver=1.1,</3303>;ver=1.1',
  '</lwm2m>;rt="oma.lwm2m";ct="60 110",</lwm2m/1/101>,</lwm2m/3/0>',
  '</3/0>;pmin=10;pmax=60,</3/0/1>,</3/0/7>;dim=2;gt=50;lt=42.2,</3/0/11>;obs',
  '</sensors>;ct=40;title="Sensor \\"Index\\"",</sensors/temp>;rt="temperature-c";if="sensor"',
  '<http://www.example.com/sensors/t123>;anchor="/sensors/temp";rel="describedby"',
  "</t>;title*=UTF-8'en'%E2%82%AC;sz=1280,<>",
];
const ALPHABET = '<>;,="\\*%/ \t\n\u0001\u007fé€aZ09.-_~!#[]{}';

function mutate(src: string): string {
  let s = src;
  for (let k = 1 + int(4); k > 0; k--) {
    const at = int(s.length + 1);
    switch (int(5)) {
      case 0: // replace a character
        s = s.slice(0, at) + pick(ALPHABET) + s.slice(at + 1);
        break;
      case 1: // insert a character
        s = s.slice(0, at) + (rnd() < 0.8 ? pick(ALPHABET) : String.fromCharCode(int(128))) + s.slice(at);
        break;
      case 2: // truncate
        s = s.slice(0, at);
        break;
      case 3: // delete a run
        s = s.slice(0, at) + s.slice(at + 1 + int(4));
        break;
      default: // duplicate a run
        s = s.slice(0, at) + s.slice(at, at + 1 + int(12)) + s.slice(at);
    }
  }
  return s;
}

let parsed = 0;

/** Parsing throws only DecodeError; parsed links format to text that parses back to them. */
function check(text: string): void {
  let links: Link[];
  try {
    links = parseLinkFormat(text);
  } catch (e) {
    if (e instanceof DecodeError) return;
    assert.fail(`seed ${SEED}: non-DecodeError ${String(e)} for ${JSON.stringify(text)}`);
  }
  parsed++;
  const formatted = formatLinkFormat(links);
  assert.deepEqual(parseLinkFormat(formatted), links, `seed ${SEED}: ${JSON.stringify(text)}`);
  assert.equal(formatLinkFormat(parseLinkFormat(formatted)), formatted);
}

// Bounded by count; a parser that loops forever ends as a failure at the runner's file time limit.
test(`parses ${MUTATED} mutated link-format documents safely`, () => {
  console.log(`link format: FUZZ_SEED=${SEED}`);
  for (const s of SEEDS) check(s);
  for (let i = 0; i < MUTATED; i++) check(mutate(pick(SEEDS)));
  console.log(`seed ${SEED}: ${parsed} of ${MUTATED + SEEDS.length} documents parsed`);
  assert.ok(parsed > 1000, `seed ${SEED}: only ${parsed} documents parsed; the mutations are too hostile`);
});
