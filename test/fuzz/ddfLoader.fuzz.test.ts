import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDdf } from '../../src/model/ddfLoader.js';
import { DdfError } from '../../src/model/DdfError.js';
import { readRegistryFile, registryAvailability } from '../support/registryFiles.js';
import { FUZZ_SEED, announceSeed } from './mutator.js';

const availability = registryAvailability();

/** Seeded PRNG (mulberry32) so a failure can be replayed from FUZZ_SEED and its iteration number. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// prettier-ignore
const TOKENS = [
  '', '<', '>', '/', '&', '&amp;', '&#0;', '&#xFFFF;', '&#99999999;', ']]>', '<![CDATA[', '<!--', '-->', '"', "'",
  '<Item ID="1">', '</Item>', '<Item>', '<Object>', '</Object>', '<LWM2M>', '</LWM2M>', '<Resources/>',
  '<?xml version="1.0"?>', '<!DOCTYPE x [<!ENTITY a "aaaaaaaa">]>', '&a;', '<x:Name>', 'xmlns:x="u"',
  'R', 'RW', 'E', 'WR', 'X', 'Multiple', 'Single', 'Optional', 'Float', 'Unsigned Integer', 'objlnk',
  '65535', '65534', '-1', '0x10', '1e3', '1.1', 'x.y', '__proto__', 'constructor', 'hasOwnProperty',
  '<__proto__>1</__proto__>', '<constructor/>', '<Type/>', '<Name/>', '\u0000', '\uFFFE', '\uD800', '\n', '   ',
];

/** One mutation of `doc`: splice, duplicate, truncate, or replace an element's text or the element. */
function mutate(doc: string, rnd: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const at = Math.floor(rnd() * (doc.length + 1));
  const len = Math.floor(rnd() * 40);
  switch (Math.floor(rnd() * 6)) {
    case 0:
      return doc.slice(0, at) + pick(TOKENS) + doc.slice(at + (rnd() < 0.5 ? 0 : len));
    case 1:
      return doc.slice(0, at) + doc.slice(at, at + len * 8) + doc.slice(at);
    case 2:
      return doc.slice(0, at);
    case 3: {
      // Replace the text of one leaf element, keeping the XML well-formed more often than not.
      const leaves = [...doc.matchAll(/<(\w+)( [^>]*)?>([^<]*)<\/\1>/g)];
      const m = leaves.length ? pick(leaves) : undefined;
      if (!m || m.index === undefined) return doc;
      return `${doc.slice(0, m.index)}<${m[1]}${m[2] ?? ''}>${pick(TOKENS)}</${m[1]}>${doc.slice(m.index + m[0].length)}`;
    }
    case 4: {
      // Drop one leaf element or duplicate it.
      const leaves = [...doc.matchAll(/<(\w+)( [^>]*)?>[^<]*<\/\1>/g)];
      const m = leaves.length ? pick(leaves) : undefined;
      if (!m || m.index === undefined) return doc;
      return doc.slice(0, m.index) + (rnd() < 0.5 ? '' : m[0] + m[0]) + doc.slice(m.index + m[0].length);
    }
    default: {
      const ids = [...doc.matchAll(/ID="\d+"/g)];
      const m = ids.length ? pick(ids) : undefined;
      if (!m || m.index === undefined) return doc;
      return `${doc.slice(0, m.index)}ID="${pick(TOKENS)}"${doc.slice(m.index + m[0].length)}`;
    }
  }
}

test('parseDdf throws only DdfError for thousands of mutated registry documents', availability, () => {
  const bases = ['3311.xml', '7.xml', '1.xml'].map((n) => readRegistryFile(n).replace(/<!--[\s\S]*?-->/, ''));
  announceSeed('DDF loader');
  const rnd = prng(FUZZ_SEED);
  let loaded = 0;
  let rejected = 0;
  for (let i = 0; i < 3000; i++) {
    let doc = bases[i % bases.length] as string;
    const rounds = 1 + Math.floor(rnd() * 3);
    for (let k = 0; k < rounds; k++) doc = mutate(doc, rnd);
    try {
      const models = parseDdf(doc, `fuzz-${i}.xml`);
      assert.ok(models.length > 0, `FUZZ_SEED=${FUZZ_SEED} iteration ${i}: no models and no error`);
      for (const m of models)
        assert.ok(m.resources instanceof Map && Number.isInteger(m.id), `iteration ${i}`);
      loaded++;
    } catch (e) {
      if (!(e instanceof DdfError))
        assert.fail(
          `FUZZ_SEED=${FUZZ_SEED} iteration ${i}: threw ${String(e)}\n--- input ---\n${doc.slice(0, 2000)}`,
        );
      assert.equal(e.source, `fuzz-${i}.xml`);
      assert.ok(
        e.line >= 1 && e.offset >= 0 && e.offset <= doc.length,
        `iteration ${i}: position ${e.line}/${e.offset}`,
      );
      rejected++;
    }
  }
  assert.ok(
    loaded > 100 && rejected > 100,
    `FUZZ_SEED=${FUZZ_SEED}: both outcomes exercised: ${loaded} loaded, ${rejected} rejected`,
  );
});
