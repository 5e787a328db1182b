// RFC 7959 under the Bootstrap Interface: the Bootstrap-Server's endpoint runs one block-wise
// sender stage, so a Bootstrap-Write larger than a block is cut once, in the block size its
// `coap.blockwise` settings give (a second stage used to cut it in 1024-byte blocks first).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bootstrapRequest } from '../../src/binding/uplinkRequests.js';
import { CoapEndpoint } from '../../src/coap/CoapEndpoint.js';
import { Code, OptionNumber } from '../../src/coap/CoapMessage.js';
import { getBlock1 } from '../../src/coap/blockwise/blockMessages.js';
import { encodeBlock, type BlockValue } from '../../src/coap/blockwise/blockOption.js';
import { Router } from '../../src/coap/Router.js';
import type { BootstrapConfig } from '../../src/lwm2m/BootstrapConfig.js';
import { makePeer } from '../../src/transport/Peer.js';
import { flush } from '../support/MemoryTransport.js';
import { startBootstrap } from './bootstrapFixture.js';

const BIG_KEY = Uint8Array.from({ length: 1500 }, (_, i) => i & 0xff);
const config: BootstrapConfig = {
  security: {
    1: {
      uri: 'coaps://a:5684',
      bootstrapServer: false,
      securityMode: 'x509',
      publicKeyOrIdentity: BIG_KEY,
      secretKey: Uint8Array.of(1, 2, 3),
      shortServerId: 101,
    },
  },
  servers: { 0: { shortServerId: 101, lifetime: 300, binding: 'U' } },
};

test('a large Bootstrap-Write goes out in blocks of the configured size (one block-wise stage)', async () => {
  const s = await startBootstrap({ dev: config }, { coap: { blockwise: { maxSzx: 4 } } });
  // A device without block-wise stages: its handler sees every Block1 block as it arrives.
  const blocks: { path: string; block: BlockValue; bytes: number }[] = [];
  const router = new Router().setDefault((req) => {
    const block = getBlock1(req.message);
    if (!block) return { code: req.method === 4 ? Code.DELETED : Code.CHANGED };
    blocks.push({ path: req.path.join('/'), block, bytes: req.payload.length });
    if (!block.more) return { code: Code.CHANGED, options: [blockOption(block)] };
    return { code: Code.CONTINUE, options: [blockOption(block)] };
  });
  const device = new CoapEndpoint(s.net.bind('10.0.0.3', 56831), {
    clock: s.clock,
    router,
    blockwise: false,
  });
  try {
    const ended = s.sessionEnd();
    const res = await device.request(makePeer('10.0.0.1', 5783), bootstrapRequest('dev'));
    assert.equal(res.code, Code.CHANGED);
    const record = await ended;
    assert.equal(record.state, 'finished', JSON.stringify(record.failure));
    const security = blocks.filter((b) => b.path === '0/1');
    assert.ok(security.length > 1);
    for (const b of security.slice(0, -1)) assert.deepEqual([b.block.szx, b.bytes], [4, 256]);
    assert.equal(security.reduce((n, b) => n + b.bytes, 0) > 1500, true);
    await flush();
  } finally {
    await device.close();
    await s.close();
  }
});

const blockOption = (b: BlockValue): { number: number; value: Uint8Array } => ({
  number: OptionNumber.BLOCK1,
  value: encodeBlock(b),
});
