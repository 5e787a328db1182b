// RFC 7959 end to end: a requester endpoint with BlockwiseSender and a responder endpoint with
// BlockwiseResponder over an in-memory network.
import { test } from '../../support/isolatedTest.js';
import assert from 'node:assert/strict';
import { CoapEndpoint, type ExchangeSender } from '../../../src/coap/CoapEndpoint.js';
import { Code, OptionNumber } from '../../../src/coap/CoapMessage.js';
import { decodeMessage } from '../../../src/coap/messageCodec.js';
import { buildRequest } from '../../../src/coap/CoapRequest.js';
import { encodeUint, getOption, getUintOption } from '../../../src/coap/options.js';
import { Router, type IncomingRequest } from '../../../src/coap/Router.js';
import { blockSize, decodeBlock } from '../../../src/coap/blockwise/blockOption.js';
import { BlockwiseResponder } from '../../../src/coap/blockwise/BlockwiseResponder.js';
import { BlockwiseSender, type BlockwiseSenderOptions } from '../../../src/coap/blockwise/BlockwiseSender.js';
import { ManualClock } from '../../support/ManualClock.js';
import { MemoryNetwork, flush } from '../../support/MemoryTransport.js';

const bytes = (n: number, seed = 3): Uint8Array =>
  Uint8Array.from({ length: n }, (_, i) => (i * 29 + seed) & 0xff);

function setup(senderOptions: BlockwiseSenderOptions = {}, serverMaxSzx = 6, observationStage = true) {
  const { net, a, b } = MemoryNetwork.pair();
  const clock = new ManualClock();
  const router = new Router();
  const responder = new BlockwiseResponder({ clock, maxSzx: serverMaxSzx });
  const server = new CoapEndpoint(a, { blockwise: false, clock, router, handlerStages: [responder.stage] });
  server.observers.notificationStage = responder.notificationStage;
  const sender = new BlockwiseSender({ clock, ...senderOptions });
  let inner: ExchangeSender | undefined;
  const client = new CoapEndpoint(b, {
    blockwise: false,
    clock,
    senderStages: [sender.stage, (next) => (inner = next)],
    observationStages: observationStage ? [sender.observationStage] : [],
  });
  const close = async (): Promise<void> => {
    await client.close();
    await server.close();
  };
  return { net, a, b, router, responder, server, sender, client, peer: a.self, close, inner: () => inner! };
}

/** Block2 values of the responses the server sent. */
const serverBlocks = (net: MemoryNetwork, from: string): (number | undefined)[] =>
  net.log
    .filter((d) => d.from.key === from)
    .map((d) => getOption(decodeMessage(d.bytes), OptionNumber.BLOCK2))
    .map((v) => (v === undefined ? undefined : decodeBlock(v).num));

for (const n of [0, 1, 1023, 1024, 1025, 100_000]) {
  test(`GET of a ${n}-byte resource arrives whole through both stages`, async () => {
    const s = setup();
    const body = bytes(n);
    s.router.use('/big', () => ({ code: Code.CONTENT, payload: body }));
    const res = await s.client.request(s.peer, { method: 'GET', path: '/big' });
    assert.equal(res.code, Code.CONTENT);
    assert.deepEqual(res.payload, body);
    assert.equal(serverBlocks(s.net, s.a.self.key).length, Math.max(1, Math.ceil(n / 1024)));
    await s.close();
  });

  test(`PUT of a ${n}-byte body reaches the handler once, whole`, async () => {
    const s = setup();
    const body = bytes(n, 9);
    const got: Uint8Array[] = [];
    s.router.use('/up', (req: IncomingRequest) => {
      got.push(req.payload);
      return { code: Code.CHANGED };
    });
    const res = await s.client.request(s.peer, { method: 'PUT', path: '/up', payload: body });
    assert.equal(res.code, Code.CHANGED);
    assert.equal(got.length, 1);
    assert.deepEqual(got[0], body);
    await s.close();
  });
}

for (let szx = 0; szx <= 6; szx++) {
  test(`transfers 3000 bytes each way in blocks of ${blockSize(szx)}`, async () => {
    const s = setup({ block1Szx: szx, preferredBlock2Szx: szx });
    const body = bytes(3000);
    let got: Uint8Array | undefined;
    s.router.use('/r', (req: IncomingRequest) => {
      if (req.method === Code.PUT) got = req.payload;
      return {
        code: req.method === Code.PUT ? Code.CHANGED : Code.CONTENT,
        payload: req.method === Code.GET ? body : undefined,
      };
    });
    const down = await s.client.request(s.peer, { method: 'GET', path: '/r' });
    assert.deepEqual(down.payload, body);
    const up = await s.client.request(s.peer, { method: 'PUT', path: '/r', payload: body });
    assert.equal(up.code, Code.CHANGED);
    assert.deepEqual(got, body);
    const blocks = Math.ceil(3000 / blockSize(szx));
    assert.equal(s.net.log.filter((d) => d.from.key === s.a.self.key).length, 2 * blocks);
    await s.close();
  });
}

test('a server preferring small blocks makes the client switch sizes mid-upload', async () => {
  const s = setup({}, 2);
  const body = bytes(5000);
  let got: Uint8Array | undefined;
  s.router.use('/up', (req: IncomingRequest) => {
    got = req.payload;
    return { code: Code.CHANGED };
  });
  await s.client.request(s.peer, { method: 'PUT', path: '/up', payload: body });
  assert.deepEqual(got, body);
  const requests = s.net.log.filter((d) => d.from.key === s.b.self.key).map((d) => decodeMessage(d.bytes));
  assert.equal(requests[0]!.payload.length, 1024);
  assert.equal(requests[1]!.payload.length, 64);
  assert.equal(requests.length, 1 + Math.ceil((5000 - 1024) / 64));
});

test('a body over the server limit ends with 4.13 and Size1 on the client side', async () => {
  const { net, a, b } = MemoryNetwork.pair();
  const clock = new ManualClock();
  const router = new Router().use('/up', () => ({ code: Code.CHANGED }));
  const responder = new BlockwiseResponder({ clock, limits: { maxBodyBytes: 4000 } });
  const server = new CoapEndpoint(a, { blockwise: false, clock, router, handlerStages: [responder.stage] });
  const client = new CoapEndpoint(b, {
    blockwise: false,
    clock,
    senderStages: [new BlockwiseSender({ clock }).stage],
  });
  const res = await client.request(a.self, { method: 'PUT', path: '/up', payload: bytes(10_000) });
  assert.equal(res.code, Code.REQUEST_ENTITY_TOO_LARGE);
  assert.equal(getUintOption(res.message, OptionNumber.SIZE1), 4000);
  assert.equal(net.log.filter((d) => d.from.key === b.self.key).length, 1); // Size1 refused it at block 0
  await client.close();
  await server.close();
});

test('a Size2=0 query is answered with the representation size', async () => {
  const s = setup();
  s.router.use('/r', () => ({ code: Code.CONTENT, payload: bytes(300) }));
  const res = await s.client.request(s.peer, {
    method: 'GET',
    path: '/r',
    options: [{ number: OptionNumber.SIZE2, value: encodeUint(0) }],
  });
  assert.equal(getUintOption(res.message, OptionNumber.SIZE2), 300);
  await s.close();
});

test('an observe registration answered block-wise is completed by the sender helper', async () => {
  const s = setup({}, 6, false);
  let state = bytes(2600, 1);
  s.router.use('/obs', (req: IncomingRequest) => {
    s.server.acceptObservation(req);
    return { code: Code.CONTENT, payload: state };
  });
  const obs = s.client.observe(s.peer, { method: 'GET', path: '/obs' });
  const first = await obs.response;
  assert.equal(first.payload.length, 1024);
  assert.equal(getUintOption(first.message, OptionNumber.OBSERVE) !== undefined, true);
  const registration = s.net.log.map((d) => decodeMessage(d.bytes)).find((m) => m.code === Code.GET)!;
  state = bytes(2600, 2);
  const whole = await s.sender.completeNotification(s.inner(), registration, first);
  assert.deepEqual(whole.payload, bytes(2600, 1));
  assert.notEqual(getOption(whole.message, OptionNumber.OBSERVE), undefined);
  const followUps = s.net.log
    .filter((d) => d.from.key === s.b.self.key)
    .map((d) => decodeMessage(d.bytes))
    .filter((m) => m.code === Code.GET);
  assert.equal(followUps.length, 3);
  assert.ok(followUps.slice(1).every((m) => getOption(m, OptionNumber.OBSERVE) === undefined));
  obs.forget();
  await flush();
  await s.close();
});

test('a POST with a large body and a large response uses Block1 then Block2 (section 3.3)', async () => {
  const s = setup({ block1Szx: 4 });
  const reply = bytes(2500, 8);
  let got: Uint8Array | undefined;
  let calls = 0;
  s.router.use('/rpc', (req: IncomingRequest) => {
    calls++;
    got = req.payload;
    return { code: Code.CHANGED, payload: reply };
  });
  const body = bytes(1500, 4);
  const res = await s.client.request(s.peer, {
    method: 'POST',
    path: '/rpc',
    contentFormat: 60,
    payload: body,
  });
  assert.equal(res.code, Code.CHANGED);
  assert.deepEqual(got, body);
  assert.deepEqual(res.payload, reply);
  assert.equal(calls, 1);
  await s.close();
});

test('observe through the observation stage: the block-wise registration response arrives whole', async () => {
  const s = setup();
  const state = bytes(2600, 5);
  s.router.use('/obs', (req: IncomingRequest) => {
    s.server.acceptObservation(req);
    return { code: Code.CONTENT, payload: state };
  });
  const obs = s.client.observe(s.peer, { method: 'GET', path: '/obs' });
  const first = await obs.response;
  assert.deepEqual(first.payload, state);
  assert.notEqual(getOption(first.message, OptionNumber.OBSERVE), undefined);
  assert.equal(s.server.observers.size, 1);
  obs.forget();
  await flush();
  await s.close();
});

test('large notifications go out as their first block and reach the observer whole', async () => {
  const s = setup();
  let state = bytes(2600, 1);
  s.router.use('/obs', (req: IncomingRequest) => {
    s.server.acceptObservation(req);
    return { code: Code.CONTENT, payload: state };
  });
  const obs = s.client.observe(s.peer, { method: 'GET', path: '/obs' });
  const it = obs[Symbol.asyncIterator]();
  assert.deepEqual((await it.next()).value?.payload, state);
  const before = s.net.log.length;
  state = bytes(2600, 2);
  assert.equal(s.server.notify('/obs', { code: Code.CONTENT, payload: state }), 1);
  const second = await it.next();
  assert.deepEqual(second.value?.payload, state);
  const sent = s.net.log
    .slice(before)
    .filter((d) => d.from.key === s.a.self.key)
    .map((d) => decodeMessage(d.bytes));
  const notification = sent.find((m) => getOption(m, OptionNumber.OBSERVE) !== undefined)!;
  assert.equal(notification.payload.length, 1024);
  assert.equal(sent.length, 3); // the notification plus two follow-up blocks
  obs.forget();
  await flush();
  await s.close();
});

test('a representation replaced mid-download (new notification) is detected by ETag and fetched again whole', async () => {
  const s = setup();
  let state = bytes(3000, 1);
  s.router.use('/obs', () => ({ code: Code.CONTENT, payload: state }));
  const registration = buildRequest({ method: 'GET', path: '/obs' });
  let exchanges = 0;
  s.client.useSenderStage((next) => ({
    exchange: async (p, m, o) => {
      const r = await next.exchange(p, m, o);
      if (++exchanges === 1) {
        // A notification of a new state replaces the cached representation after block 0.
        state = bytes(3000, 2);
        s.responder.notification(s.b.self, registration, { code: Code.CONTENT, payload: state });
      }
      return r;
    },
  }));
  const res = await s.client.request(s.peer, { method: 'GET', path: '/obs' });
  assert.deepEqual(res.payload, bytes(3000, 2));
  assert.ok(exchanges >= 4, `restarted: ${exchanges} exchanges`);
  await s.close();
});
