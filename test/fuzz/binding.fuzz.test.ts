// Hostile input at the seam: random and mutated CoAP requests and responses. The request mappings
// either return a request or throw an error the router renders as a 4.xx code (never a 5.00 from
// an unexpected exception); toLwm2mResponse never throws. Seeded: FUZZ_SEED replays a run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromCoapRequest } from '../../src/binding/fromCoapRequest.js';
import { fromUplinkRequest } from '../../src/binding/fromUplinkRequest.js';
import { toCoapRequest } from '../../src/binding/toCoapRequest.js';
import { toLwm2mResponse } from '../../src/binding/toLwm2mResponse.js';
import type { CoapRequestOptions } from '../../src/coap/CoapRequest.js';
import { OptionNumber, type CoapOption } from '../../src/coap/CoapMessage.js';
import { encodeUint } from '../../src/coap/options.js';
import { renderError } from '../../src/coap/Router.js';
import { instance, resource } from '../../src/lwm2m/nodes.js';
import * as r from '../../src/lwm2m/requests.js';
import { integerValue, stringValue } from '../../src/lwm2m/values.js';
import { FUZZ_SEED, Mutator } from './mutator.js';
import { incoming, models, received } from '../binding/coapFixtures.js';

const FORMATS = [undefined, 0, 40, 42, 60, 110, 112, 1542, 11542, 11543, 11544, 9999];
const SEGMENTS = [
  '3',
  '0',
  '9',
  '1',
  '3303',
  '5700',
  '6',
  'bs',
  'rd',
  'dp',
  'lwm2m',
  'x',
  '65535',
  '007',
  '',
];
const QUERIES = [
  'pmin=1',
  'pmax',
  'gt=2.5',
  'depth=1',
  'depth=x',
  'ep=e',
  'lt=60',
  'b=U',
  'Q',
  'pct=112',
  'edge=2',
  '=',
  'foo',
];

const seedPayloads: Uint8Array[] = (() => {
  const ctx = { models, lwm2mVersion: '1.2' as const };
  const dev = instance(0, [resource(0, stringValue('ACME')), resource(9, integerValue(5))]);
  const reqs = [
    ...[11542, 11543, 110, 112, 11544].map((format) => r.write('/3/0', dev, { format })),
    r.write('/3/0/9', resource(9, integerValue(5)), { format: 0 }),
    r.readComposite(['/3/0/9', '/1/0'], { requestFormat: 110 }),
    r.readComposite(['/3/0/9'], { requestFormat: 112 }),
    r.create('/3303', [instance(1, [])], { format: 11542 }),
  ];
  return reqs.map((q) => toCoapRequest(q, ctx).payload as Uint8Array);
})();

function randomRequest(m: Mutator): { opts: CoapRequestOptions; options: CoapOption[] } {
  const path = Array.from({ length: m.int(5) }, () => m.pick(SEGMENTS));
  const query = Array.from({ length: m.int(3) }, () => m.pick(QUERIES));
  const payload = m.int(3) === 0 ? m.bytes(m.int(12)) : m.mutate(m.pick(seedPayloads), seedPayloads);
  const options: CoapOption[] = [];
  const observe = m.pick([undefined, 0, 1, 7]);
  if (observe !== undefined) options.push({ number: OptionNumber.OBSERVE, value: encodeUint(observe) });
  const contentFormat = m.pick(FORMATS);
  const accept = m.pick(FORMATS);
  const opts: CoapRequestOptions = {
    method: m.pick(['GET', 'POST', 'PUT', 'DELETE', 'FETCH', 'PATCH', 'IPATCH', 8] as const),
    path,
    query,
    payload,
    options,
    ...(contentFormat === undefined ? {} : { contentFormat }),
    ...(accept === undefined ? {} : { accept }),
  };
  return { opts, options };
}

function expectRenderable(fn: () => unknown, what: string): void {
  try {
    fn();
  } catch (e) {
    const code = renderError(e).code;
    assert.ok(code >= 0x80 && code < 0xa0, `${what} (seed ${FUZZ_SEED}): ${String(e)}`);
  }
}

test('random requests map to a request or to a 4.xx error on client and server', () => {
  const m = new Mutator(FUZZ_SEED);
  const uplinkCtx = { models, registrationVersion: () => '1.1' as const };
  for (let i = 0; i < 3000; i++) {
    const { opts } = randomRequest(m);
    const req = incoming(opts, new Uint8Array([1]));
    const what = `#${i} ${String(opts.method)} /${(opts.path as string[]).join('/')}`;
    expectRenderable(() => fromCoapRequest(req, { models, bootstrap: false }), what);
    expectRenderable(() => fromCoapRequest(req, { models, bootstrap: true }), what);
    expectRenderable(() => fromCoapRequest(req, { models, bootstrap: false, rootPath: '/lwm2m' }), what);
    expectRenderable(() => fromUplinkRequest(req, uplinkCtx), what);
  }
});

test('toLwm2mResponse never throws, whatever the response', () => {
  const m = new Mutator(FUZZ_SEED + 1);
  const reqs = [
    r.read('/3/0'),
    r.read('/3/0/9'),
    r.observe('/3303/0/5700'),
    r.discover('/3'),
    r.create('/3303', [instance(1, [])]),
    r.readComposite(['/3/0/9']),
    r.observeComposite(['/3/0/9']),
    r.bootstrapDiscover(),
    r.bootstrapRead('/1'),
  ];
  for (let i = 0; i < 3000; i++) {
    const contentFormat = m.pick(FORMATS);
    const options: CoapOption[] =
      m.int(4) === 0
        ? [{ number: OptionNumber.LOCATION_PATH, value: m.pick([Uint8Array.of(0x33), m.bytes(3)]) }]
        : [];
    const res = received({
      code: m.pick([0x41, 0x44, 0x45, 0x84, 0xa0]),
      payload: m.int(3) === 0 ? m.bytes(m.int(12)) : m.mutate(m.pick(seedPayloads), seedPayloads),
      options,
      ...(contentFormat === undefined ? {} : { contentFormat }),
    });
    const req = m.pick(reqs);
    const out = toLwm2mResponse(req, res, models);
    assert.equal(typeof out.ok, 'boolean', `seed ${FUZZ_SEED} #${i}`);
    if (out.failure !== undefined) assert.equal(out.failure, 'decode');
  }
});
