// The server side of responses: CoAP responses as typed LwM2M responses (content decoded with the
// response's Content-Format, Location-Path of Create, link format of Discover, diagnostics of
// error codes); undecodable payloads give failure 'decode' and never throw; local errors map to
// `failure`; notifications decode with their Observe sequence.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeNotification } from '../../src/binding/decodeNotification.js';
import { failureResponse } from '../../src/binding/failureResponse.js';
import { toLwm2mResponse } from '../../src/binding/toLwm2mResponse.js';
import { Code, OptionNumber } from '../../src/coap/CoapMessage.js';
import {
  CoapAbortError,
  CoapClosedError,
  CoapRequestError,
  CoapResetError,
  CoapTimeoutError,
} from '../../src/coap/errors.js';
import { senmlCborCodec } from '../../src/content/senml/senmlCborCodec.js';
import { senmlJsonCodec } from '../../src/content/senml/senmlJsonCodec.js';
import { tlvNodeCodec } from '../../src/content/tlv/TlvNodeCodec.js';
import { Lwm2mPath } from '../../src/lwm2m/Lwm2mPath.js';
import { instance, resource } from '../../src/lwm2m/nodes.js';
import * as r from '../../src/lwm2m/requests.js';
import { floatValue, integerValue, stringValue } from '../../src/lwm2m/values.js';
import { DecodeError } from '../../src/transport/DecodeError.js';
import { bytes, models, received } from './coapFixtures.js';

const P = (s: string) => Lwm2mPath.parse(s);

test('a Read response decodes with its Content-Format', () => {
  const node = instance(0, [resource(0, stringValue('ACME')), resource(9, integerValue(80))]);
  const payload = tlvNodeCodec.encode(P('/3/0'), node, models);
  const res = toLwm2mResponse(
    r.read('/3/0'),
    received({ code: Code.CONTENT, contentFormat: 11542, payload }),
    models,
  );
  assert.deepEqual(res, { code: Code.CONTENT, ok: true, content: node, format: 11542 });
});

test('a single value without Content-Format is read as text/plain', () => {
  const res = toLwm2mResponse(
    r.read('/3/0/9'),
    received({ code: Code.CONTENT, payload: bytes('42') }),
    models,
  );
  assert.deepEqual(res.content, resource(9, integerValue(42)));
  assert.equal(res.format, 0);
});

test('an undecodable payload is failure "decode" with a diagnostic, never a throw', () => {
  const cases = [
    received({ code: Code.CONTENT, contentFormat: 11542, payload: new Uint8Array([0xc8, 0x00, 0x09]) }),
    received({ code: Code.CONTENT, contentFormat: 0, payload: bytes('not a number') }),
    received({ code: Code.CONTENT, contentFormat: 4711, payload: bytes('x') }),
  ];
  for (const c of cases) {
    const res = toLwm2mResponse(r.read('/3/0/9'), c, models);
    assert.equal(res.ok, false);
    assert.equal(res.failure, 'decode');
    assert.equal(res.code, Code.CONTENT);
    assert.ok(res.diagnostic && res.diagnostic.length > 0);
  }
  const composite = toLwm2mResponse(
    r.readComposite(['/3/0/9']),
    received({ code: Code.CONTENT, contentFormat: 11542, payload: new Uint8Array(0) }),
    models,
  );
  assert.equal(composite.failure, 'decode', 'TLV cannot carry a composite');
  const discover = toLwm2mResponse(
    r.discover('/3'),
    received({ code: Code.CONTENT, contentFormat: 40, payload: bytes('</3/x>') }),
    models,
  );
  assert.equal(discover.failure, 'decode');
});

test('an error code keeps its diagnostic payload as text', () => {
  const res = toLwm2mResponse(
    r.write('/3/0/14', resource(14, stringValue('x'))),
    received({ code: Code.METHOD_NOT_ALLOWED, payload: bytes('read-only') }),
    models,
  );
  assert.deepEqual(res, { code: Code.METHOD_NOT_ALLOWED, ok: false, diagnostic: 'read-only' });
  const bare = toLwm2mResponse(r.read('/3/0/9'), received({ code: Code.NOT_FOUND }), models);
  assert.deepEqual(bare, { code: Code.NOT_FOUND, ok: false });
});

test('Read-Composite decodes nodes at their paths', () => {
  const nodes = [
    { path: P('/3/0/9'), node: resource(9, integerValue(80)) },
    { path: P('/3303/0/5700'), node: resource(5700, floatValue(21.5)) },
  ];
  const payload = senmlJsonCodec.encodeNodes(nodes, models);
  const res = toLwm2mResponse(
    r.readComposite(['/3/0/9', '/3303/0/5700']),
    received({ code: Code.CONTENT, contentFormat: 110, payload }),
    models,
  );
  assert.deepEqual(res, { code: Code.CONTENT, ok: true, content: nodes, format: 110 });
});

test('Discover decodes its link format', () => {
  const res = toLwm2mResponse(
    r.discover('/3303'),
    received({
      code: Code.CONTENT,
      contentFormat: 40,
      payload: bytes('</3303>;pmin=10,</3303/0>,</3303/0/5700>'),
    }),
    models,
  );
  assert.equal(res.ok, true);
  assert.deepEqual(
    res.links?.map((l) => l.path.toString()),
    ['/3303', '/3303/0', '/3303/0/5700'],
  );
  assert.equal(res.links?.[0]?.attributes.pmin, 10);
});

test('Create reads the new instance from Location-Path, also below a root path', () => {
  const create = r.create('/3303', [instance(65535, [resource(5700, floatValue(1))])]);
  const loc = (segments: string[]) =>
    received({
      code: Code.CREATED,
      options: segments.map((s) => ({ number: OptionNumber.LOCATION_PATH, value: bytes(s) })),
    });
  assert.deepEqual(toLwm2mResponse(create, loc(['3303', '4']), models).location, P('/3303/4'));
  assert.deepEqual(toLwm2mResponse(create, loc(['lwm2m', '3303', '4']), models).location, P('/3303/4'));
  assert.deepEqual(toLwm2mResponse(create, loc([]), models), { code: Code.CREATED, ok: true });
  assert.equal(toLwm2mResponse(create, loc(['3', '4']), models).failure, 'decode');
});

test('operations without content answer with the code alone', () => {
  const res = toLwm2mResponse(r.execute('/3/0/4'), received({ code: Code.CHANGED }), models);
  assert.deepEqual(res, { code: Code.CHANGED, ok: true });
  assert.deepEqual(toLwm2mResponse(r.del('/3303/1'), received({ code: Code.DELETED }), models), {
    code: Code.DELETED,
    ok: true,
  });
});

test('local errors become failures; a bug is rethrown', () => {
  assert.equal(failureResponse(new CoapTimeoutError()).failure, 'timeout');
  assert.equal(failureResponse(new CoapResetError()).failure, 'reset');
  assert.equal(failureResponse(new CoapAbortError()).failure, 'cancelled');
  assert.equal(failureResponse(new CoapClosedError()).failure, 'cancelled');
  assert.equal(failureResponse(new DecodeError('bad', 3)).failure, 'decode');
  const timeout = failureResponse(new CoapTimeoutError('no answer from 192.0.2.7'));
  assert.deepEqual(timeout, {
    code: 0,
    ok: false,
    failure: 'timeout',
    diagnostic: 'no answer from 192.0.2.7',
  });
  assert.throws(() => failureResponse(new CoapRequestError('bad option')), CoapRequestError);
});

test('a notification decodes with its Observe sequence number', () => {
  const res = received({ code: Code.CONTENT, contentFormat: 0, payload: bytes('21.5') }, 12);
  assert.deepEqual(decodeNotification('observe', P('/3303/0/5700'), res, models), {
    content: resource(5700, floatValue(21.5)),
    format: 0,
    sequence: 12,
  });
});

test('a composite notification decodes nodes at their paths', () => {
  const nodes = [
    { path: P('/3/0/9'), node: resource(9, integerValue(80)) },
    { path: P('/3303/0/5700'), node: resource(5700, floatValue(19)) },
  ];
  const payload = senmlCborCodec.encodeNodes(nodes, models);
  const res = received({ code: Code.CONTENT, contentFormat: 112, payload }, 3);
  const n = decodeNotification('observeComposite', [P('/3/0/9'), P('/3303/0/5700')], res, models);
  assert.deepEqual(n, { content: nodes, format: 112, sequence: 3 });
});

test('a notification with timestamps keeps every group and shows the newest as content', () => {
  const at = (t: number, v: number) => ({
    timestamp: t,
    nodes: [{ path: P('/3303/0/5700'), node: resource(5700, floatValue(v)) }],
  });
  const payload = senmlJsonCodec.encodeTimestamped([at(1_700_000_000, 20), at(1_700_000_010, 22)], models);
  const res = received({ code: Code.CONTENT, contentFormat: 110, payload }, 5);
  const n = decodeNotification('observe', P('/3303/0/5700'), res, models);
  assert.deepEqual(n.content, resource(5700, floatValue(22)));
  assert.equal(n.timestamped?.length, 2);
  assert.equal(n.timestamped?.[0]?.timestamp, 1_700_000_000);
});

test('a notification that does not decode throws DecodeError', () => {
  const res = received({ code: Code.CONTENT, contentFormat: 0, payload: bytes('warm') }, 1);
  assert.throws(() => decodeNotification('observe', P('/3303/0/5700'), res, models), DecodeError);
  const error = received({ code: Code.NOT_FOUND });
  assert.throws(() => decodeNotification('observe', P('/3303/0/5700'), error, models), DecodeError);
});
