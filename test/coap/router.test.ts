// Tests of the Router: longest-prefix dispatch, default handler, removal, error rendering.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Router, renderError, type IncomingRequest } from '../../src/coap/Router.js';
import { Code } from '../../src/coap/CoapMessage.js';
import { makePeer } from '../../src/transport/Peer.js';

const req = (path: string[]): IncomingRequest => ({
  peer: makePeer('127.0.0.1', 5683),
  method: Code.GET,
  path,
  query: [],
  payload: new Uint8Array(0),
  message: {
    type: 0,
    code: Code.GET,
    messageId: 1,
    token: new Uint8Array(0),
    options: [],
    payload: new Uint8Array(0),
  },
});

const tagged = (tag: number) => () => ({ code: Code.CONTENT, payload: new Uint8Array([tag]) });

async function tagOf(r: Router, path: string[]): Promise<number | string> {
  const res = await r.dispatch(req(path));
  return res.payload?.[0] ?? `code ${res.code.toString(16)}`;
}

test('the longest matching path prefix wins', async () => {
  const r = new Router().use('/rd', tagged(1)).use(['rd', 'abc'], tagged(2)).use('/rd/abc/x/y', tagged(3));
  assert.equal(await tagOf(r, ['rd']), 1);
  assert.equal(await tagOf(r, ['rd', 'abc']), 2);
  assert.equal(await tagOf(r, ['rd', 'abc', 'x']), 2);
  assert.equal(await tagOf(r, ['rd', 'abc', 'x', 'y', 'z']), 3);
  assert.equal(await tagOf(r, ['rd', 'other']), 1);
});

test('unmatched paths go to the default handler, 4.04 unless replaced', async () => {
  const r = new Router().use('/a', tagged(1));
  assert.equal(await tagOf(r, ['b']), 'code 84');
  assert.equal(await tagOf(r, []), 'code 84');
  r.setDefault(tagged(9));
  assert.equal(await tagOf(r, ['b']), 9);
});

test('a root route matches every path that has no longer route', async () => {
  const r = new Router().use('', tagged(0)).use('/bs', tagged(1));
  assert.equal(await tagOf(r, ['x', 'y']), 0);
  assert.equal(await tagOf(r, ['bs']), 1);
});

test('segments match exactly, not as string prefixes', async () => {
  const r = new Router().use('/rd', tagged(1));
  assert.equal(await tagOf(r, ['rdx']), 'code 84');
});

test('remove() unregisters exactly one prefix', async () => {
  const r = new Router().use('/a', tagged(1)).use('/a/b', tagged(2));
  assert.equal(r.remove('/a/b'), true);
  assert.equal(r.remove('/a/b'), false);
  assert.equal(await tagOf(r, ['a', 'b']), 1);
});

test('renderError: a RenderableError keeps its code and message, anything else is a bare 5.00', () => {
  const e = Object.assign(new Error('bad path'), { coapCode: Code.BAD_REQUEST });
  const r1 = renderError(e);
  assert.equal(r1.code, Code.BAD_REQUEST);
  assert.equal(new TextDecoder().decode(r1.payload), 'bad path');
  assert.deepEqual(renderError(new Error('stack secrets')), { code: Code.INTERNAL_SERVER_ERROR });
  assert.deepEqual(renderError('a string'), { code: Code.INTERNAL_SERVER_ERROR });
  assert.deepEqual(renderError({ coapCode: 0x45, message: 'not an error code' }), {
    code: Code.INTERNAL_SERVER_ERROR,
  });
  assert.ok(
    renderError(Object.assign(new Error('x'.repeat(5000)), { coapCode: 0x80 })).payload!.length <= 200,
  );
});
