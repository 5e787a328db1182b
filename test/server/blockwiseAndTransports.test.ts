// Block-wise transfer is transparent to the server API (RFC 7959 through the endpoint stages),
// and requests leave through the transport the client registered on (one endpoint per transport).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Code, OptionNumber } from '../../src/coap/CoapMessage.js';
import { decodeMessage } from '../../src/coap/messageCodec.js';
import { encodeUint, getOption, getUriPath } from '../../src/coap/options.js';
import { ContentFormat } from '../../src/content/ContentFormat.js';
import { Lwm2mServer } from '../../src/server/Lwm2mServer.js';
import { UdpTransport } from '../../src/transport/udp/UdpTransport.js';
import { hex } from '../support/RawCoapPeer.js';
import { ManualClock } from '../support/ManualClock.js';
import { ScriptedClient, contentFormat, requestMessage } from '../support/ScriptedClient.js';
import { startServer } from './serverFixture.js';

const block1 = (v: number) => ({ number: OptionNumber.BLOCK1, value: encodeUint(v) });
const block2 = (v: number) => ({ number: OptionNumber.BLOCK2, value: encodeUint(v) });

// Core TS 1.0 section 6.4.3.1: the Device object instance /3/0 in TLV (118 bytes).
const DEVICE_TLV = hex(
  'c800144f70656e204d6f62696c6520416c6c69616e6365c801164c69676874776569676874204d324d20436c69656e74' +
    'c80209333435303030313233c303312e30860641000141010588070842000ed842011388870841007d42010384c10964' +
    'c10a0f830b410000c40d5182428fc60e2b30323a3030c11055',
);

test('accepts a Register whose payload arrives in Block1 blocks', async () => {
  const s = await startServer();
  const links = Array.from({ length: 150 }, (_, i) => `</3303/${i}>`).join(',');
  const bytes = new TextEncoder().encode(links);
  assert.ok(bytes.length > 1024 && bytes.length <= 2048);
  const query = ['ep=big', 'lt=60', 'lwm2m=1.1'];
  // num 0, more, 1024-byte blocks (SZX 6): 0x0e; then num 1, last: 0x16.
  const first = await s.client.exchange(
    requestMessage(Code.POST, '/rd', query, bytes.subarray(0, 1024), [contentFormat(40), block1(0x0e)]),
  );
  assert.equal(first.code, Code.CONTINUE);
  const last = await s.client.exchange(
    requestMessage(Code.POST, '/rd', query, bytes.subarray(1024), [contentFormat(40), block1(0x16)]),
  );
  assert.equal(last.code, Code.CREATED);
  const reg = await s.server.getRegistration('big');
  assert.equal(reg?.objectLinks.objects.get(3303)?.instances.length, 150);
  await s.close();
});

test('reads a response that the client sends in Block2 blocks as one decoded node', async () => {
  const s = await startServer();
  await s.client.register(['ep=dev', 'lt=60', 'lwm2m=1.0']);
  const pending = s.server.read('dev', '/3/0');
  const req = await s.client.nextRequest();
  // 64-byte blocks (SZX 2): num 0 with more (0x0a), then num 1, last (0x12).
  await s.client.respond(req, Code.CONTENT, DEVICE_TLV.subarray(0, 64), [
    contentFormat(ContentFormat.TLV),
    block2(0x0a),
  ]);
  const follow = await s.client.nextRequest();
  assert.deepEqual(getUriPath(follow), ['3', '0']);
  assert.deepEqual(getOption(follow, OptionNumber.BLOCK2), Uint8Array.of(0x12));
  await s.client.respond(follow, Code.CONTENT, DEVICE_TLV.subarray(64), [
    contentFormat(ContentFormat.TLV),
    block2(0x12),
  ]);
  const res = await pending;
  assert.equal(res.ok, true);
  assert.ok(res.content?.kind === 'instance');
  assert.equal(res.content.resources.length, 13);
  await s.close();
});

test('sends requests through the transport the client registered on', async () => {
  const a = await UdpTransport.bind({ address: '127.0.0.1', port: 0 });
  const b = await UdpTransport.bind({ address: '127.0.0.1', port: 0 });
  const server = await Lwm2mServer.start({ transports: [a, b], clock: new ManualClock() });
  const client = await ScriptedClient.open({ address: '127.0.0.1', port: server.address(1).port });
  try {
    assert.equal((await client.register(['ep=second', 'lt=60', 'lwm2m=1.1'])).res.code, Code.CREATED);
    const pending = server.read('second', '/3/0/0');
    const got = await client.peer.next();
    assert.equal(got.port, b.address().port);
    await client.respond(decodeMessage(got.bytes), Code.CONTENT, 'x', [contentFormat(ContentFormat.TEXT)]);
    assert.equal((await pending).ok, true);
  } finally {
    await client.close();
    await server.stop();
  }
});

test('waitForRegistration resolves when the endpoint registers and rejects after its timeout', async () => {
  const s = await startServer();
  const waiting = s.server.waitForRegistration('later', 2_000);
  await s.client.register(['ep=later', 'lt=60', 'lwm2m=1.1']);
  assert.equal((await waiting).endpoint, 'later');
  await assert.rejects(s.server.waitForRegistration('never', 20), /did not register/);
  await s.close();
});
