// Fuzzes the CoAP message codec with random datagrams and with mutations of valid ones. Set
// FUZZ_SEED to replay a run; the seed is in every failure message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ByteWriter } from '../../src/coap/ByteWriter.js';
import type { CoapMessage, CoapOption, MessageType } from '../../src/coap/CoapMessage.js';
import { decodeMessage, encodeMessage } from '../../src/coap/messageCodec.js';
import { DecodeError } from '../../src/transport/DecodeError.js';

const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 0x7fffffff);
const RANDOM_PACKETS = 50_000;
const MUTATED_PACKETS = 70_000;

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
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
const bytes = (n: number): Uint8Array => Uint8Array.from({ length: n }, () => int(256));
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const sameBytes = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

const OPTION_NUMBERS = [1, 3, 4, 5, 6, 7, 8, 11, 12, 14, 15, 17, 23, 27, 28, 60, 258, 268, 269, 2049, 65000];
const VALUE_LENGTHS = [0, 1, 2, 4, 12, 13, 14, 268, 269, 300];
const INTERESTING = [0x00, 0x0d, 0x0e, 0x0f, 0x40, 0x48, 0x49, 0xd0, 0xdd, 0xe0, 0xee, 0xf0, 0xff];

function randomMessage(): CoapMessage {
  const code = pick([0x01, 0x02, 0x03, 0x45, 0x84, 0x20, 0xe1, int(256) || 1]);
  const options: CoapOption[] = Array.from({ length: int(7) }, () => ({
    number: pick(OPTION_NUMBERS),
    value: bytes(pick(VALUE_LENGTHS)),
  })).sort((a, b) => a.number - b.number);
  return {
    type: int(4) as MessageType,
    code,
    messageId: int(65536),
    token: bytes(int(9)),
    options,
    payload: bytes(pick([0, 0, 1, 5, 40])),
  };
}

function mutate(src: Uint8Array): Uint8Array {
  let b = src.slice();
  for (let k = 1 + int(4); k > 0; k--) {
    const at = int(b.length + 1);
    switch (int(6)) {
      case 0: // flip one bit
        if (b.length) b[at % b.length]! ^= 1 << int(8);
        break;
      case 1: // overwrite with an interesting byte
        if (b.length) b[at % b.length] = pick(INTERESTING);
        break;
      case 2: // truncate
        b = b.slice(0, at);
        break;
      case 3: // insert bytes
        b = Uint8Array.from([...b.subarray(0, at), ...bytes(1 + int(3)), ...b.subarray(at)]);
        break;
      case 4: // delete a run
        b = Uint8Array.from([...b.subarray(0, at), ...b.subarray(at + 1 + int(4))]);
        break;
      default: // duplicate a run
        b = Uint8Array.from([...b.subarray(0, at), ...b.subarray(at, at + 1 + int(6)), ...b.subarray(at)]);
    }
  }
  return b;
}

const writer = new ByteWriter(64);
let decoded = 0;

/** Decoding throws only DecodeError; a decoded message re-encodes to the same bytes and value. */
function check(input: Uint8Array): void {
  let msg: CoapMessage;
  try {
    msg = decodeMessage(input);
  } catch (e) {
    if (e instanceof DecodeError) return;
    assert.fail(`seed ${SEED}: non-DecodeError ${String(e)} for ${hex(input)}`);
  }
  decoded++;
  const again = encodeMessage(msg, writer);
  assert.ok(sameBytes(again, input), `seed ${SEED}: ${hex(input)} re-encodes as ${hex(again)}`);
  assert.deepEqual(decodeMessage(again.slice()), msg, `seed ${SEED}: ${hex(input)}`);
}

// Bounded by count; a codec that loops forever ends as a failure at the runner's file time limit.
test(`decodes ${RANDOM_PACKETS} random and ${MUTATED_PACKETS} mutated datagrams safely`, () => {
  console.log(`CoAP message codec: FUZZ_SEED=${SEED}`);
  for (let i = 0; i < RANDOM_PACKETS; i++) {
    const b = bytes(int(48));
    if (b.length && rnd() < 0.7) b[0] = 0x40 | (b[0]! & 0x3f); // mostly version 1
    check(b);
  }
  const seeds = Array.from({ length: 64 }, () => encodeMessage(randomMessage()));
  for (const s of seeds) check(s);
  for (let i = 0; i < MUTATED_PACKETS; i++) check(mutate(pick(seeds)));
  console.log(`seed ${SEED}: ${decoded} of ${RANDOM_PACKETS + MUTATED_PACKETS + 64} inputs decoded`);
  assert.ok(decoded > 1000, `seed ${SEED}: only ${decoded} inputs decoded; the corpus is too hostile`);
});
