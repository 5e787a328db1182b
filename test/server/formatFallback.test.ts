// Content formats with clients that announce one `ct` (Core TS 1.1.1 6.2.1 and 7.4; Transport TS
// 1.1.1 6.4), at the CoAP byte level: `ct` is the client's preference, not the complete list.
// A Read or Observe whose text/plain is refused with 4.06 is asked again in a format the client
// takes, and a Create without an instance id still goes out (as TLV) to a client that
// announced a single other format.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Code, OptionNumber, type CoapMessage } from '../../src/coap/CoapMessage.js';
import { getAccept, getContentFormat, getUriPath } from '../../src/coap/options.js';
import { ContentFormat } from '../../src/content/ContentFormat.js';
import { NO_INSTANCE_ID } from '../../src/lwm2m/Lwm2mNode.js';
import { instance, resource } from '../../src/lwm2m/nodes.js';
import { floatValue } from '../../src/lwm2m/values.js';
import { hex } from '../support/RawCoapPeer.js';
import { contentFormat } from '../support/ScriptedClient.js';
import { startServer } from './serverFixture.js';

type Started = Awaited<ReturnType<typeof startServer>>;

async function registered(version: string, links: string): Promise<Started> {
  const s = await startServer();
  await s.client.register(['ep=dev', 'lt=300', `lwm2m=${version}`, 'b=U'], links);
  return s;
}

/** The next request, checked to be a GET of `path` asking for `accept`. */
async function expectGet(s: Started, path: string, accept: number): Promise<CoapMessage> {
  const req = await s.client.nextRequest();
  assert.equal(req.code, Code.GET);
  assert.deepEqual(getUriPath(req), path.split('/').slice(1));
  assert.equal(getAccept(req), accept, `Accept of GET ${path}`);
  return req;
}

// SenML CBOR of /3/0/7/1 = 3800: [{-2: "/3/0/7/1", 2: 3800}] (RFC 8428 6: bn = -2, v = 2).
const SENML_CBOR_3800 = '81a221682f332f302f372f3102190ed8';
// TLV of resource instance 1 = 3800: 42 01 0ed8 (resource instance, 8-bit id, 2-byte value).
const TLV_3800 = '42010ed8';

for (const [name, version, links, fallback, payload] of [
  [
    'SenML CBOR, the one ct a 1.1 client announced',
    '1.1',
    '</>;ct=112,</3/0>',
    ContentFormat.SENML_CBOR,
    SENML_CBOR_3800,
  ],
  ['TLV for a 1.1 client that announced no ct', '1.1', '</3/0>', ContentFormat.TLV, TLV_3800],
  ['TLV for a 1.0 client', '1.0', '</3/0>', ContentFormat.TLV, TLV_3800],
] as const) {
  test(`a resource-instance Read refused as text/plain (4.06) is asked again in ${name}`, async () => {
    const s = await registered(version, links);
    try {
      const pending = s.server.read('dev', '/3/0/7/1');
      const first = await expectGet(s, '/3/0/7/1', ContentFormat.TEXT);
      await s.client.respond(first, Code.NOT_ACCEPTABLE);
      const second = await expectGet(s, '/3/0/7/1', fallback);
      await s.client.respond(second, Code.CONTENT, hex(payload), [contentFormat(fallback)]);
      const res = await pending;
      assert.equal(res.ok, true, res.diagnostic);
      assert.equal(res.format, fallback);
      assert.deepEqual(res.content, {
        kind: 'resourceInstance',
        id: 1,
        value: { type: 'integer', value: 3800 },
      });
    } finally {
      await s.close();
    }
  });
}

test('a second 4.06, or one to a format the caller named, is the answer', async () => {
  const s = await registered('1.1', '</>;ct=112,</3/0>');
  try {
    const pending = s.server.read('dev', '/3/0/7/1');
    await s.client.respond(await expectGet(s, '/3/0/7/1', ContentFormat.TEXT), Code.NOT_ACCEPTABLE);
    await s.client.respond(await expectGet(s, '/3/0/7/1', ContentFormat.SENML_CBOR), Code.NOT_ACCEPTABLE);
    assert.equal((await pending).code, Code.NOT_ACCEPTABLE);
    const named = s.server.read('dev', '/3/0/7/1', { format: ContentFormat.TEXT });
    await s.client.respond(await expectGet(s, '/3/0/7/1', ContentFormat.TEXT), Code.NOT_ACCEPTABLE);
    assert.equal((await named).code, Code.NOT_ACCEPTABLE);
    assert.equal(s.client.peer.pending, 0, 'no other request went out');
  } finally {
    await s.close();
  }
});

test('an Observe refused as text/plain (4.06) is asked again, and the relation is kept', async () => {
  const s = await registered('1.1', '</>;ct=112,</3/0>');
  try {
    const handle = s.server.observe('dev', '/3/0/7/1');
    await s.client.respond(await expectGet(s, '/3/0/7/1', ContentFormat.TEXT), Code.NOT_ACCEPTABLE);
    const second = await expectGet(s, '/3/0/7/1', ContentFormat.SENML_CBOR);
    await s.client.respond(second, Code.CONTENT, hex(SENML_CBOR_3800), [
      { number: OptionNumber.OBSERVE, value: Uint8Array.of(1) },
      contentFormat(ContentFormat.SENML_CBOR),
    ]);
    const res = await handle.response;
    assert.equal(res.ok, true, res.diagnostic);
    assert.equal(handle.isEnded, false);
    await handle.cancel();
  } finally {
    await s.close();
  }
});

test('a Create without an instance id goes out as TLV to a client that announced one other ct', async () => {
  const s = await registered('1.1', '</>;ct=112,</3303>');
  try {
    const pending = s.server.create(
      'dev',
      '/3303',
      instance(NO_INSTANCE_ID, [resource(5700, floatValue(21.5))]),
    );
    const req = await s.client.nextRequest();
    assert.equal(req.code, Code.POST);
    assert.deepEqual(getUriPath(req), ['3303']);
    assert.equal(getContentFormat(req), ContentFormat.TLV);
    // Core TS 1.1.1 7.4.3: bare resource TLV, no enclosing instance: 5700 = 21.5 as a 64-bit float.
    assert.equal(Buffer.from(req.payload).toString('hex'), 'e81644084035800000000000');
    await s.client.respond(req, Code.CREATED, '', [
      { number: OptionNumber.LOCATION_PATH, value: new TextEncoder().encode('3303') },
      { number: OptionNumber.LOCATION_PATH, value: new TextEncoder().encode('0') },
    ]);
    assert.equal((await pending).code, Code.CREATED);
  } finally {
    await s.close();
  }
});
