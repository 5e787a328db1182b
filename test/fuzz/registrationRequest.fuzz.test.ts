// Fuzzes Register/Update request parsing (Core TS 1.1.1 section 6.2) with mutated Uri-Query
// options and payloads: the only errors that may escape are BadRequestError (the server's 4.00)
// and UnsupportedLwm2mVersionError (4.12).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BadRequestError } from '../../src/lwm2m/errors.js';
import {
  parseRegisterRequest,
  parseUpdateRequest,
  UnsupportedLwm2mVersionError,
} from '../../src/lwm2m/registrationRequest.js';
import { makePeer } from '../../src/transport/Peer.js';
import { FUZZ_SEED, Mutator } from './mutator.js';

const enc = new TextEncoder();
const dec = new TextDecoder();
const peer = makePeer('192.0.2.1', 5683);
const queries = ['ep=dev-1', 'lt=300', 'lwm2m=1.1', 'b=UQS', 'sms=+3361234', 'Q', 'x=1', 'lwm2m=1.0', 'b=TN'];
const payloads = [
  '</1/0>,</2/0>,</2/1>,</3/0>,</5>',
  '</lwm2m>;rt="oma.lwm2m",</lwm2m/1/101>,</lwm2m/3/0>',
  '</>;rt="oma.lwm2m";ct="60 11543",</1>;ver=1.1,</1/0>,</3/0>',
].map((s) => enc.encode(s));
const corpus = queries.map((s) => enc.encode(s));

test('Register and Update parsing throw only 4.00 or 4.12 errors for 30k mutated requests', () => {
  const m = new Mutator(FUZZ_SEED);
  let ok = 0;
  let rejected = 0;
  for (let i = 0; i < 30_000; i++) {
    const query = Array.from({ length: m.int(6) }, () =>
      m.int(3) === 0 ? dec.decode(m.mutate(m.pick(corpus), corpus)) : m.pick(queries),
    );
    if (m.int(2) === 0) query.unshift('ep=x');
    const payload = dec.decode(m.int(2) === 0 ? m.mutate(m.pick(payloads), payloads) : m.pick(payloads));
    try {
      if (i % 2 === 0) parseRegisterRequest(query, payload, peer);
      else parseUpdateRequest(query, payload, m.pick(['1.0', '1.1', '1.2'] as const));
      ok++;
    } catch (e) {
      if (!(e instanceof BadRequestError) && !(e instanceof UnsupportedLwm2mVersionError))
        assert.fail(`FUZZ_SEED=${FUZZ_SEED}: ${String(e)} for ${JSON.stringify({ query, payload })}`);
      assert.ok(e.message.length > 0 && e.message.length < 300, `diagnostic length ${e.message.length}`);
      rejected++;
    }
  }
  assert.ok(ok > 1000 && rejected > 1000, `both outcomes occur (ok ${ok}, rejected ${rejected})`);
});
