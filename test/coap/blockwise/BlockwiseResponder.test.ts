// RFC 7959 sections 2.3-2.9 (server side): the responder stage called directly, hostile peers included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Code, MessageType, OptionNumber, type CoapMessage } from '../../../src/coap/CoapMessage.js';
import { decodeUint, getOption, getUriPath, setOption } from '../../../src/coap/options.js';
import type { IncomingRequest, OutgoingResponse, RequestHandler } from '../../../src/coap/Router.js';
import { makePeer, type Peer } from '../../../src/transport/Peer.js';
import { decodeBlock, encodeBlock, type BlockValue } from '../../../src/coap/blockwise/blockOption.js';
import { TRANSFER_OVERHEAD_BYTES } from '../../../src/coap/blockwise/ReassemblyBuffer.js';
import {
  BlockwiseResponder,
  CACHE_ENTRY_OVERHEAD_BYTES,
  szxForDatagram,
} from '../../../src/coap/blockwise/BlockwiseResponder.js';
import { ManualClock } from '../../support/ManualClock.js';

const bytes = (n: number, seed = 5): Uint8Array =>
  Uint8Array.from({ length: n }, (_, i) => (i * 17 + seed) & 0xff);
const peerA = makePeer('10.0.0.9', 40000);

function request(
  code: number,
  path: string,
  opts: { b1?: BlockValue; b2?: BlockValue; payload?: Uint8Array } = {},
): CoapMessage {
  const m: CoapMessage = {
    type: MessageType.CON,
    code,
    messageId: 1,
    token: Uint8Array.of(1),
    options: [],
    payload: opts.payload ?? new Uint8Array(0),
  };
  setOption(m, OptionNumber.URI_PATH, path);
  if (opts.b1) setOption(m, OptionNumber.BLOCK1, encodeBlock(opts.b1));
  if (opts.b2) setOption(m, OptionNumber.BLOCK2, encodeBlock(opts.b2));
  return m;
}
const incoming = (message: CoapMessage, peer: Peer = peerA): IncomingRequest => ({
  peer,
  method: message.code,
  path: getUriPath(message),
  query: [],
  payload: message.payload,
  message,
});
const opt = (r: OutgoingResponse, n: number): Uint8Array | undefined =>
  r.options?.find((o) => o.number === n)?.value;
const block = (r: OutgoingResponse, n: 23 | 27): BlockValue | undefined => {
  const v = opt(r, n);
  return v === undefined ? undefined : decodeBlock(v);
};

/** A handler recording the bodies it receives and answering `reply()`. */
function recorder(
  reply: () => OutgoingResponse = () => ({ code: Code.CHANGED }),
): RequestHandler & { bodies: Uint8Array[] } {
  const bodies: Uint8Array[] = [];
  const h = (req: IncomingRequest): OutgoingResponse => {
    bodies.push(req.payload);
    return reply();
  };
  return Object.assign(h, { bodies });
}

test('answers 2.31 with the Block1 echo for each non-final block and calls the handler once', async () => {
  const h = recorder();
  const handle = new BlockwiseResponder({ clock: new ManualClock() }).stage(h);
  const body = bytes(2100);
  for (let num = 0; num < 2; num++) {
    const b1 = { num, more: true, szx: 6 };
    const r = await handle(
      incoming(request(Code.PUT, 'fw', { b1, payload: body.subarray(num * 1024, num * 1024 + 1024) })),
    );
    assert.equal(r.code, Code.CONTINUE);
    assert.deepEqual(block(r, 27), b1);
  }
  const last = { num: 2, more: false, szx: 6 };
  const r = await handle(incoming(request(Code.PUT, 'fw', { b1: last, payload: body.subarray(2048) })));
  assert.equal(r.code, Code.CHANGED);
  assert.deepEqual(block(r, 27), last);
  assert.equal(h.bodies.length, 1);
  assert.deepEqual(h.bodies[0], body);
});

test('the handler sees the body without Block1 and Size1 options', async () => {
  let seen: CoapMessage | undefined;
  const handle = new BlockwiseResponder({ clock: new ManualClock() }).stage((req) => {
    seen = req.message;
    return { code: Code.CHANGED };
  });
  const m = request(Code.PUT, 'x', { b1: { num: 0, more: true, szx: 0 }, payload: bytes(16) });
  setOption(m, OptionNumber.SIZE1, 20);
  await handle(incoming(m));
  await handle(incoming(request(Code.PUT, 'x', { b1: { num: 1, more: false, szx: 0 }, payload: bytes(4) })));
  assert.equal(getOption(seen!, OptionNumber.BLOCK1), undefined);
  assert.equal(getOption(seen!, OptionNumber.SIZE1), undefined);
  assert.equal(seen!.payload.length, 20);
});

test('negotiates a smaller Block1 size in the 2.31 when the server prefers one', async () => {
  const handle = new BlockwiseResponder({ clock: new ManualClock(), maxSzx: 3 }).stage(recorder());
  const r = await handle(
    incoming(request(Code.PUT, 'fw', { b1: { num: 0, more: true, szx: 6 }, payload: bytes(1024) })),
  );
  assert.deepEqual(block(r, 27), { num: 0, more: true, szx: 3 });
});

test('answers 4.08 to a hostile Block1 number 2^20-1 and keeps no state', async () => {
  const resp = new BlockwiseResponder({ clock: new ManualClock() });
  const h = recorder();
  const r = await resp.stage(h)(
    incoming(request(Code.PUT, 'fw', { b1: { num: 0xfffff, more: true, szx: 6 }, payload: bytes(1024) })),
  );
  assert.equal(r.code, Code.REQUEST_ENTITY_INCOMPLETE);
  assert.equal(resp.reassembly.heldBytes, 0);
  assert.equal(h.bodies.length, 0);
});

test('answers 4.13 with Size1 once endless M=1 blocks pass the limit, holding at most the limit', async () => {
  const resp = new BlockwiseResponder({ clock: new ManualClock(), limits: { maxBodyBytes: 10_000 } });
  const handle = resp.stage(recorder());
  let r: OutgoingResponse = { code: Code.CONTINUE };
  let num = 0;
  while (r.code === Code.CONTINUE && num < 1000) {
    r = await handle(
      incoming(request(Code.PUT, 'fw', { b1: { num: num++, more: true, szx: 6 }, payload: bytes(1024) })),
    );
    // The body buffer never outgrows the limit; the transfer's bookkeeping comes on top.
    assert.ok(resp.reassembly.heldBytes <= 10_000 + TRANSFER_OVERHEAD_BYTES + 300);
  }
  assert.equal(r.code, Code.REQUEST_ENTITY_TOO_LARGE);
  assert.equal(decodeUint(opt(r, OptionNumber.SIZE1)!), 10_000);
  assert.equal(num, 10);
  assert.equal(resp.reassembly.heldBytes, 0);
});

test('many concurrent uploads from one peer keep only the newest few', async () => {
  const resp = new BlockwiseResponder({ clock: new ManualClock(), limits: { maxTransfersPerPeer: 2 } });
  const handle = resp.stage(recorder());
  for (let i = 0; i < 100; i++) {
    await handle(
      incoming(request(Code.PUT, `f${i}`, { b1: { num: 0, more: true, szx: 6 }, payload: bytes(1024) })),
    );
  }
  assert.equal(resp.reassembly.openTransfers, 2);
  const old = await handle(
    incoming(request(Code.PUT, 'f0', { b1: { num: 1, more: false, szx: 6 }, payload: bytes(1) })),
  );
  assert.equal(old.code, Code.REQUEST_ENTITY_INCOMPLETE);
  const recent = await handle(
    incoming(request(Code.PUT, 'f99', { b1: { num: 1, more: false, szx: 6 }, payload: bytes(1) })),
  );
  assert.equal(recent.code, Code.CHANGED);
});

test('transfers of two peers to the same path stay apart', async () => {
  const h = recorder();
  const handle = new BlockwiseResponder({ clock: new ManualClock() }).stage(h);
  const other = makePeer('10.0.0.10', 40000);
  await handle(
    incoming(request(Code.PUT, 'fw', { b1: { num: 0, more: true, szx: 0 }, payload: bytes(16, 1) })),
  );
  await handle(
    incoming(request(Code.PUT, 'fw', { b1: { num: 0, more: true, szx: 0 }, payload: bytes(16, 2) }), other),
  );
  await handle(
    incoming(request(Code.PUT, 'fw', { b1: { num: 1, more: false, szx: 0 }, payload: bytes(1, 1) })),
  );
  assert.deepEqual(h.bodies[0]!.subarray(0, 16), bytes(16, 1));
});

test('answers 4.00 for the reserved SZX 7 in a Block1 or Block2 option (RFC 7959 2.2)', async () => {
  const h = recorder();
  const handle = new BlockwiseResponder({ clock: new ManualClock() }).stage(h);
  const get = request(Code.GET, 'x');
  setOption(get, OptionNumber.BLOCK2, Uint8Array.of(0x0f));
  assert.equal((await handle(incoming(get))).code, Code.BAD_REQUEST);
  const put = request(Code.PUT, 'x', { payload: bytes(16) });
  setOption(put, OptionNumber.BLOCK1, Uint8Array.of(0x01, 0x0f));
  assert.equal((await handle(incoming(put))).code, Code.BAD_REQUEST);
  assert.equal(h.bodies.length, 0);
});

test('sends a large response as block 0 with Block2 M=1 and Size2, then later blocks from the cache', async () => {
  const body = bytes(2500);
  let calls = 0;
  const handle = new BlockwiseResponder({ clock: new ManualClock() }).stage(() => {
    calls++;
    return { code: Code.CONTENT, payload: body, contentFormat: 42 };
  });
  const first = await handle(incoming(request(Code.GET, 'big')));
  assert.deepEqual(block(first, 23), { num: 0, more: true, szx: 6 });
  assert.equal(decodeUint(opt(first, OptionNumber.SIZE2)!), 2500);
  assert.equal(first.contentFormat, 42);
  assert.deepEqual(first.payload, body.subarray(0, 1024));
  const b1 = await handle(incoming(request(Code.GET, 'big', { b2: { num: 1, more: false, szx: 6 } })));
  const b2 = await handle(incoming(request(Code.GET, 'big', { b2: { num: 2, more: false, szx: 6 } })));
  assert.deepEqual(block(b1, 23), { num: 1, more: true, szx: 6 });
  assert.deepEqual(block(b2, 23), { num: 2, more: false, szx: 6 });
  assert.deepEqual(b2.payload, body.subarray(2048));
  assert.equal(opt(b1, OptionNumber.SIZE2), undefined);
  assert.equal(calls, 1);
});

test('honours a smaller Block2 size asked for on the first request (early negotiation)', async () => {
  const handle = new BlockwiseResponder({ clock: new ManualClock() }).stage(() => ({
    code: Code.CONTENT,
    payload: bytes(100),
  }));
  const r = await handle(incoming(request(Code.GET, 'x', { b2: { num: 0, more: false, szx: 1 } })));
  assert.deepEqual(block(r, 23), { num: 0, more: true, szx: 1 });
  assert.equal(r.payload!.length, 32);
});

test('serves a later block asked at a larger size in the server maximum size, renumbered', async () => {
  const body = bytes(1000);
  const resp = new BlockwiseResponder({ clock: new ManualClock(), maxSzx: 2 });
  const handle = resp.stage(() => ({ code: Code.CONTENT, payload: body }));
  await handle(incoming(request(Code.GET, 'x')));
  const r = await handle(incoming(request(Code.GET, 'x', { b2: { num: 1, more: false, szx: 4 } })));
  assert.deepEqual(block(r, 23), { num: 4, more: true, szx: 2 });
  assert.deepEqual(r.payload, body.subarray(256, 320));
});

test('re-runs a GET handler when the cached representation expired', async () => {
  const clock = new ManualClock();
  let calls = 0;
  const handle = new BlockwiseResponder({ clock, limits: { cacheLifetimeMs: 1000 } }).stage(() => {
    calls++;
    return { code: Code.CONTENT, payload: bytes(3000, calls) };
  });
  await handle(incoming(request(Code.GET, 'x')));
  clock.advance(1001);
  const r = await handle(incoming(request(Code.GET, 'x', { b2: { num: 1, more: false, szx: 6 } })));
  assert.equal(calls, 2);
  assert.deepEqual(r.payload, bytes(3000, 2).subarray(1024, 2048));
});

test('answers 4.08 for a later block of a POST response that is no longer cached', async () => {
  const handle = new BlockwiseResponder({ clock: new ManualClock() }).stage(() => ({ code: Code.CHANGED }));
  const r = await handle(incoming(request(Code.POST, 'x', { b2: { num: 1, more: false, szx: 6 } })));
  assert.equal(r.code, Code.REQUEST_ENTITY_INCOMPLETE);
});

test('answers 4.02 for a block number past the end of the representation', async () => {
  const handle = new BlockwiseResponder({ clock: new ManualClock() }).stage(() => ({
    code: Code.CONTENT,
    payload: bytes(2000),
  }));
  await handle(incoming(request(Code.GET, 'x')));
  const r = await handle(incoming(request(Code.GET, 'x', { b2: { num: 2, more: false, szx: 6 } })));
  assert.equal(r.code, Code.BAD_OPTION);
});

test('adds Size2 to a small response when the request carried Size2=0', async () => {
  const handle = new BlockwiseResponder({ clock: new ManualClock() }).stage(() => ({
    code: Code.CONTENT,
    payload: bytes(10),
  }));
  const m = request(Code.GET, 'x');
  setOption(m, OptionNumber.SIZE2, 0);
  const r = await handle(incoming(m));
  assert.equal(decodeUint(opt(r, OptionNumber.SIZE2)!), 10);
  assert.equal(block(r, 23), undefined);
  const plain = await handle(incoming(request(Code.GET, 'x')));
  assert.equal(opt(plain, OptionNumber.SIZE2), undefined);
});

test('leaves a response alone when the handler did its own Block2', async () => {
  const own: OutgoingResponse = {
    code: Code.CONTENT,
    payload: bytes(2000),
    options: [{ number: OptionNumber.BLOCK2, value: encodeBlock({ num: 0, more: true, szx: 6 }) }],
  };
  const handle = new BlockwiseResponder({ clock: new ManualClock() }).stage(() => own);
  assert.equal(await handle(incoming(request(Code.GET, 'x'))), own);
});

test('a notification carries only its first block and the follow-up GETs get the rest of that state', async () => {
  let state = bytes(2500, 1);
  const resp = new BlockwiseResponder({ clock: new ManualClock() });
  const handle = resp.stage(() => ({ code: Code.CONTENT, payload: state }));
  const registration = request(Code.GET, 'obs');
  setOption(registration, OptionNumber.OBSERVE, 0);
  const n = resp.notification(peerA, registration, { code: Code.CONTENT, payload: state });
  assert.deepEqual(block(n, 23), { num: 0, more: true, szx: 6 });
  assert.equal(n.payload!.length, 1024);
  state = bytes(2500, 2); // the resource moves on; the follow-ups still see the notified state
  const r = await handle(incoming(request(Code.GET, 'obs', { b2: { num: 1, more: false, szx: 6 } })));
  assert.deepEqual(r.payload, bytes(2500, 1).subarray(1024, 2048));
  const small = resp.notification(peerA, registration, { code: Code.CONTENT, payload: bytes(5) });
  assert.equal(small.options, undefined);
});

test('the Block2 cache stays within its byte budget under many large responses', async () => {
  const resp = new BlockwiseResponder({ clock: new ManualClock(), limits: { maxCacheBytes: 50_000 } });
  const handle = resp.stage(() => ({ code: Code.CONTENT, payload: bytes(20_000) }));
  for (let i = 0; i < 40; i++)
    await handle(incoming(request(Code.GET, `r${i}`), makePeer('10.1.0.1', 1000 + i)));
  assert.ok(resp.cachedResponses <= 2);
});

test('short responses cached for 16-byte blocks from spoofed sources are charged their real memory', async () => {
  const maxCacheBytes = 100_000;
  const resp = new BlockwiseResponder({ clock: new ManualClock(), limits: { maxCacheBytes } });
  // A 4.00 with a 60-byte diagnostic, asked for in 16-byte blocks (SZX 0): cacheable.
  const handle = resp.stage(() => ({ code: Code.BAD_REQUEST, payload: bytes(60) }));
  for (let i = 0; i < 1_000; i++) {
    const spoofed = makePeer(`198.51.${i >> 8}.${i & 255}`, 5683);
    await handle(incoming(request(Code.POST, 'rd', { b2: { num: 0, more: false, szx: 0 } }), spoofed));
  }
  assert.ok(resp.cachedBytes <= maxCacheBytes);
  // 60 payload bytes each would let 1 666 entries in; with their overhead far fewer fit.
  assert.ok(resp.cachedResponses <= maxCacheBytes / CACHE_ENTRY_OVERHEAD_BYTES, `${resp.cachedResponses}`);
});

test('picks the largest SZX whose block fits a datagram with room for the header', () => {
  assert.equal(szxForDatagram(1152), 6);
  assert.equal(szxForDatagram(1024), 5);
  assert.equal(szxForDatagram(100), 0);
});

test('a later block re-run that now fails is answered with the failure, not 4.02', async () => {
  const handle = new BlockwiseResponder({ clock: new ManualClock() }).stage(() => ({ code: Code.NOT_FOUND }));
  const r = await handle(incoming(request(Code.GET, 'gone', { b2: { num: 3, more: false, szx: 6 } })));
  assert.equal(r.code, Code.NOT_FOUND);
});

test('block-wise responses carry one content-derived ETag on every block', async () => {
  let body = bytes(3000, 1);
  const clock = new ManualClock();
  const handle = new BlockwiseResponder({ clock, limits: { cacheLifetimeMs: 1000 } }).stage(() => ({
    code: Code.CONTENT,
    payload: body,
  }));
  const first = await handle(incoming(request(Code.GET, 'x')));
  const tag = opt(first, OptionNumber.ETAG);
  assert.equal(tag?.length, 8);
  const later = await handle(incoming(request(Code.GET, 'x', { b2: { num: 1, more: false, szx: 6 } })));
  assert.deepEqual(opt(later, OptionNumber.ETAG), tag);
  clock.advance(1001); // cache gone: the re-run with the same content gives the same ETag
  const rerun = await handle(incoming(request(Code.GET, 'x', { b2: { num: 2, more: false, szx: 6 } })));
  assert.deepEqual(opt(rerun, OptionNumber.ETAG), tag);
  clock.advance(1001);
  body = bytes(3000, 2);
  const changed = await handle(incoming(request(Code.GET, 'x', { b2: { num: 2, more: false, szx: 6 } })));
  assert.notDeepEqual(opt(changed, OptionNumber.ETAG), tag);
});

test('keeps the ETag a handler gave', async () => {
  const handle = new BlockwiseResponder({ clock: new ManualClock() }).stage(() => ({
    code: Code.CONTENT,
    payload: bytes(3000),
    options: [{ number: OptionNumber.ETAG, value: Uint8Array.of(7) }],
  }));
  const r = await handle(incoming(request(Code.GET, 'x')));
  assert.deepEqual(opt(r, OptionNumber.ETAG), Uint8Array.of(7));
  assert.equal(r.options!.filter((o) => o.number === OptionNumber.ETAG).length, 1);
});
