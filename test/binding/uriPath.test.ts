// Tests of the LwM2M path ↔ Uri-Path mapping (Transport TS 6, Core TS 6.2.1 alternate root path):
// the text form used for downlink requests gives the same Uri-Path options as the segment form.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildRequest } from '../../src/coap/CoapRequest.js';
import { toUriPath, toUriPathText } from '../../src/binding/uriPath.js';
import { Lwm2mPath } from '../../src/lwm2m/Lwm2mPath.js';

const segmentsOf = (path: string | string[]): string[] =>
  buildRequest({ method: 'GET', path }).options.map((o) => new TextDecoder().decode(o.value));

test('text and segment forms give the same Uri-Path options, with and without a root path', () => {
  const paths = ['/', '/3', '/3/0', '/3/0/9', '/3/0/11/2'].map((p) => Lwm2mPath.parse(p));
  for (const root of [undefined, '', '/', '/lwm2m', 'lwm2m/', '//a//b/', '/a/b'])
    for (const p of paths) {
      const text = toUriPathText(p, root);
      assert.deepEqual(segmentsOf(text), toUriPath(p, root), `${String(root)} ${p.toString()}`);
      assert.deepEqual(segmentsOf(text), segmentsOf(text), 'the cached options are equal the second time');
    }
  assert.equal(toUriPathText(Lwm2mPath.ROOT, '/lwm2m'), '/lwm2m');
  assert.equal(toUriPathText(Lwm2mPath.parse('/3/0'), '/lwm2m/'), '/lwm2m/3/0');
});

test('a request built from a cached path gets its own options array', () => {
  const a = buildRequest({ method: 'GET', path: '/5/0/1', accept: 11542 });
  const b = buildRequest({ method: 'GET', path: '/5/0/1' });
  assert.equal(a.options.length, 4);
  assert.equal(b.options.length, 3, 'the Accept option of the first did not leak into the cache');
  assert.notEqual(a.options, b.options);
});
