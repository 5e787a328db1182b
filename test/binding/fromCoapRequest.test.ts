// The client side of the downlink mapping: requests that do not fit an operation are refused with
// the CoAP codes of Transport TS 1.1.1 section 6.4 (4.04, 4.05, 4.15, 4.00), and the mappings
// that depend on the method, the path level, the query and the model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromCoapRequest, type ClientRequestContext } from '../../src/binding/fromCoapRequest.js';
import { Code } from '../../src/coap/CoapMessage.js';
import type { CoapRequestOptions } from '../../src/coap/CoapRequest.js';
import { Lwm2mPath } from '../../src/lwm2m/Lwm2mPath.js';
import { senmlCborCodec } from '../../src/content/senml/senmlCborCodec.js';
import { multipleResource, resourceInstance } from '../../src/lwm2m/nodes.js';
import { integerValue } from '../../src/lwm2m/values.js';
import { incoming, models, renderedCode } from './coapFixtures.js';

const dm: ClientRequestContext = { models, bootstrap: false };
const bs: ClientRequestContext = { models, bootstrap: true };
const codeOf = (opts: CoapRequestOptions, ctx = dm): number =>
  renderedCode(() => fromCoapRequest(incoming(opts), ctx));

test('a Write without Content-Format or with an unknown one is 4.15', () => {
  assert.equal(codeOf({ method: 'PUT', path: '/3/0/14', payload: '+01' }), Code.UNSUPPORTED_CONTENT_FORMAT);
  assert.equal(
    codeOf({ method: 'PUT', path: '/3/0/14', payload: '+01', contentFormat: 9999 }),
    Code.UNSUPPORTED_CONTENT_FORMAT,
  );
  assert.equal(
    codeOf({ method: 'POST', path: '/3303', payload: 'x', contentFormat: 50 }),
    Code.UNSUPPORTED_CONTENT_FORMAT,
  );
});

test('composite requests need a multi-path Content-Format (4.15)', () => {
  assert.equal(codeOf({ method: 'FETCH', path: '/', payload: 'x' }), Code.UNSUPPORTED_CONTENT_FORMAT);
  assert.equal(
    codeOf({ method: 'FETCH', path: '/', payload: 'x', contentFormat: 11542 }),
    Code.UNSUPPORTED_CONTENT_FORMAT,
  );
  assert.equal(
    codeOf({ method: 'IPATCH', path: '/', payload: 'x', contentFormat: 0 }),
    Code.UNSUPPORTED_CONTENT_FORMAT,
  );
});

test('Execute arguments in another format than text/plain are 4.15', () => {
  assert.equal(
    codeOf({ method: 'POST', path: '/3/0/4', payload: '[]', contentFormat: 110 }),
    Code.UNSUPPORTED_CONTENT_FORMAT,
  );
});

test('an undecodable body is 4.00', () => {
  const garbage = new Uint8Array([0xc8, 0x00, 0x09, 0x01]); // TLV value running past the end
  assert.equal(
    codeOf({ method: 'PUT', path: '/3/0', payload: garbage, contentFormat: 11542 }),
    Code.BAD_REQUEST,
  );
  assert.equal(codeOf({ method: 'PUT', path: '/3/0', payload: 'x', contentFormat: 0 }), Code.BAD_REQUEST);
  assert.equal(codeOf({ method: 'FETCH', path: '/', payload: '{', contentFormat: 110 }), Code.BAD_REQUEST);
  assert.equal(codeOf({ method: 'POST', path: '/3303', payload: '12', contentFormat: 0 }), Code.BAD_REQUEST);
  assert.equal(
    codeOf({ method: 'POST', path: '/3/0/4', payload: new Uint8Array([0xff, 0xfe]) }),
    Code.BAD_REQUEST,
  );
});

test('a malformed query is 4.00', () => {
  assert.equal(codeOf({ method: 'PUT', path: '/3/0/9', query: ['foo=1'] }), Code.BAD_REQUEST);
  assert.equal(codeOf({ method: 'PUT', path: '/3/0/9', query: ['pmin=x'] }), Code.BAD_REQUEST);
  assert.equal(
    codeOf({ method: 'PUT', path: '/3/0/9', query: ['pmin=1'], payload: '5', contentFormat: 0 }),
    Code.BAD_REQUEST,
  );
  assert.equal(codeOf({ method: 'GET', path: '/3/0', accept: 40, query: ['depth=9'] }), Code.BAD_REQUEST);
});

test('a method the path level does not allow is 4.05', () => {
  const cases: CoapRequestOptions[] = [
    { method: 'GET', path: '/' },
    { method: 'PUT', path: '/', query: ['pmin=1'] },
    { method: 'PUT', path: '/3', payload: 'x', contentFormat: 11542 },
    { method: 'POST', path: '/' },
    { method: 'POST', path: '/3/0/6/1' },
    { method: 'DELETE', path: '/' },
    { method: 'DELETE', path: '/3' },
    { method: 'FETCH', path: '/3/0', payload: 'x', contentFormat: 110 },
    { method: 'IPATCH', path: '/3', payload: 'x', contentFormat: 110 },
    { method: 'PATCH', path: '/3/0' },
  ];
  for (const c of cases) assert.equal(codeOf(c), Code.METHOD_NOT_ALLOWED, `${c.method} ${String(c.path)}`);
});

test('a path that is no LwM2M path, or lies outside the root path, is 4.04', () => {
  assert.equal(codeOf({ method: 'GET', path: '/3/x' }), Code.NOT_FOUND);
  assert.equal(codeOf({ method: 'GET', path: '/3/0/1/2/3' }), Code.NOT_FOUND);
  assert.equal(codeOf({ method: 'POST', path: '/bs' }), Code.NOT_FOUND, 'Bootstrap-Finish from a DM server');
  assert.equal(codeOf({ method: 'GET', path: '/3/0/9' }, { ...dm, rootPath: '/lwm2m' }), Code.NOT_FOUND);
});

test('the alternate root path is stripped before the LwM2M path is read', () => {
  const req = fromCoapRequest(incoming({ method: 'GET', path: '/lwm2m/3/0/9' }), {
    ...dm,
    rootPath: '/lwm2m',
  });
  assert.deepEqual(req, { kind: 'read', path: Lwm2mPath.parse('/3/0/9') });
});

test('PUT without payload is Write-Attributes, even with no attribute at all', () => {
  assert.equal(
    fromCoapRequest(incoming({ method: 'PUT', path: '/3/0/9', query: ['pmax=60'] }), dm).kind,
    'writeAttributes',
  );
  assert.deepEqual(fromCoapRequest(incoming({ method: 'PUT', path: '/3/0/9' }), dm), {
    kind: 'writeAttributes',
    path: Lwm2mPath.parse('/3/0/9'),
    attributes: {},
  });
});

test('POST on a resource executes it, unless the model says it is writable and not executable', () => {
  const exec = fromCoapRequest(incoming({ method: 'POST', path: '/3/0/4' }), dm);
  assert.equal(exec.kind, 'execute');
  // Access Control 2/x/2 (ACL) is a writable multiple resource: POST is a partial update (1.2).
  const acl = multipleResource(2, [resourceInstance(101, integerValue(15))]);
  const payload = senmlCborCodec.encode(Lwm2mPath.parse('/2/0/2'), acl, models);
  const update = fromCoapRequest(
    incoming({ method: 'POST', path: '/2/0/2', payload, contentFormat: 112 }),
    dm,
  );
  assert.equal(update.kind, 'write');
  assert.equal(update.kind === 'write' ? update.mode : undefined, 'update');
  // Unknown resource: text (or nothing) executes, another format writes.
  assert.equal(
    fromCoapRequest(incoming({ method: 'POST', path: '/4242/0/1', payload: '5' }), dm).kind,
    'execute',
  );
});

test('GET with Observe=1 cancels with the request token; other GETs read or discover', () => {
  const token = new Uint8Array([9, 8, 7]);
  const cancel = fromCoapRequest(
    incoming({ method: 'GET', path: '/3/0/9', options: [{ number: 6, value: new Uint8Array([1]) }] }, token),
    dm,
  );
  assert.deepEqual(cancel, { kind: 'cancelObservation', path: Lwm2mPath.parse('/3/0/9'), token });
  assert.equal(fromCoapRequest(incoming({ method: 'GET', path: '/3/0/9', accept: 40 }), dm).kind, 'discover');
  assert.equal(fromCoapRequest(incoming({ method: 'GET', path: '/3/0/9', accept: 0 }), dm).kind, 'read');
});

test('on the bootstrap interface: POST /bs finishes, other methods map to Bootstrap-*; the rest is 4.05', () => {
  assert.deepEqual(fromCoapRequest(incoming({ method: 'POST', path: '/bs' }), bs), {
    kind: 'bootstrapFinish',
  });
  assert.equal(
    fromCoapRequest(incoming({ method: 'GET', path: '/', accept: 40 }), bs).kind,
    'bootstrapDiscover',
  );
  assert.equal(fromCoapRequest(incoming({ method: 'DELETE', path: '/' }), bs).kind, 'bootstrapDelete');
  assert.equal(codeOf({ method: 'POST', path: '/1/0' }, bs), Code.METHOD_NOT_ALLOWED);
  assert.equal(
    codeOf({ method: 'FETCH', path: '/', payload: 'x', contentFormat: 110 }, bs),
    Code.METHOD_NOT_ALLOWED,
  );
  assert.equal(codeOf({ method: 'GET', path: '/' }, bs), Code.METHOD_NOT_ALLOWED);
  assert.equal(
    codeOf({ method: 'GET', path: '/3/0' }, bs),
    Code.BAD_REQUEST,
    'Bootstrap-Read of the Device object',
  );
  assert.equal(codeOf({ method: 'PUT', path: '/1/0/1', payload: '5' }, bs), Code.UNSUPPORTED_CONTENT_FORMAT);
});
