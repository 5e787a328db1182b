// Fuzzes the credentials file reader with mutated JSON bytes: it either accepts the file or throws
// InvalidSecurityInfoError (mapped to DecodeError for fuzzDecoder; any other error fails), and what
// it accepts is valid, loads into a SecurityStore without conflict, and survives format → read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidSecurityInfoError, validateSecurityInfo } from '../../src/lwm2m/SecurityInfo.js';
import {
  decodeSecurityInfoFile,
  parseSecurityInfoFile,
  securityInfoFileToJson,
} from '../../src/lwm2m/securityInfoJson.js';
import { MemorySecurityStore } from '../../src/store/memory/MemorySecurityStore.js';
import { DecodeError } from '../../src/transport/DecodeError.js';
import { announceSeed, FUZZ_SEED, fuzzDecoder, Mutator } from './mutator.js';
import { mutateJsonTree } from './jsonTreeMutator.js';

const enc = new TextEncoder();
const corpus = [
  { a: { psk: { identity: 'id-a', key: '00112233445566778899aabbccddeeff' } }, b: { x509: {} } },
  { 'urn:imei:3500': { psk: { identity: 'é🔑', key: 'FF' } }, c: { rpk: { publicKey: '3059301306072a' } } },
  { a: { psk: { identity: 'x', key: '01' } }, b: { psk: { identity: 'y', key: '02' } } },
  { d: { x509: {} } },
].map((o) => enc.encode(JSON.stringify(o)));

test('the credentials file reader throws only InvalidSecurityInfoError, and what it accepts round-trips', () => {
  const { ok, rejected } = fuzzDecoder('securityInfoJson', corpus, 30_000, (bytes) => {
    let infos;
    try {
      infos = decodeSecurityInfoFile(bytes);
    } catch (e) {
      if (e instanceof InvalidSecurityInfoError) throw new DecodeError(e.message, 0);
      throw e;
    }
    return () => {
      for (const info of infos) validateSecurityInfo(info);
      assert.doesNotThrow(() => new MemorySecurityStore(infos), 'loads into a store');
      const again = decodeSecurityInfoFile(JSON.stringify(securityInfoFileToJson(infos)));
      assert.deepEqual(again, infos);
    };
  });
  // Byte edits break JSON syntax most of the time; ~1.5% of inputs stay valid JSON files.
  assert.ok(ok > 100 && rejected > 1000, `both outcomes occur (ok ${ok}, rejected ${rejected})`);
});

type J = unknown;
const KEYS = ['psk', 'rpk', 'x509', 'identity', 'key', 'publicKey', 'a', 'b', '', '__proto__'];

function randomValue(m: Mutator): J {
  switch (m.int(8)) {
    case 0:
      return null;
    case 1:
      return m.pick([0, 1, -1, 1.5, true]);
    case 2:
      return m.pick([
        '',
        'id-a',
        'x',
        '00',
        '0',
        'zz',
        'FFee',
        '00'.repeat(64),
        '00'.repeat(65),
        'x'.repeat(129),
        '\ud800',
      ]);
    case 3:
      return [randomValue(m)];
    case 4:
      return { [m.pick(KEYS)]: randomValue(m) };
    default:
      return {};
  }
}

const EDITS = { keys: KEYS, randomValue, maxDepth: 4 };
const mutate = (v: J, m: Mutator): J => mutateJsonTree(v, m, EDITS);

test('the credentials file reader, fed mutated JSON trees, throws only InvalidSecurityInfoError naming a field', () => {
  announceSeed('securityInfoJson trees');
  const m = new Mutator(FUZZ_SEED);
  const seeds = corpus.map((b) => JSON.parse(new TextDecoder().decode(b)) as J);
  let accepted = 0;
  let rejected = 0;
  for (let i = 0; i < 20_000; i++) {
    let input = m.pick(seeds);
    for (let e = 1 + m.int(3); e > 0; e--) input = mutate(input, m);
    const where = `FUZZ_SEED=${FUZZ_SEED} iteration ${i}: ${JSON.stringify(input)}`;
    let infos;
    try {
      infos = parseSecurityInfoFile(input);
    } catch (e) {
      if (!(e instanceof InvalidSecurityInfoError)) assert.fail(`${where} threw ${String(e)}`);
      assert.ok(e.message.length < 400, `${where}: diagnostic length ${e.message.length}`);
      rejected++;
      continue;
    }
    accepted++;
    try {
      new MemorySecurityStore(infos);
      assert.deepEqual(
        parseSecurityInfoFile(JSON.parse(JSON.stringify(securityInfoFileToJson(infos)))),
        infos,
      );
    } catch (e) {
      assert.fail(`${where} was accepted, but ${String(e)}`);
    }
  }
  assert.ok(
    accepted > 1000 && rejected > 1000,
    `both outcomes occur (accepted ${accepted}, rejected ${rejected})`,
  );
});
