// RFC 7959 section 2.6 (requester side): notifications carrying Block2 M=1 reach the sink whole.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ExchangeSender } from '../../../src/coap/CoapEndpoint.js';
import { Code, MessageType, OptionNumber, type CoapMessage } from '../../../src/coap/CoapMessage.js';
import { toCoapResponse, type CoapResponse } from '../../../src/coap/CoapResponse.js';
import { getOption, setOption } from '../../../src/coap/options.js';
import type { ObservationSink } from '../../../src/coap/ExchangeLayer.js';
import { getBlock2, setBlock } from '../../../src/coap/blockwise/blockMessages.js';
import { BlockwiseSender } from '../../../src/coap/blockwise/BlockwiseSender.js';
import { makePeer } from '../../../src/transport/Peer.js';
import { ManualClock } from '../../support/ManualClock.js';

const peer = makePeer('10.0.0.5', 5683);
const bytes = (n: number, seed: number): Uint8Array =>
  Uint8Array.from({ length: n }, (_, i) => (i * 7 + seed) & 0xff);
const message = (code: number, payload: Uint8Array = new Uint8Array(0)): CoapMessage => ({
  type: MessageType.CON,
  code,
  messageId: 0,
  token: new Uint8Array(0),
  options: [],
  payload,
});

/** A server whose state is `state()`, answering Block2 requests in 1024-byte blocks. */
function server(
  state: () => Uint8Array,
  gate?: () => Promise<void>,
): ExchangeSender & { requests: CoapMessage[] } {
  const requests: CoapMessage[] = [];
  return {
    requests,
    async exchange(_p, m) {
      requests.push(m);
      await gate?.();
      const num = getBlock2(m)?.num ?? 0;
      const body = state();
      const res = message(Code.CONTENT, body.subarray(num * 1024, (num + 1) * 1024));
      setBlock(res, OptionNumber.BLOCK2, { num, more: (num + 1) * 1024 < body.length, szx: 6 });
      return toCoapResponse(res, peer);
    },
  };
}

function notification(body: Uint8Array, seq: number): CoapResponse {
  const m = message(Code.CONTENT, body.subarray(0, Math.min(1024, body.length)));
  setOption(m, OptionNumber.OBSERVE, seq);
  if (body.length > 1024) setBlock(m, OptionNumber.BLOCK2, { num: 0, more: true, szx: 6 });
  return toCoapResponse(m, peer);
}

function recordingSink(): ObservationSink & { got: [Uint8Array, number | undefined][]; ended: boolean } {
  const s = {
    got: [] as [Uint8Array, number | undefined][],
    ended: false,
    onNotification: (r: CoapResponse, o: number | undefined) => void s.got.push([r.payload, o]),
    onEnd: () => void (s.ended = true),
  };
  return s;
}

const registration = setOption(
  setOption(message(Code.GET), OptionNumber.URI_PATH, 'obs'),
  OptionNumber.OBSERVE,
  0,
);
const settle = async (): Promise<void> => {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
};

test('passes small notifications straight through and completes block-wise ones', async () => {
  const state = bytes(3000, 1);
  const srv = server(() => state);
  const sink = recordingSink();
  const wrapped = new BlockwiseSender({ clock: new ManualClock() }).observationSink(srv, registration, sink);
  wrapped.onNotification(notification(bytes(10, 2), 5), 5);
  assert.equal(sink.got.length, 1);
  wrapped.onNotification(notification(state, 6), 6);
  await settle();
  assert.equal(sink.got.length, 2);
  assert.deepEqual(sink.got[1], [state, 6]);
  assert.equal(srv.requests.length, 2);
  assert.ok(srv.requests.every((m) => getOption(m, OptionNumber.OBSERVE) === undefined));
});

test('a newer block-wise notification aborts the completion of an older one', async () => {
  let state = bytes(3000, 1);
  const waiting: (() => void)[] = [];
  const srv = server(
    () => state,
    () => new Promise<void>((r) => waiting.push(r)),
  );
  const sink = recordingSink();
  const wrapped = new BlockwiseSender({ clock: new ManualClock() }).observationSink(srv, registration, sink);
  wrapped.onNotification(notification(state, 1), 1);
  state = bytes(3000, 2);
  wrapped.onNotification(notification(state, 2), 2);
  for (let i = 0; i < 10; i++) {
    waiting.splice(0).forEach((r) => r());
    await settle();
  }
  assert.equal(sink.got.length, 1);
  assert.deepEqual(sink.got[0], [state, 2]);
});

test('ends the sink only after the final response being completed was delivered', async () => {
  const state = bytes(2000, 3);
  const srv = server(() => state);
  const sink = recordingSink();
  const wrapped = new BlockwiseSender({ clock: new ManualClock() }).observationSink(srv, registration, sink);
  const final = notification(state, 0);
  wrapped.onNotification(final, undefined);
  wrapped.onEnd();
  assert.equal(sink.ended, false);
  await settle();
  assert.deepEqual(sink.got, [[state, undefined]]);
  assert.equal(sink.ended, true);
});
