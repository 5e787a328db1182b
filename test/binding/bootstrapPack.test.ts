// Bootstrap-Pack-Request both ways (Core TS 1.2, Transport TS 1.2): what a client builds is what
// fromUplinkRequest reads on the Bootstrap-Server, and the 2.05 pack a server builds is what
// the client reads back, in each of the three pack formats.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BOOTSTRAP_PACK_FORMATS,
  bootstrapPackRequest,
  bootstrapPackResponse,
  decodeBootstrapPack,
  parseBootstrapPackResponse,
} from '../../src/binding/bootstrapPack.js';
import { fromUplinkRequest } from '../../src/binding/fromUplinkRequest.js';
import { Code } from '../../src/coap/CoapMessage.js';
import type { CoapRequestOptions } from '../../src/coap/CoapRequest.js';
import { aclInstanceNode, securityInstanceNode, serverInstanceNode } from '../../src/lwm2m/bootstrapNodes.js';
import { nodesEqual, object } from '../../src/lwm2m/nodes.js';
import { incoming, models, received, renderedCode } from './coapFixtures.js';

const uplink = (opts: CoapRequestOptions) => fromUplinkRequest(incoming(opts), { models });
const pack = [
  object(0, [
    securityInstanceNode(1, {
      uri: 'coap://s',
      bootstrapServer: false,
      securityMode: 'nosec',
      shortServerId: 1,
    }),
  ]),
  object(1, [serverInstanceNode(0, { shortServerId: 1, lifetime: 60, binding: 'U' })]),
  object(2, [aclInstanceNode(0, { objectId: 3, objectInstanceId: 0, acl: { 1: 15, 2: 1 }, owner: 1 })]),
];

test('Bootstrap-Pack-Request is GET /bspack?ep=.. with Accept; unknown parameters are ignored', () => {
  const opts = bootstrapPackRequest('node-7', 110);
  assert.deepEqual(
    [opts.method, opts.path, opts.query, opts.accept],
    ['GET', ['bspack'], ['ep=node-7'], 110],
  );
  assert.deepEqual(uplink(opts), { kind: 'bootstrapPackRequest', endpoint: 'node-7', accept: 110 });
  assert.deepEqual(uplink({ method: 'GET', path: '/bspack', query: ['ep=n', 'x=1'] }), {
    kind: 'bootstrapPackRequest',
    endpoint: 'n',
  });
  const code = (o: CoapRequestOptions) => renderedCode(() => uplink(o));
  assert.equal(code({ method: 'GET', path: '/bspack' }), Code.BAD_REQUEST, 'no ep');
  assert.equal(code({ method: 'GET', path: '/bspack', query: ['ep=a', 'ep=b'] }), Code.BAD_REQUEST);
  assert.equal(code({ method: 'POST', path: '/bspack', query: ['ep=a'] }), Code.METHOD_NOT_ALLOWED);
  assert.equal(code({ method: 'GET', path: '/bspack/x', query: ['ep=a'] }), Code.NOT_FOUND);
});

test('the pack round-trips in SenML CBOR, SenML JSON and LwM2M CBOR', () => {
  for (const format of BOOTSTRAP_PACK_FORMATS) {
    const res = received(bootstrapPackResponse(pack, format, models));
    assert.equal(res.code, Code.CONTENT);
    const got = parseBootstrapPackResponse(res, models, format);
    assert.ok(got.ok, String(format));
    assert.equal(got.format, format);
    assert.equal(got.objects.length, 3);
    got.objects.forEach((o, i) => assert.ok(nodesEqual(o, pack[i]!), `${format} object ${o.id}`));
  }
});

test('records of one object need not be contiguous; a pack format is required', () => {
  const json = '[{"n":"/1/0/1","v":60},{"n":"/0/1/0","vs":"coap://s"},{"n":"/1/0/0","v":1}]';
  const objects = decodeBootstrapPack(new TextEncoder().encode(json), 110, models);
  assert.deepEqual(
    objects.map((o) => [o.id, o.instances.map((i) => i.resources.map((r) => r.id))]),
    [
      [1, [[0, 1]]],
      [0, [[0]]],
    ],
  );
  assert.throws(() => decodeBootstrapPack(new Uint8Array(0), 11542, models), /not a Bootstrap-Pack format/);
  assert.throws(() => bootstrapPackResponse(pack, 11542, models), /SenML CBOR, SenML JSON or LwM2M CBOR/);
});

test('an error answer is data with its diagnostic; a 2.05 without Content-Format is read as the Accept', () => {
  const notFound = received({ code: Code.NOT_FOUND, payload: new TextEncoder().encode('no pack here') });
  assert.deepEqual(parseBootstrapPackResponse(notFound, models), {
    ok: false,
    code: Code.NOT_FOUND,
    diagnostic: 'no pack here',
  });
  const bare = received({ ...bootstrapPackResponse(pack, 110, models), contentFormat: undefined });
  const got = parseBootstrapPackResponse(bare, models, 110);
  assert.ok(got.ok && got.objects.length === 3);
});
