// Fuzzes the credentials CSV parser of the REST import (src/http/securityCsv.ts, RFC 4180) with
// mutated files: it either throws InvalidSecurityInfoError (a bad header, an unclosed quote, too
// many lines) or returns at most maxRows rows, each with credentials or an error, never both; and
// files written from random fields with RFC 4180 quoting parse back to the same fields.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSecurityCsv } from '../../src/http/securityCsv.js';
import { InvalidSecurityInfoError } from '../../src/lwm2m/SecurityInfo.js';
import { FUZZ_SEED, Mutator } from './mutator.js';

const enc = new TextEncoder();
const dec = new TextDecoder();
const seeds = [
  'endpoint,mode,identity,key,publicKey\r\ndev-1,psk,id-1,00112233,\r\ndev-2,x509,,,\r\n',
  'mode,endpoint,publicKey\n"dev,3",rpk,"3059301306072a8648ce3d020106082a"\ndev-4,psk,\n',
  '\ufeffendpoint,mode\n"a ""quoted"" name",x509\n\n"multi\nline",x509',
].map((s) => enc.encode(s));
const MAX_ROWS = 50;

test('the credentials CSV parser returns bounded, well-formed rows or throws InvalidSecurityInfoError for 50k mutated files', () => {
  const m = new Mutator(FUZZ_SEED);
  let parsed = 0;
  for (let i = 0; i < 50_000; i++) {
    const text = dec.decode(m.mutate(m.pick(seeds), seeds));
    let rows;
    try {
      rows = parseSecurityCsv(text, MAX_ROWS);
    } catch (e) {
      assert.ok(
        e instanceof InvalidSecurityInfoError,
        `FUZZ_SEED=${FUZZ_SEED} ${JSON.stringify(text)}: ${String(e)}`,
      );
      continue;
    }
    parsed++;
    assert.ok(rows.length <= MAX_ROWS, `FUZZ_SEED=${FUZZ_SEED}`);
    for (const r of rows) {
      assert.ok(Number.isInteger(r.line) && r.line >= 2, `FUZZ_SEED=${FUZZ_SEED} line ${r.line}`);
      assert.notEqual(
        r.credentials === undefined,
        r.error === undefined,
        `FUZZ_SEED=${FUZZ_SEED} ${JSON.stringify(r)}`,
      );
    }
  }
  assert.ok(parsed > 1_000, `only ${parsed} mutated files parsed`);
});

const quote = (v: string): string => (/[",\r\n]|^\s|\s$/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

test('files written with RFC 4180 quoting parse back to their fields (5k random files)', () => {
  const m = new Mutator(FUZZ_SEED);
  const alphabet = 'ab,"\r\n x-1\u00e9';
  const text = (max: number): string => {
    let s = '';
    for (let n = m.int(max); n > 0; n--) s += alphabet[m.int(alphabet.length)]!;
    return s;
  };
  for (let i = 0; i < 5_000; i++) {
    const rows = Array.from({ length: 1 + m.int(5) }, () => ({
      endpoint: `e${text(6)}e`, // no edge spaces: the parser trims fields
      identity: `i${text(6)}i`,
      key: '0a1b',
    }));
    const lineEnd = m.pick(['\r\n', '\n']);
    const file =
      `endpoint,mode,identity,key,publicKey${lineEnd}` +
      rows.map((r) => [r.endpoint, 'psk', r.identity, r.key, ''].map(quote).join(',')).join(lineEnd) +
      (m.int(2) === 0 ? lineEnd : '');
    const parsed = parseSecurityCsv(file, 10);
    assert.deepEqual(
      parsed.map((p) => [p.endpoint, p.credentials]),
      rows.map((r) => [r.endpoint, { psk: { identity: r.identity, key: r.key } }]),
      `FUZZ_SEED=${FUZZ_SEED} ${JSON.stringify(file)}`,
    );
  }
});
