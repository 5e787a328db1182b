// RFC 7959 sections 2.3-2.6 and 2.9: the requester's block sequences against scripted servers.
import { test } from '../../support/isolatedTest.js';
import assert from 'node:assert/strict';
import { Code, MessageType, OptionNumber, type CoapMessage } from '../../../src/coap/CoapMessage.js';
import { getOption, getUintOption, setOption } from '../../../src/coap/options.js';
import { blockSize, type BlockValue } from '../../../src/coap/blockwise/blockOption.js';
import { getBlock1, getBlock2, setBlock } from '../../../src/coap/blockwise/blockMessages.js';
import {
  DEFAULT_REQUESTER_OPTIONS,
  completeBlock2,
  requestBlockwise,
  type Exchange,
} from '../../../src/coap/blockwise/blockwiseRequester.js';
import { BlockwiseError } from '../../../src/coap/blockwise/BlockwiseError.js';

const bytes = (n: number, seed = 7): Uint8Array =>
  Uint8Array.from({ length: n }, (_, i) => (i * 13 + seed) & 0xff);
const msg = (code: number, payload: Uint8Array = new Uint8Array(0)): CoapMessage => ({
  type: MessageType.CON,
  code,
  messageId: 1,
  token: new Uint8Array(0),
  options: [],
  payload,
});
const get = (): CoapMessage => setOption(msg(Code.GET), OptionNumber.URI_PATH, 'big');

/** A scripted server holding `resource`, serving Block2 in blocks of at most `serverSzx`. */
function block2Server(
  resource: () => Uint8Array,
  serverSzx = 6,
  etag?: () => Uint8Array,
): Exchange & { log: CoapMessage[] } {
  const log: CoapMessage[] = [];
  const fn = async (req: CoapMessage): Promise<CoapMessage> => {
    log.push(req);
    const body = resource();
    const asked = getBlock2(req);
    const szx = Math.min(asked?.szx ?? 6, serverSzx);
    const size = blockSize(szx);
    const num = asked ? (asked.num * blockSize(asked.szx)) / size : 0;
    const res = msg(Code.CONTENT, body.subarray(num * size, (num + 1) * size));
    if (etag) setOption(res, OptionNumber.ETAG, etag());
    if (body.length > size || asked)
      setBlock(res, OptionNumber.BLOCK2, { num, more: (num + 1) * size < body.length, szx });
    if (num === 0 && body.length > size) setOption(res, OptionNumber.SIZE2, body.length);
    return res;
  };
  return Object.assign(fn, { log });
}

for (const n of [0, 1, 1023, 1024, 1025, 100_000]) {
  test(`downloads a ${n}-byte body block by block and concatenates it`, async () => {
    const body = bytes(n);
    const server = block2Server(() => body);
    const res = await requestBlockwise(server, get());
    assert.deepEqual(res.payload, body);
    assert.equal(getOption(res, OptionNumber.BLOCK2), undefined);
    assert.equal(server.log.length, Math.max(1, Math.ceil(n / 1024)));
  });
}

test('asks for the preferred Block2 size on the first request (early negotiation)', async () => {
  const body = bytes(300);
  const server = block2Server(() => body);
  const res = await requestBlockwise(server, get(), { ...DEFAULT_REQUESTER_OPTIONS, preferredBlock2Szx: 2 });
  assert.deepEqual(res.payload, body);
  assert.equal(server.log.length, 5);
  assert.deepEqual(getBlock2(server.log[0]!), { num: 0, more: false, szx: 2 });
  assert.deepEqual(getBlock2(server.log[4]!), { num: 4, more: false, szx: 2 });
});

test('follows a server that answers with a smaller block size than asked', async () => {
  const body = bytes(1000);
  const server = block2Server(() => body, 4);
  const res = await requestBlockwise(server, get());
  assert.deepEqual(res.payload, body);
  assert.equal(server.log.length, 4);
});

test('drops Observe from the follow-up requests and keeps the other options', async () => {
  const body = bytes(2000);
  const server = block2Server(() => body);
  const req = setOption(setOption(get(), OptionNumber.OBSERVE, 0), OptionNumber.ACCEPT, 60);
  const res = await requestBlockwise(server, req);
  assert.deepEqual(res.payload, body);
  assert.equal(getOption(server.log[1]!, OptionNumber.OBSERVE), undefined);
  assert.equal(getUintOption(server.log[1]!, OptionNumber.ACCEPT), 60);
});

test('refuses a body over maxBodyBytes from Size2 before fetching more', async () => {
  const server = block2Server(() => bytes(10_000));
  await assert.rejects(
    requestBlockwise(server, get(), { ...DEFAULT_REQUESTER_OPTIONS, maxBodyBytes: 5000 }),
    (e: unknown) => e instanceof BlockwiseError && e.failure === 'too-large',
  );
  assert.equal(server.log.length, 1);
});

test('stops at maxBodyBytes when the server announces no Size2 and never ends', async () => {
  const server: Exchange = async (req) => {
    const num = getBlock2(req)?.num ?? 0;
    return setBlock(msg(Code.CONTENT, bytes(1024)), OptionNumber.BLOCK2, { num, more: true, szx: 6 });
  };
  await assert.rejects(
    requestBlockwise(server, get(), { ...DEFAULT_REQUESTER_OPTIONS, maxBodyBytes: 8192 }),
    (e: unknown) => e instanceof BlockwiseError && e.failure === 'too-large',
  );
});

test('restarts when the ETag changes mid-transfer and returns the new representation whole', async () => {
  let version = 1;
  let calls = 0;
  const server = block2Server(
    () => bytes(3000, version),
    6,
    () => Uint8Array.of(version),
  );
  const exchange: Exchange = async (req) => {
    if (++calls === 2) version = 2; // changes after the first block was served
    return server(req);
  };
  const res = await requestBlockwise(exchange, get());
  assert.deepEqual(res.payload, bytes(3000, 2));
  assert.deepEqual(getOption(res, OptionNumber.ETAG), Uint8Array.of(2));
});

test('gives up with a "changed" error when the representation keeps changing', async () => {
  let version = 0;
  const server = block2Server(
    () => bytes(3000, version),
    6,
    () => Uint8Array.of(version++ & 0xff),
  );
  await assert.rejects(
    requestBlockwise(server, get()),
    (e: unknown) => e instanceof BlockwiseError && e.failure === 'changed',
  );
});

test('rejects a block whose number is not the one asked for', async () => {
  const server: Exchange = async () =>
    setBlock(msg(Code.CONTENT, bytes(64)), OptionNumber.BLOCK2, { num: 0, more: true, szx: 2 });
  await assert.rejects(
    requestBlockwise(server, get()),
    (e: unknown) => e instanceof BlockwiseError && e.failure === 'protocol',
  );
});

/** A scripted Block1 server: 2.31 with `prefer` SZX, 4.13 over `max`, 2.04 at the end. */
function block1Server(prefer = 6, max = Infinity): Exchange & { log: CoapMessage[]; got: Uint8Array[] } {
  const log: CoapMessage[] = [];
  const got: Uint8Array[] = [];
  const fn = async (req: CoapMessage): Promise<CoapMessage> => {
    log.push(req);
    const b1 = getBlock1(req);
    const size1 = getUintOption(req, OptionNumber.SIZE1);
    if ((size1 ?? req.payload.length) > max || (!b1 && req.payload.length > blockSize(prefer))) {
      const res = setOption(msg(Code.REQUEST_ENTITY_TOO_LARGE), OptionNumber.SIZE1, Math.min(max, 1 << 30));
      return b1 || max === Infinity
        ? setBlock(res, OptionNumber.BLOCK1, { num: 0, more: false, szx: prefer })
        : res;
    }
    if (b1 && b1.szx > prefer && b1.num === 0 && b1.more === true && prefer < 6 && log.length === 1) {
      got.push(req.payload);
      return setBlock(msg(Code.CONTINUE), OptionNumber.BLOCK1, { ...b1, szx: prefer } as BlockValue);
    }
    got.push(req.payload);
    if (b1?.more) return setBlock(msg(Code.CONTINUE), OptionNumber.BLOCK1, b1);
    const res = msg(Code.CHANGED);
    return b1 ? setBlock(res, OptionNumber.BLOCK1, b1) : res;
  };
  return Object.assign(fn, { log, got });
}

const put = (body: Uint8Array): CoapMessage => {
  const m = setOption(msg(Code.PUT, body), OptionNumber.URI_PATH, 'fw');
  return m;
};
const joined = (parts: Uint8Array[]): Uint8Array => Uint8Array.from(parts.flatMap((p) => [...p]));

for (const n of [1, 1024, 1025, 100_000]) {
  test(`uploads a ${n}-byte body as Block1 blocks with Size1 on the first`, async () => {
    const server = block1Server();
    const body = bytes(n);
    const res = await requestBlockwise(server, put(body));
    assert.equal(res.code, Code.CHANGED);
    assert.deepEqual(joined(server.got), body);
    assert.equal(server.log.length, Math.ceil(n / 1024));
    if (n > 1024) assert.equal(getUintOption(server.log[0]!, OptionNumber.SIZE1), n);
  });
}

for (let szx = 0; szx <= 6; szx++) {
  test(`uploads 1000 bytes in blocks of ${blockSize(szx)}`, async () => {
    const server = block1Server();
    const body = bytes(1000);
    await requestBlockwise(server, put(body), { ...DEFAULT_REQUESTER_OPTIONS, block1Szx: szx });
    assert.deepEqual(joined(server.got), body);
    assert.equal(server.log.length, Math.ceil(1000 / blockSize(szx)));
  });
}

test('continues with the smaller block size a 2.31 asks for', async () => {
  const server = block1Server(2);
  const body = bytes(1024 + 200);
  await requestBlockwise(server, put(body));
  assert.deepEqual(joined(server.got), body);
  assert.deepEqual(getBlock1(server.log[1]!), { num: 16, more: true, szx: 2 });
});

test('retries block-wise after a 4.13 that carries a Block1 size', async () => {
  // The server takes at most 256-byte blocks and says so in its 4.13 (section 2.9.3).
  const server = block1Server(4);
  const body = bytes(700);
  const res = await requestBlockwise(server, put(body), { ...DEFAULT_REQUESTER_OPTIONS, block1Szx: 6 });
  assert.equal(res.code, Code.CHANGED);
  assert.equal(server.log[0]!.payload.length, 700);
  assert.deepEqual(getBlock1(server.log[1]!), { num: 0, more: true, szx: 4 });
  assert.deepEqual(joined(server.got), body);
});

test('returns a 4.13 with Size1 when the body is over the server maximum', async () => {
  const server = block1Server(6, 2000);
  const res = await requestBlockwise(server, put(bytes(5000)));
  assert.equal(res.code, Code.REQUEST_ENTITY_TOO_LARGE);
  assert.equal(getUintOption(res, OptionNumber.SIZE1), 2000);
  assert.equal(server.log.length, 1);
});

test('fetches the Block2 response of a Block1 upload (section 3.3) without repeating the body', async () => {
  const reply = bytes(2500, 3);
  const log: CoapMessage[] = [];
  const exchange: Exchange = async (req) => {
    log.push(req);
    const b1 = getBlock1(req);
    if (b1?.more) return setBlock(msg(Code.CONTINUE), OptionNumber.BLOCK1, b1);
    const num = getBlock2(req)?.num ?? 0;
    const res = msg(Code.CHANGED, reply.subarray(num * 1024, (num + 1) * 1024));
    return setBlock(res, OptionNumber.BLOCK2, { num, more: (num + 1) * 1024 < reply.length, szx: 6 });
  };
  const post = { ...put(bytes(3000)), code: Code.POST };
  const res = await requestBlockwise(exchange, post);
  assert.deepEqual(res.payload, reply);
  assert.equal(log.length, 5);
  assert.equal(log[3]!.payload.length, 0);
  assert.equal(getBlock1(log[3]!), undefined);
});

test('completes a notification carrying Block2 M=1 with plain GETs', async () => {
  const body = bytes(2100);
  const server = block2Server(() => body);
  const notification = setOption(await server(get()), OptionNumber.OBSERVE, 12);
  const observe = setOption(get(), OptionNumber.OBSERVE, 0);
  const whole = await completeBlock2(server, observe, notification);
  assert.deepEqual(whole.payload, body);
  assert.equal(getUintOption(whole, OptionNumber.OBSERVE), 12);
  assert.equal(getOption(server.log[1]!, OptionNumber.OBSERVE), undefined);
  assert.deepEqual(getBlock2(server.log[2]!), { num: 2, more: false, szx: 6 });
});
