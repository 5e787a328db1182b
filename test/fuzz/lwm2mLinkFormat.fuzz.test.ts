// Fuzzes the LwM2M link-format readers (Register payload, Discover response) with 100k+
// mutations each of valid documents: only DecodeError may escape.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDiscoverResponse, parseRegistrationPayload } from '../../src/lwm2m/linkFormat.js';
import { fuzzDecoder } from './mutator.js';

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

test('Register payload parser throws only DecodeError for 110k mutated payloads', () => {
  const { ok, rejected } = fuzzDecoder('registration', registration, 110_000, (bytes) =>
    parseRegistrationPayload(dec.decode(bytes), limits),
  );
  assert.ok(ok > 500 && rejected > 500, `both outcomes occur (ok ${ok}, rejected ${rejected})`);
});

test('Discover response parser throws only DecodeError for 110k mutated payloads', () => {
  const { ok, rejected } = fuzzDecoder('discover', discover, 110_000, (bytes) =>
    parseDiscoverResponse(dec.decode(bytes), limits),
  );
  assert.ok(ok > 500 && rejected > 500, `both outcomes occur (ok ${ok}, rejected ${rejected})`);
});
