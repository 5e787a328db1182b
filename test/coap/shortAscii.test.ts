// shortAscii and the decoders that take it as a fast path (coap/options.ts for Uri options,
// content/utf8.ts for values): over random and mostly-ASCII inputs of every length around the
// bound, they give exactly what the native UTF-8 decoders give, and the same errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shortAscii } from '../../src/coap/shortAscii.js';
import { decodeUtf8 } from '../../src/content/utf8.js';
import { getUriQuery } from '../../src/coap/options.js';
import { DecodeError } from '../../src/transport/DecodeError.js';
import { OptionNumber, type CoapMessage } from '../../src/coap/CoapMessage.js';
import { FUZZ_SEED, Mutator, announceSeed } from '../fuzz/mutator.js';

const fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenient = new TextDecoder('utf-8');

/** Bytes of `length`: ASCII, with a byte of 0x80 and over at one place in a third of them. */
function sample(m: Mutator, length: number): Uint8Array {
  const b = new Uint8Array(length);
  for (let i = 0; i < length; i++) b[i] = Math.floor(m.rnd() * 0x80);
  if (length > 0 && m.rnd() < 1 / 3) b[Math.floor(m.rnd() * length)] = 0x80 + Math.floor(m.rnd() * 0x80);
  if (length > 2 && m.rnd() < 0.1) b.set([0xc3, 0xa9], Math.floor(m.rnd() * (length - 1))); // é
  return b;
}

test('shortAscii: the text of short ASCII input, undefined for anything else', () => {
  assert.equal(shortAscii(new TextEncoder().encode('ep=node-1'), 32), 'ep=node-1');
  assert.equal(shortAscii(new Uint8Array(0), 0), '');
  assert.equal(shortAscii(Uint8Array.of(0x41, 0x80), 32), undefined);
  assert.equal(shortAscii(new Uint8Array(33).fill(0x41), 32), undefined);
  assert.equal(shortAscii(new Uint8Array(32).fill(0x41), 32), 'A'.repeat(32));
  assert.equal(shortAscii(Uint8Array.of(0, 0x7f), 2), '\u0000\u007f');
});

test('decodeUtf8 and Uri options decode as the native decoders do, at every length around the bound', () => {
  announceSeed('shortAscii');
  const m = new Mutator(FUZZ_SEED);
  for (let n = 0; n < 20_000; n++) {
    const bytes = sample(m, n % 48);
    let expected: string | Error;
    try {
      expected = fatal.decode(bytes);
    } catch (e) {
      expected = e as Error;
    }
    if (typeof expected === 'string') assert.equal(decodeUtf8(bytes), expected, `seed ${FUZZ_SEED}`);
    else assert.throws(() => decodeUtf8(bytes), DecodeError, `seed ${FUZZ_SEED}`);
    const msg = { options: [{ number: OptionNumber.URI_QUERY, value: bytes }] } as unknown as CoapMessage;
    assert.deepEqual(getUriQuery(msg), [lenient.decode(bytes)], `seed ${FUZZ_SEED}`);
  }
});
