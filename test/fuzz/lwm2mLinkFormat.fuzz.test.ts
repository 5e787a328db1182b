// Fuzzes the LwM2M link-format readers (Register payload, Discover response) with 100k+
// mutations each of valid documents: only DecodeError may escape, and whatever is accepted is
// formatted again and parses to the same objects / links.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatDiscoverResponse,
  formatRegistrationPayload,
  parseDiscoverResponse,
  parseRegistrationPayload,
  type DiscoverLink,
} from '../../src/lwm2m/linkFormat.js';
import { FUZZ_SEED, fuzzDecoder } from './mutator.js';

const enc = new TextEncoder();
const dec = new TextDecoder();
const registration = [
  '</1/0>,</2/0>,</2/1>,</3/0>,</5>',
  '</lwm2m>;rt="oma.lwm2m",</lwm2m/1/101>,</lwm2m/1/102>,</lwm2m/3/0>',
  '</>;rt="oma.lwm2m";ct="60 110 112 11542 11543",</1>;ver=1.1,</1/0>,</3/0>,</3442/0>',
].map((s) => enc.encode(s));
const discover = [
  '</3>;pmin=10,</3/0>,</3/0/1>,</3/0/6>;dim=8,</3/0/7>;dim=8;gt=50;lt=42.2;st=0.5,</3/0/11>;rt="x"',
  '</>;lwm2m=1.1,</0/0>;ssid=101;uri="coap://server1.example.com:5683",</1/0>;ssid=101,</3/0>',
  '</3/0/7>;epmin=1;epmax=5;edge=1;con=0;hqmax=3;pmax',
].map((s) => enc.encode(s));
const limits = { maxLinks: 64, maxLength: 4096 };

/** A DiscoverLink as plain data, to compare a parse with the parse of its formatted form. */
const plainLink = (l: DiscoverLink) => ({
  path: l.path.toString(),
  attributes: l.attributes,
  other: l.otherParams,
});

test('Register payload parser throws only DecodeError for 110k mutated payloads; accepted ones round-trip', () => {
  const { ok, rejected } = fuzzDecoder('registration', registration, 110_000, (bytes) => {
    const reg = parseRegistrationPayload(dec.decode(bytes), limits);
    return () => {
      // Normalizations: instances come back sorted, a trailing "/" on the root path is dropped.
      const again = parseRegistrationPayload(formatRegistrationPayload(reg), { maxLinks: 1_000 });
      assert.equal(again.rootPath, reg.rootPath);
      assert.deepEqual(again.contentFormats, reg.contentFormats);
      assert.deepEqual(new Map([...again.objects]), new Map([...reg.objects]));
    };
  });
  assert.ok(
    ok > 500 && rejected > 500,
    `seed ${FUZZ_SEED}: both outcomes occur (ok ${ok}, rejected ${rejected})`,
  );
});

test('Discover response parser throws only DecodeError for 110k mutated payloads; accepted ones round-trip', () => {
  const { ok, rejected } = fuzzDecoder('discover', discover, 110_000, (bytes) => {
    const links = parseDiscoverResponse(dec.decode(bytes), limits);
    return () => {
      const again = parseDiscoverResponse(formatDiscoverResponse(links), { maxLinks: 1_000 });
      assert.deepEqual(again.map(plainLink), links.map(plainLink));
    };
  });
  assert.ok(
    ok > 500 && rejected > 500,
    `seed ${FUZZ_SEED}: both outcomes occur (ok ${ok}, rejected ${rejected})`,
  );
});
