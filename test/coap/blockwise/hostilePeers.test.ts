// RFC 7959 section 7: random Block1 traffic from many peers never exceeds the configured bounds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Code, MessageType, OptionNumber, type CoapMessage } from '../../../src/coap/CoapMessage.js';
import { getUriPath, setOption } from '../../../src/coap/options.js';
import { encodeBlock } from '../../../src/coap/blockwise/blockOption.js';
import { BlockwiseResponder } from '../../../src/coap/blockwise/BlockwiseResponder.js';
import { makePeer } from '../../../src/transport/Peer.js';
import { ManualClock } from '../../support/ManualClock.js';

/** xorshift32, seeded: the run is reproducible. */
function rng(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

test('random Block1 blocks from 50 peers keep memory within limits and get only expected codes', async () => {
  const clock = new ManualClock();
  const limits = {
    maxBodyBytes: 8192,
    maxTransfersPerPeer: 3,
    maxTotalBytes: 64 * 1024,
    transferLifetimeMs: 5000,
  };
  const resp = new BlockwiseResponder({ clock, limits });
  let completed = 0;
  const handle = resp.stage((req) => {
    assert.ok(req.payload.length <= 8192);
    completed++;
    return { code: Code.CHANGED };
  });
  const r = rng(0x5eed);
  const allowed = new Set<number>([
    Code.CONTINUE,
    Code.CHANGED,
    Code.REQUEST_ENTITY_INCOMPLETE,
    Code.REQUEST_ENTITY_TOO_LARGE,
    Code.BAD_REQUEST,
    Code.SERVICE_UNAVAILABLE,
  ]);
  const next = new Map<string, number>();
  for (let i = 0; i < 20_000; i++) {
    const peer = makePeer(`10.9.0.${Math.floor(r() * 50)}`, 5683);
    const path = `p${Math.floor(r() * 5)}`;
    const szx = Math.floor(r() * 7);
    const k = `${peer.key}/${path}`;
    // Mostly well-behaved sequences, with jumps, repeats and random numbers mixed in.
    const roll = r();
    const num = roll < 0.7 ? (next.get(k) ?? 0) : roll < 0.8 ? 0 : Math.floor(r() * 0x100000);
    const more = r() < 0.9;
    const size = 16 << szx;
    const len = more ? (r() < 0.95 ? size : Math.floor(r() * size)) : Math.floor(r() * (size + 1));
    const m: CoapMessage = {
      type: MessageType.CON,
      code: Code.PUT,
      messageId: i & 0xffff,
      token: Uint8Array.of(1),
      options: [],
      payload: new Uint8Array(len),
    };
    setOption(m, OptionNumber.URI_PATH, path);
    setOption(m, OptionNumber.BLOCK1, encodeBlock({ num, more, szx }));
    const res = await handle({
      peer,
      method: m.code,
      path: getUriPath(m),
      query: [],
      payload: m.payload,
      message: m,
    });
    assert.ok(allowed.has(res.code), `unexpected code ${res.code}`);
    next.set(k, res.code === Code.CONTINUE ? num + 1 : 0);
    assert.ok(resp.reassembly.heldBytes <= limits.maxTotalBytes);
    assert.ok(resp.reassembly.openTransfers <= 50 * 3);
    if (i % 1000 === 0) clock.advance(1000);
  }
  assert.ok(completed > 0, 'some uploads completed');
  clock.advance(5001);
  assert.equal(resp.reassembly.openTransfers, 0);
  assert.equal(resp.reassembly.heldBytes, 0);
});
