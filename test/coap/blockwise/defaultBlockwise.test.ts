// A CoapEndpoint built with no options does block-wise transfers by itself (RFC 7959): large
// responses, large request bodies and large notifications cross whole.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CoapEndpoint } from '../../../src/coap/CoapEndpoint.js';
import { Code } from '../../../src/coap/CoapMessage.js';
import { makePeer } from '../../../src/transport/Peer.js';
import { MemoryNetwork } from '../../support/MemoryTransport.js';
import { decodeBlock, encodeBlock } from '../../../src/coap/blockwise/blockOption.js';

const body = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 7 + 3) & 0xff);

test('default endpoints move large bodies both ways and large notifications whole', async () => {
  const { net, a, b } = MemoryNetwork.pair();
  const server = new CoapEndpoint(a);
  const client = new CoapEndpoint(b);
  const big = body(5_000);
  let uploaded: Uint8Array | undefined;
  server.router.use('/big', () => ({ code: Code.CONTENT, payload: big }));
  server.router.use('/up', (req) => {
    uploaded = req.payload;
    return { code: Code.CHANGED };
  });
  server.router.use('/obs', (req) => {
    server.acceptObservation(req);
    return { code: Code.CONTENT, payload: body(3_000) };
  });
  const peer = makePeer(a.address().address, a.address().port);
  try {
    const res = await client.request(peer, { method: 'GET', path: '/big', timeoutMs: 5_000 });
    assert.equal(res.code, Code.CONTENT);
    assert.deepEqual(res.payload, big);
    const put = await client.request(peer, { method: 'PUT', path: '/up', payload: big, timeoutMs: 5_000 });
    assert.equal(put.code, Code.CHANGED);
    assert.deepEqual(uploaded, big);

    const obs = client.observe(peer, { method: 'GET', path: '/obs', timeoutMs: 5_000 });
    const seen: number[] = [];
    for await (const n of obs) {
      seen.push(n.payload.length);
      if (seen.length === 1) server.notify('/obs', { code: Code.CONTENT, payload: body(2_500) });
      else break;
    }
    assert.deepEqual(seen, [3_000, 2_500]);
    // Every datagram stayed within the transport's size: the bodies really went block by block.
    const largest = Math.max(...net.log.map((d) => d.bytes.length));
    assert.ok(largest <= a.maxDatagramSize, `a ${largest}-byte datagram exceeds ${a.maxDatagramSize}`);
    assert.ok(net.log.length > 20, `only ${net.log.length} datagrams for ~10 kB each way`);
  } finally {
    await client.close();
    await server.close();
  }
});

test('blockwise: false turns the stages off (a large response then travels in one datagram)', async () => {
  const { a, b } = MemoryNetwork.pair();
  const server = new CoapEndpoint(a, { blockwise: false });
  const client = new CoapEndpoint(b, { blockwise: false });
  server.router.use('/big', () => ({ code: Code.CONTENT, payload: body(2_000) }));
  try {
    const res = await client.request(makePeer(a.address().address, a.address().port), {
      method: 'GET',
      path: '/big',
      timeoutMs: 5_000,
    });
    assert.equal(res.payload.length, 2_000);
    assert.equal(
      res.options.some((o) => o.number === 23),
      false,
      'no Block2 option expected',
    );
  } finally {
    await client.close();
    await server.close();
  }
});

test('a plain request answered 4.13 with Block1 is sent again block-wise in the suggested size (RFC 7959 2.9.3)', async () => {
  const { a, b } = MemoryNetwork.pair();
  const server = new CoapEndpoint(a, { blockwise: false });
  const client = new CoapEndpoint(b);
  const received: number[] = [];
  let whole = 0;
  server.router.use('/up', (req) => {
    const block1 = req.message.options.find((o) => o.number === 27);
    if (!block1)
      return {
        code: Code.REQUEST_ENTITY_TOO_LARGE,
        options: [{ number: 27, value: encodeBlock({ num: 0, more: false, szx: 2 }) }],
      };
    const block = decodeBlock(block1.value);
    received.push(req.payload.length);
    whole += req.payload.length;
    return block.more
      ? { code: Code.CONTINUE, options: [{ number: 27, value: encodeBlock(block) }] }
      : { code: Code.CHANGED, options: [{ number: 27, value: encodeBlock(block) }] };
  });
  try {
    const res = await client.request(makePeer(a.address().address, a.address().port), {
      method: 'PUT',
      path: '/up',
      payload: body(300),
      timeoutMs: 5_000,
    });
    assert.equal(res.code, Code.CHANGED);
    assert.deepEqual(received, [64, 64, 64, 64, 44]);
    assert.equal(whole, 300);
  } finally {
    await client.close();
    await server.close();
  }
});
