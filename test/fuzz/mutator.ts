// Shared mutation fuzzing for content decoders: mutates seed payloads (bit flips, interesting
// bytes, inserts, deletes, truncations, splices) and checks that the decoder either succeeds or
// throws DecodeError — never anything else — and, where the fuzzer gives a value oracle, that what
// it accepted survives encode → decode. The seed changes every run (the clock) and is printed;
// FUZZ_SEED=<n> replays a run, and every failure names the seed.
import assert from 'node:assert/strict';
import { DecodeError } from '../../src/transport/DecodeError.js';
import { prng } from '../content/randomNodes.js';
import type { FuzzCheck } from './roundTrip.js';

/** The run's seed: FUZZ_SEED or the clock. */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 0x7fffffff);
if (!Number.isSafeInteger(FUZZ_SEED))
  throw new Error(`FUZZ_SEED must be an integer, got ${process.env.FUZZ_SEED}`);

/** Names the seed of a fuzz run, so a failure in CI can be replayed with FUZZ_SEED=<seed>. */
export function announceSeed(name: string): void {
  console.log(`${name}: FUZZ_SEED=${FUZZ_SEED}`);
}

const INTERESTING = [
  0x00, 0x01, 0x07, 0x08, 0x10, 0x18, 0x1f, 0x20, 0x3f, 0x40, 0x7f, 0x80, 0xc0, 0xc8, 0xf8, 0xff,
];

/** Random bytes and mutations over one seeded PRNG. */
export class Mutator {
  readonly rnd: () => number;
  constructor(seed: number) {
    this.rnd = prng(seed);
  }
  int(n: number): number {
    return Math.floor(this.rnd() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  bytes(n: number): Uint8Array {
    const b = new Uint8Array(n);
    for (let i = 0; i < n; i++) b[i] = this.int(256);
    return b;
  }

  /** One to four random edits of `input`. */
  mutate(input: Uint8Array, corpus: readonly Uint8Array[]): Uint8Array {
    let b: Uint8Array = input.slice();
    const edits = 1 + this.int(4);
    for (let e = 0; e < edits; e++) {
      const at = b.length === 0 ? 0 : this.int(b.length);
      switch (this.int(8)) {
        case 0:
          if (b.length) b[at] = b[at]! ^ (1 << this.int(8));
          break;
        case 1:
          if (b.length) b[at] = this.pick(INTERESTING);
          break;
        case 2:
          if (b.length) b[at] = this.int(256);
          break;
        case 3: {
          const ins = this.bytes(1 + this.int(4));
          b = concat(b.subarray(0, at), ins, b.subarray(at));
          break;
        }
        case 4:
          b = concat(b.subarray(0, at), b.subarray(at + 1 + this.int(4)));
          break;
        case 5:
          b = b.subarray(0, at);
          break;
        case 6: {
          const other = this.pick(corpus);
          const from = this.int(other.length + 1);
          b = concat(b.subarray(0, at), other.subarray(from, from + this.int(16)));
          break;
        }
        default: {
          const len = this.int(8);
          b = concat(b, b.subarray(at, at + len));
        }
      }
    }
    return b;
  }
}

/**
 * Runs `iterations` mutated inputs (plus a share of pure random ones) through `decode`. When
 * `decode` returns a check (a value oracle, see roundTrip.ts), it runs on every accepted input.
 */
export function fuzzDecoder(
  name: string,
  corpus: readonly Uint8Array[],
  iterations: number,
  decode: (bytes: Uint8Array, m: Mutator) => FuzzCheck | void,
): { ok: number; rejected: number } {
  announceSeed(name);
  const m = new Mutator(FUZZ_SEED);
  let ok = 0;
  let rejected = 0;
  // a rejected input's DecodeError needs no stack trace, and capturing one was most of the cost
  // of a rejection; failures below name the seed, the iteration and the input instead
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    for (let i = 0; i < iterations; i++) {
      const input = i % 10 === 9 ? m.bytes(m.int(24)) : m.mutate(m.pick(corpus), corpus);
      let check: FuzzCheck | void;
      try {
        check = decode(input, m);
      } catch (e) {
        if (!(e instanceof DecodeError)) assert.fail(`${where(name, i, input)} threw ${String(e)}`);
        if (!(Number.isInteger(e.offset) && e.offset >= 0 && e.offset <= input.length + 1))
          assert.fail(`${where(name, i, input)}: bad offset ${e.offset}`);
        rejected++;
        continue;
      }
      ok++;
      if (check) {
        try {
          check();
        } catch (e) {
          assert.fail(
            `${where(name, i, input)} was accepted, but ${e instanceof Error ? e.message : String(e)}`,
          );
        }
      }
    }
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  return { ok, rejected };
}

/** Names a failing input so that FUZZ_SEED=<seed> replays it (built only on failure). */
function where(name: string, i: number, input: Uint8Array): string {
  return `${name}: FUZZ_SEED=${FUZZ_SEED} iteration ${i} input ${Buffer.from(input).toString('hex')}`;
}

/** The parts one after the other, in a new array. */
function concat(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
