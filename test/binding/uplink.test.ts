// Uplinks both ways (Transport TS 1.1.1 sections 6.2, 6.3, 6.5): what a client builds with
// uplinkRequests.ts is what fromUplinkRequest reads on the server, and the server's answers from
// toUplinkResponse.ts are what the client reads back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromUplinkRequest, type UplinkContext } from '../../src/binding/fromUplinkRequest.js';
import {
  bootstrapAcceptedResponse,
  deregisteredResponse,
  registeredResponse,
  sendAcceptedResponse,
  updatedResponse,
} from '../../src/binding/toUplinkResponse.js';
import {
  bootstrapRequest,
  deregisterRequest,
  parseRegisterResponse,
  registerRequest,
  sendRequest,
  updateRequest,
} from '../../src/binding/uplinkRequests.js';
import { Code } from '../../src/coap/CoapMessage.js';
import type { CoapRequestOptions } from '../../src/coap/CoapRequest.js';
import { InvalidRequestError } from '../../src/lwm2m/requestErrors.js';
import type { RegistrationObjects } from '../../src/lwm2m/linkFormat.js';
import { Lwm2mPath } from '../../src/lwm2m/Lwm2mPath.js';
import { resource } from '../../src/lwm2m/nodes.js';
import { floatValue, integerValue } from '../../src/lwm2m/values.js';
import { bytes, incoming, models, received, renderedCode, text } from './coapFixtures.js';

const objects: RegistrationObjects = {
  rootPath: '/',
  objects: new Map([
    [1, { instances: [0] }],
    [3, { version: '1.2', instances: [0] }],
    [3303, { instances: [0, 1] }],
  ]),
  contentFormats: [],
};
const server: UplinkContext = { models, registrationVersion: (id) => (id === 'a1b2' ? '1.1' : undefined) };
const uplink = (opts: CoapRequestOptions, ctx = server) => fromUplinkRequest(incoming(opts), ctx);

test('Register is POST /rd with ep, lt, lwm2m, b, Q and the objects as link format', () => {
  const opts = registerRequest({
    endpoint: 'node-7',
    lifetime: 300,
    lwm2mVersion: '1.1',
    binding: 'U',
    queueMode: true,
    objects,
  });
  assert.equal(opts.method, 'POST');
  assert.deepEqual(opts.path, ['rd']);
  assert.deepEqual(opts.query, ['ep=node-7', 'lt=300', 'lwm2m=1.1', 'b=U', 'Q']);
  assert.equal(opts.contentFormat, 40);
  assert.equal(text(opts.payload), '</1/0>,</3>;ver=1.2,</3/0>,</3303/0>,</3303/1>');
  const got = uplink(opts);
  assert.equal(got.kind, 'register');
  if (got.kind !== 'register') return;
  assert.equal(got.request.endpoint, 'node-7');
  assert.equal(got.request.lifetime, 300);
  assert.equal(got.request.queueMode, true);
  assert.deepEqual([...got.request.objectLinks.objects.keys()], [1, 3, 3303]);
});

test('a 1.0 client cannot use the Q parameter', () => {
  assert.throws(
    () => registerRequest({ endpoint: 'e', lwm2mVersion: '1.0', queueMode: true, objects }),
    InvalidRequestError,
  );
});

test('the server answers Register with 2.01 and Location-Path rd/{id}, which the client keeps', () => {
  const res = received(registeredResponse('a1b2'));
  assert.equal(res.code, Code.CREATED);
  assert.deepEqual(parseRegisterResponse(res), { code: Code.CREATED, ok: true, location: ['rd', 'a1b2'] });
  assert.deepEqual(parseRegisterResponse(received({ code: Code.FORBIDDEN, payload: bytes('unknown ep') })), {
    code: Code.FORBIDDEN,
    ok: false,
    diagnostic: 'unknown ep',
  });
  assert.equal(parseRegisterResponse(received({ code: Code.CREATED })).failure, 'decode');
});

test('Update is POST to the location with only what changed', () => {
  const opts = updateRequest(['rd', 'a1b2'], { lifetime: 600, objects });
  assert.deepEqual(opts.query, ['lt=600']);
  const got = uplink(opts);
  assert.equal(got.kind, 'update');
  if (got.kind !== 'update') return;
  assert.equal(got.registrationId, 'a1b2');
  assert.equal(got.update.lifetime, 600);
  assert.equal(got.update.binding, undefined);
  assert.deepEqual([...(got.update.objectLinks?.objects.keys() ?? [])], [1, 3, 3303]);
  const refresh = updateRequest(['rd', 'a1b2']);
  assert.equal(refresh.query, undefined);
  assert.equal(refresh.payload, undefined);
  assert.deepEqual(uplink(refresh), { kind: 'update', registrationId: 'a1b2', update: {} });
  assert.equal(received(updatedResponse()).code, Code.CHANGED);
});

test('an Update for an unknown registration is 4.04', () => {
  assert.equal(
    renderedCode(() => uplink(updateRequest(['rd', 'zzz']))),
    Code.NOT_FOUND,
  );
});

test('De-register is DELETE on the location, answered 2.02', () => {
  assert.deepEqual(uplink(deregisterRequest(['rd', 'a1b2'])), { kind: 'deregister', registrationId: 'a1b2' });
  assert.equal(received(deregisteredResponse()).code, Code.DELETED);
});

test('Send is POST /dp with SenML; timestamped groups come back in order', () => {
  const data = [
    {
      timestamp: 1_700_000_000,
      nodes: [{ path: Lwm2mPath.parse('/3303/0/5700'), node: resource(5700, floatValue(20)) }],
    },
    {
      timestamp: 1_700_000_060,
      nodes: [{ path: Lwm2mPath.parse('/3303/0/5700'), node: resource(5700, floatValue(21)) }],
    },
  ];
  for (const format of [110, 112]) {
    const opts = sendRequest(data, format, models);
    assert.deepEqual(opts.path, ['dp']);
    assert.equal(opts.contentFormat, format);
    assert.deepEqual(uplink(opts), { kind: 'send', data, format });
  }
  const plain = [{ path: Lwm2mPath.parse('/3/0/9'), node: resource(9, integerValue(50)) }];
  const got = uplink(sendRequest(plain, 112, models));
  assert.deepEqual(got, { kind: 'send', data: [{ nodes: plain }], format: 112 });
  assert.equal(received(sendAcceptedResponse()).code, Code.CHANGED);
});

test('Bootstrap-Request is POST /bs?ep=..&pct=.., answered 2.04', () => {
  const opts = bootstrapRequest('node-7', 112);
  assert.deepEqual(opts.query, ['ep=node-7', 'pct=112']);
  assert.deepEqual(uplink(opts), { kind: 'bootstrapRequest', endpoint: 'node-7', preferredFormat: 112 });
  assert.deepEqual(uplink(bootstrapRequest('n')), { kind: 'bootstrapRequest', endpoint: 'n' });
  assert.equal(received(bootstrapAcceptedResponse()).code, Code.CHANGED);
});

test('malformed uplinks render as 4.00, 4.04, 4.05 and 4.15', () => {
  const code = (opts: CoapRequestOptions) => renderedCode(() => uplink(opts));
  assert.equal(code({ method: 'POST', path: '/rd', query: ['lt=60'], payload: '</1/0>' }), Code.BAD_REQUEST);
  assert.equal(
    code({ method: 'POST', path: '/rd', query: ['ep=x'], payload: new Uint8Array([0xff]) }),
    Code.BAD_REQUEST,
  );
  assert.equal(code({ method: 'POST', path: '/bs' }), Code.BAD_REQUEST, 'no ep');
  assert.equal(code({ method: 'POST', path: '/bs', query: ['ep=x', 'pct=abc'] }), Code.BAD_REQUEST);
  assert.equal(code({ method: 'GET', path: '/rd' }), Code.METHOD_NOT_ALLOWED);
  assert.equal(code({ method: 'PUT', path: '/rd/a1b2' }), Code.METHOD_NOT_ALLOWED);
  assert.equal(code({ method: 'GET', path: '/dp' }), Code.METHOD_NOT_ALLOWED);
  assert.equal(code({ method: 'GET', path: '/bs' }), Code.METHOD_NOT_ALLOWED);
  assert.equal(code({ method: 'POST', path: '/rd/a1b2/x' }), Code.NOT_FOUND);
  assert.equal(code({ method: 'POST', path: '/3/0' }), Code.NOT_FOUND);
  assert.equal(
    code({ method: 'POST', path: '/dp', payload: 'x', contentFormat: 11542 }),
    Code.UNSUPPORTED_CONTENT_FORMAT,
  );
  assert.equal(code({ method: 'POST', path: '/dp', payload: 'x' }), Code.UNSUPPORTED_CONTENT_FORMAT);
  assert.equal(code({ method: 'POST', path: '/dp', payload: '[{', contentFormat: 110 }), Code.BAD_REQUEST);
});
