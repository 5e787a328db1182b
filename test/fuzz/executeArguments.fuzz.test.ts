// Fuzzes the Execute argument list parser (Core TS 1.1.1 5.4.5) with mutated lists: it either
// returns arguments that print back to exactly the input, or throws InvalidRequestError (4.00);
// and it agrees with a regular expression written straight from the ABNF.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseExecuteArguments, type ExecuteArgument } from '../../src/lwm2m/executeArguments.js';
import { InvalidRequestError } from '../../src/lwm2m/requestErrors.js';
import { FUZZ_SEED, Mutator } from './mutator.js';

const enc = new TextEncoder();
const dec = new TextDecoder();
const seeds = [
  "0='a',1",
  "2='http://example.org/fw.bin',5",
  '9',
  "0='',1='x',2='!#$%&()*+-./:;<=>?@[]^_`{|}~'",
].map((s) => enc.encode(s));
const ARG = "[0-9](='[\\x21\\x23-\\x26\\x28-\\x5b\\x5d-\\x7e]*')?";
const GRAMMAR = new RegExp(`^(${ARG}(,${ARG})*)?$`);

const print = (args: readonly ExecuteArgument[]): string =>
  args.map((a) => (a.value === undefined ? `${a.digit}` : `${a.digit}='${a.value}'`)).join(',');

test('the Execute argument parser round-trips or throws InvalidRequestError for 50k mutated lists', () => {
  const m = new Mutator(FUZZ_SEED);
  let ok = 0;
  for (let i = 0; i < 50_000; i++) {
    const text = dec.decode(m.mutate(m.pick(seeds), seeds));
    let args: ExecuteArgument[] | undefined;
    try {
      args = parseExecuteArguments(text);
    } catch (e) {
      assert.ok(
        e instanceof InvalidRequestError,
        `FUZZ_SEED=${FUZZ_SEED} ${JSON.stringify(text)}: ${String(e)}`,
      );
    }
    assert.equal(args !== undefined, GRAMMAR.test(text), `FUZZ_SEED=${FUZZ_SEED} ${JSON.stringify(text)}`);
    if (args) {
      assert.equal(print(args), text, `FUZZ_SEED=${FUZZ_SEED}`);
      ok++;
    }
  }
  assert.ok(ok > 100, `only ${ok} mutated lists were valid`);
});
