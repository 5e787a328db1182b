// The client side of responses: answers encoded in the Accept'ed or preferred format (4.06 when
// that format cannot carry the content), discover links as link format, Create's Location-Path;
// each read back by the server's toLwm2mResponse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  changedResponse,
  compositeContentResponse,
  contentResponse,
  createdResponse,
  deletedResponse,
  discoverResponse,
  type ClientResponseContext,
} from '../../src/binding/toCoapResponse.js';
import { toLwm2mResponse } from '../../src/binding/toLwm2mResponse.js';
import { Code } from '../../src/coap/CoapMessage.js';
import { Lwm2mPath } from '../../src/lwm2m/Lwm2mPath.js';
import { instance, resource } from '../../src/lwm2m/nodes.js';
import * as r from '../../src/lwm2m/requests.js';
import { floatValue, integerValue, stringValue } from '../../src/lwm2m/values.js';
import { models, received, renderedCode } from './coapFixtures.js';

const client: ClientResponseContext = { models, lwm2mVersion: '1.1' };
const P = (s: string) => Lwm2mPath.parse(s);
const device = instance(0, [resource(0, stringValue('ACME')), resource(9, integerValue(77))]);

test('content goes in the Accept-ed format and reads back on the server', () => {
  for (const accept of [11542, 11543, 110, 112]) {
    const out = contentResponse(P('/3/0'), device, accept, client);
    assert.equal(out.code, Code.CONTENT);
    assert.equal(out.contentFormat, accept);
    const back = toLwm2mResponse(r.read('/3/0', { format: accept }), received(out), models);
    assert.deepEqual(back, { code: Code.CONTENT, ok: true, content: device, format: accept });
  }
});

test('without Accept the client uses its preferred format: text for a value, SenML CBOR for a tree', () => {
  assert.equal(
    contentResponse(P('/3/0/9'), resource(9, integerValue(77)), undefined, client).contentFormat,
    0,
  );
  assert.equal(contentResponse(P('/3/0'), device, undefined, client).contentFormat, 112);
  const v10 = { ...client, lwm2mVersion: '1.0' as const };
  assert.equal(contentResponse(P('/3/0'), device, undefined, v10).contentFormat, 11542);
});

test('an Accept-ed format that cannot carry the node, or that the version lacks, is 4.06', () => {
  assert.equal(
    renderedCode(() => contentResponse(P('/3/0'), device, 0, client)),
    Code.NOT_ACCEPTABLE,
  );
  assert.equal(
    renderedCode(() => contentResponse(P('/3/0'), device, 11544, client)),
    Code.NOT_ACCEPTABLE,
  );
  assert.equal(
    renderedCode(() => contentResponse(P('/3/0'), device, 4711, client)),
    Code.NOT_ACCEPTABLE,
  );
  const nodes = [{ path: P('/3/0/9'), node: resource(9, integerValue(1)) }];
  assert.equal(
    renderedCode(() => compositeContentResponse(nodes, 11542, client)),
    Code.NOT_ACCEPTABLE,
  );
});

test('composite content reads back as nodes at their paths', () => {
  const nodes = [
    { path: P('/3/0/9'), node: resource(9, integerValue(77)) },
    { path: P('/3303/0/5700'), node: resource(5700, floatValue(20.5)) },
  ];
  const out = compositeContentResponse(nodes, undefined, client);
  assert.equal(out.contentFormat, 112);
  const back = toLwm2mResponse(r.readComposite(['/3/0/9', '/3303/0/5700']), received(out), models);
  assert.deepEqual(back.content, nodes);
});

test('Discover answers link format that the server parses back', () => {
  const out = discoverResponse([
    { path: P('/3303'), attributes: { pmin: 10 }, otherParams: [] },
    { path: P('/3303/0/5700'), attributes: {}, otherParams: [] },
  ]);
  assert.equal(out.contentFormat, 40);
  const back = toLwm2mResponse(r.discover('/3303'), received(out), models);
  assert.deepEqual(
    back.links?.map((l) => [l.path.toString(), l.attributes]),
    [
      ['/3303', { pmin: 10 }],
      ['/3303/0/5700', {}],
    ],
  );
});

test('Create answers 2.01 with the new instance as Location-Path, below the root path', () => {
  const out = createdResponse(P('/3303/4'), '/lwm2m');
  assert.equal(out.code, Code.CREATED);
  assert.deepEqual(
    out.options?.map((o) => new TextDecoder().decode(o.value)),
    ['lwm2m', '3303', '4'],
  );
  const back = toLwm2mResponse(r.create('/3303', [instance(65535, [])]), received(out), models);
  assert.deepEqual(back.location, P('/3303/4'));
});

test('Write and Delete answer 2.04 and 2.02', () => {
  assert.equal(changedResponse().code, Code.CHANGED);
  assert.equal(deletedResponse().code, Code.DELETED);
});
