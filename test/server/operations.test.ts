// Device Management and Service Enablement (Core TS 5.4, Transport TS 6.4) end to end: the typed
// API sends each operation to a scripted raw-CoAP client, which answers with spec-exact payloads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Code, MessageType, OptionNumber, type CoapMessage } from '../../src/coap/CoapMessage.js';
import { decodeMessage, encodeMessage } from '../../src/coap/messageCodec.js';
import { getContentFormat, getAccept, getUriPath, getUriQuery } from '../../src/coap/options.js';
import { ContentFormat } from '../../src/content/ContentFormat.js';
import { instance, nodesEqual, resource } from '../../src/lwm2m/nodes.js';
import { Lwm2mPath } from '../../src/lwm2m/Lwm2mPath.js';
import { integerValue, stringValue } from '../../src/lwm2m/values.js';
import { NO_INSTANCE_ID } from '../../src/lwm2m/Lwm2mNode.js';
import { hex, matchesHex } from '../support/RawCoapPeer.js';
import { contentFormat } from '../support/ScriptedClient.js';
import { startServer } from './serverFixture.js';
import { MemoryRegistrationStore } from '../../src/store/memory/MemoryRegistrationStore.js';
import { withoutSyncAnswers } from '../support/withoutSyncAnswers.js';

const text = (b: Uint8Array): string => new TextDecoder().decode(b);
const loc = (s: string) => ({ number: OptionNumber.LOCATION_PATH, value: new TextEncoder().encode(s) });

// Core TS 1.0 section 6.4.3.1: the Device object instance /3/0 in TLV.
const DEVICE_TLV =
  'c800144f70656e204d6f62696c6520416c6c69616e6365c801164c69676874776569676874204d324d20436c69656e74' +
  'c80209333435303030313233c303312e30860641000141010588070842000ed842011388870841007d42010384c10964' +
  'c10a0f830b410000c40d5182428fc60e2b30323a3030c11055';

async function registered(version = '1.1', links = '</1/0>,</3/0>,</3303/0>') {
  const s = await startServer();
  await s.client.register(['ep=dev', 'lt=300', `lwm2m=${version}`, 'b=U'], links);
  return s;
}

/** Runs `call` while the scripted client answers the first request with `answer(req)`. */
async function roundTrip<T>(
  s: Awaited<ReturnType<typeof registered>>,
  call: () => Promise<T>,
  answer: (req: CoapMessage) => Promise<void>,
): Promise<{ req: CoapMessage; res: T }> {
  const pending = call();
  const req = await s.client.nextRequest();
  await answer(req);
  return { req, res: await pending };
}

test('reads /3/0 answered with the specification TLV bytes as the Device instance node', async () => {
  const s = await registered('1.0');
  const { req, res } = await roundTrip(
    s,
    () => s.server.read('dev', '/3/0'),
    (r) => s.client.respond(r, Code.CONTENT, hex(DEVICE_TLV), [contentFormat(ContentFormat.TLV)]),
  );
  assert.equal(req.code, Code.GET);
  assert.deepEqual(getUriPath(req), ['3', '0']);
  assert.equal(getAccept(req), ContentFormat.TLV); // 1.0 client: TLV for an instance
  assert.equal(res.ok, true);
  assert.equal(res.code, Code.CONTENT);
  assert.equal(res.format, ContentFormat.TLV);
  const node = res.content;
  assert.ok(node && node.kind === 'instance');
  assert.equal(node.resources.length, 13);
  assert.ok(nodesEqual(node.resources[0]!, resource(0, stringValue('Open Mobile Alliance'))));
  assert.ok(
    nodesEqual(
      node.resources.find((r) => r.id === 9)!,
      resource(9, integerValue(100)),
    ),
  );
  await s.close();
});

test('asks a 1.1 client for a single resource in text/plain and honours a per-request format', async () => {
  const s = await registered();
  const { req, res } = await roundTrip(
    s,
    () => s.server.read('dev', '/3/0/0'),
    (r) => s.client.respond(r, Code.CONTENT, 'Open Mobile Alliance', [contentFormat(ContentFormat.TEXT)]),
  );
  assert.equal(getAccept(req), ContentFormat.TEXT);
  assert.ok(res.content && nodesEqual(res.content, resource(0, stringValue('Open Mobile Alliance'))));
  const over = await roundTrip(
    s,
    () => s.server.read('dev', '/3/0', { format: ContentFormat.SENML_JSON }),
    (r) => s.client.respond(r, Code.NOT_ACCEPTABLE),
  );
  assert.equal(getAccept(over.req), ContentFormat.SENML_JSON);
  assert.equal(over.res.ok, false);
  assert.equal(over.res.code, Code.NOT_ACCEPTABLE);
  await s.close();
});

test('turns an error code with a diagnostic payload into a typed response', async () => {
  const s = await registered();
  const { res } = await roundTrip(
    s,
    () => s.server.read('dev', '/5/0'),
    (r) => s.client.respond(r, Code.NOT_FOUND, 'no object 5'),
  );
  assert.deepEqual({ ...res }, { code: Code.NOT_FOUND, ok: false, diagnostic: 'no object 5' });
  await s.close();
});

test('writes a value with PUT (replace) and an instance with POST (partial update)', async () => {
  const s = await registered();
  const put = await roundTrip(
    s,
    () => s.server.write('dev', '/3/0/14', stringValue('+01:00')),
    (r) => s.client.respond(r, Code.CHANGED),
  );
  assert.equal(put.req.code, Code.PUT);
  assert.equal(getContentFormat(put.req), ContentFormat.TEXT);
  assert.equal(text(put.req.payload), '+01:00');
  assert.equal(put.res.ok, true);
  const post = await roundTrip(
    s,
    () =>
      s.server.write('dev', '/3/0', instance(0, [resource(14, stringValue('+02:00'))]), {
        mode: 'update',
        format: ContentFormat.TLV,
      }),
    (r) => s.client.respond(r, Code.CHANGED),
  );
  assert.equal(post.req.code, Code.POST);
  assert.equal(getContentFormat(post.req), ContentFormat.TLV);
  assert.equal(Buffer.from(post.req.payload).toString('hex'), 'c60e2b30323a3030');
  await s.close();
});

test('executes with arguments, writes attributes, deletes and discovers', async () => {
  const s = await registered();
  const exec = await roundTrip(
    s,
    () => s.server.execute('dev', '/3/0/4', "0='now'"),
    (r) => s.client.respond(r, Code.CHANGED),
  );
  assert.equal(exec.req.code, Code.POST);
  assert.equal(text(exec.req.payload), "0='now'");
  assert.equal(exec.res.ok, true);
  const attrs = await roundTrip(
    s,
    () => s.server.writeAttributes('dev', '/3303/0/5700', { pmin: 10, pmax: 60 }),
    (r) => s.client.respond(r, Code.CHANGED),
  );
  assert.equal(attrs.req.code, Code.PUT);
  assert.deepEqual(getUriQuery(attrs.req), ['pmin=10', 'pmax=60']);
  const del = await roundTrip(
    s,
    () => s.server.delete('dev', '/3303/0'),
    (r) => s.client.respond(r, Code.DELETED),
  );
  assert.equal(del.req.code, Code.DELETE);
  assert.equal(del.res.code, Code.DELETED);
  const disc = await roundTrip(
    s,
    () => s.server.discover('dev', '/3/0'),
    (r) => s.client.respond(r, Code.CONTENT, '</3/0>,</3/0/1>,</3/0/9>;pmin=10', [contentFormat(40)]),
  );
  assert.equal(getAccept(disc.req), 40);
  assert.deepEqual(
    disc.res.links?.map((l) => l.path.toString()),
    ['/3/0', '/3/0/1', '/3/0/9'],
  );
  assert.equal(disc.res.links?.[2]?.attributes.pmin, 10);
  await s.close();
});

test('creates an instance without an id and reads the id from Location-Path', async () => {
  const s = await registered();
  const { req, res } = await roundTrip(
    s,
    () =>
      s.server.create(
        'dev',
        '/3303',
        instance(NO_INSTANCE_ID, [resource(5700, { type: 'float', value: 1.5 })]),
        { format: ContentFormat.TLV },
      ),
    (r) => s.client.respond(r, Code.CREATED, '', [loc('3303'), loc('7')]),
  );
  assert.equal(req.code, Code.POST);
  assert.deepEqual(getUriPath(req), ['3303']);
  assert.equal(res.code, Code.CREATED);
  assert.equal(res.location?.toString(), '/3303/7');
  await s.close();
});

test('reads several paths with Read-Composite (FETCH, SenML JSON)', async () => {
  const s = await registered();
  const body = '[{"bn":"/3/0/","n":"0","vs":"Open Mobile Alliance"},{"bn":"/3303/0/","n":"5700","v":21.5}]';
  const { req, res } = await roundTrip(
    s,
    () =>
      s.server.readComposite('dev', ['/3/0/0', '/3303/0/5700'], {
        format: ContentFormat.SENML_JSON,
        requestFormat: ContentFormat.SENML_JSON,
      }),
    (r) => s.client.respond(r, Code.CONTENT, body, [contentFormat(ContentFormat.SENML_JSON)]),
  );
  assert.equal(req.code, Code.FETCH);
  assert.deepEqual(JSON.parse(text(req.payload)), [{ n: '/3/0/0' }, { n: '/3303/0/5700' }]);
  assert.equal(res.ok, true);
  assert.deepEqual(
    res.content?.map((p) => p.path.toString()),
    ['/3/0/0', '/3303/0/5700'],
  );
  await s.close();
});

test('resolves with failure "timeout" when the client never answers', async () => {
  const s = await registered();
  const pending = s.server.read('dev', '/3/0/0', { timeoutMs: 5_000 });
  await s.client.nextRequest();
  s.clock.advance(5_001);
  const res = await pending;
  assert.equal(res.ok, false);
  assert.equal(res.failure, 'timeout');
  await s.close();
});

test('resolves with failure "reset" when the client answers with RST', async () => {
  const s = await registered();
  const pending = s.server.read('dev', '/3/0/0');
  const req = await s.client.nextRequest();
  const rst = {
    type: MessageType.RST,
    code: 0,
    messageId: req.messageId,
    token: new Uint8Array(0),
    options: [],
    payload: new Uint8Array(0),
  };
  await s.client.peer.send(encodeMessage(rst), s.target);
  const res = await pending;
  assert.equal(res.failure, 'reset');
  await s.close();
});

test('answers a request to an unknown endpoint with failure "deregistered"', async () => {
  const s = await registered();
  const res = await s.server.read('ghost', '/3/0');
  assert.equal(res.failure, 'deregistered');
  assert.equal(s.client.peer.pending, 0);
  await s.close();
});

// The server finds the client of a request in place when the store answers at once
// (getByEndpointNow), else by awaiting getByEndpoint: the same outcomes and events either way.
for (const [kind, store] of [
  ['a store that answers at once', () => new MemoryRegistrationStore()],
  ['a store that does not', () => withoutSyncAnswers(new MemoryRegistrationStore())],
] as const)
  test(`a Read finds its client, an unknown endpoint gets "deregistered", a bad path rejects (${kind})`, async () => {
    const s = await startServer({ store: store() });
    const codes: number[] = [];
    s.server.on('response', (e) => void codes.push(e.response.code));
    await s.client.register(['ep=dev', 'lt=300', 'lwm2m=1.1', 'b=U'], '</3/0>');
    const { res } = await roundTrip(
      s,
      () => s.server.read('dev', '/3/0/0'),
      (r) => s.client.respond(r, Code.CONTENT, new TextEncoder().encode('maker'), [contentFormat(0)]),
    );
    assert.equal(res.ok, true);
    assert.ok(res.content?.kind === 'resource');
    const ghost = await s.server.read('ghost', '/3/0/0');
    assert.equal(ghost.failure, 'deregistered');
    assert.equal(s.client.peer.pending, 0);
    assert.deepEqual(codes, [Code.CONTENT, ghost.code], 'a response event for each');
    let pending: Promise<unknown> | undefined;
    assert.doesNotThrow(() => (pending = s.server.read('dev', '/3/x')), 'no throw in place');
    await assert.rejects(pending!);
    await s.close();
  });

test('refuses a composite request to a 1.0 client without sending anything', async () => {
  const s = await registered('1.0');
  const res = await s.server.readComposite('dev', ['/3/0/0']);
  assert.equal(res.ok, false);
  assert.equal(res.code, Code.UNSUPPORTED_CONTENT_FORMAT);
  assert.equal(s.client.peer.pending, 0);
  await s.close();
});

test('rejects a request whose path does not fit the operation', async () => {
  const s = await registered();
  await assert.rejects(s.server.execute('dev', '/3/0'), { code: 'LWM2M_INVALID_REQUEST' });
  assert.equal(Lwm2mPath.parse('/3/0').length, 2);
  await s.close();
});

test('sends Read /3/0/0 to a 1.1 client as the exact CoAP bytes of Transport TS 6.4', async () => {
  const s = await registered();
  const pending = s.server.read('dev', '/3/0/0');
  const got = await s.client.peer.next();
  // CON GET, 4-byte token; Uri-Path 3, 0, 0; Accept 0 (text/plain, empty uint).
  assert.ok(
    matchesHex(got.bytes, '4401 .... ........ b1 33 01 30 01 30 60'),
    Buffer.from(got.bytes).toString('hex'),
  );
  await s.client.respond(decodeMessage(got.bytes), Code.CONTENT, 'Open Mobile Alliance', [
    contentFormat(ContentFormat.TEXT),
  ]);
  assert.equal((await pending).ok, true);
  await s.close();
});
