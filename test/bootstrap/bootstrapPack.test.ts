// Core TS 1.2 Bootstrap-Pack-Request, Bootstrap-Server side (Transport TS 1.2: GET /bspack?ep=..
// with Accept SenML CBOR, SenML JSON or LwM2M CBOR, answered 2.05 Content with the pack): the
// bytes on the wire over UDP, the formats, the errors (4.00, 4.05, 4.06), a pack larger than a
// block (Block2), and the pack built by the same planning as the Bootstrap-Writes.
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BootstrapServer } from '../../src/bootstrap/BootstrapServer.js';
import type { BootstrapPackEvent } from '../../src/bootstrap/BootstrapServerEvents.js';
import { planBootstrapPack } from '../../src/bootstrap/planBootstrapPack.js';
import { bootstrapPackRequest, decodeBootstrapPack } from '../../src/binding/bootstrapPack.js';
import { ContentFormat } from '../../src/content/ContentFormat.js';
import type { BootstrapConfig } from '../../src/lwm2m/BootstrapConfig.js';
import { nodesEqual } from '../../src/lwm2m/nodes.js';
import { createCoreRegistry } from '../../src/model/core/coreModels.js';
import { MemoryBootstrapConfigStore } from '../../src/store/memory/MemoryBootstrapConfigStore.js';
import { makePeer } from '../../src/transport/Peer.js';
import { RawCoapPeer } from '../support/RawCoapPeer.js';
import { startBootstrap } from './bootstrapFixture.js';

const models = createCoreRegistry();
const config: BootstrapConfig = {
  security: {
    1: { uri: 'coap://s:5683', bootstrapServer: false, securityMode: 'nosec', shortServerId: 1 },
  },
  servers: { 0: { shortServerId: 1, lifetime: 300, binding: 'U' } },
};
const SERVER = makePeer('10.0.0.1', 5783);
const hexOfText = (s: string): string => Buffer.from(s, 'utf8').toString('hex');

let fixture: Awaited<ReturnType<typeof startBootstrap>> | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

describe('Bootstrap-Pack-Request at the Bootstrap-Server', () => {
  test('GET /bspack?ep=.. with Accept SenML JSON is answered 2.05 with the pack (raw UDP bytes)', async () => {
    const server = await BootstrapServer.start({
      address: '127.0.0.1',
      port: 0,
      configStore: new MemoryBootstrapConfigStore([['d1', config]]),
    });
    const packs: BootstrapPackEvent[] = [];
    server.on('packSent', (e) => void packs.push(e));
    let sessions = 0;
    server.on('sessionStarted', () => void sessions++);
    const peer = await RawCoapPeer.open();
    try {
      // CON GET, MID 0x0001, token aa; Uri-Path "bspack" (b6 ..), Uri-Query "ep=d1" (45 ..),
      // Accept 110 (21 6e).
      await peer.send('41 01 0001 aa b6 62737061636b 45 65703d6431 21 6e', {
        address: '127.0.0.1',
        port: server.address().port,
      });
      const pack =
        '[{"bn":"/0/1/","n":"0","vs":"coap://s:5683"},{"n":"1","vb":false},{"n":"2","v":3},' +
        '{"n":"3","vd":""},{"n":"4","vd":""},{"n":"5","vd":""},{"n":"10","v":1},' +
        '{"bn":"/1/0/","n":"0","v":1},{"n":"1","v":300},{"n":"6","vb":true},{"n":"7","vs":"U"}]';
      // Piggybacked ACK 2.05, Content-Format 110 (c1 6e), then the SenML JSON pack.
      await peer.expect('61 45 0001 aa c1 6e ff' + hexOfText(pack));
      assert.equal(packs.length, 1);
      assert.deepEqual(
        { ...packs[0], at: 0, port: 0 },
        {
          endpoint: 'd1',
          address: '127.0.0.1',
          port: 0,
          format: 110,
          objectIds: [0, 1],
          bytes: pack.length,
          at: 0,
        },
      );
      assert.equal(sessions, 0, 'a pack is no session');
    } finally {
      await peer.close();
      await server.stop();
    }
  });

  test('without Accept the pack is SenML CBOR, or the config format when it can carry a pack', async () => {
    fixture = await startBootstrap({
      d1: config,
      d2: { ...config, contentFormat: ContentFormat.LWM2M_CBOR },
    });
    for (const [ep, format] of [
      ['d1', ContentFormat.SENML_CBOR],
      ['d2', ContentFormat.LWM2M_CBOR],
    ] as const) {
      const res = await fixture.request(bootstrapPackRequest(ep));
      assert.equal(res.code, 0x45);
      assert.equal(res.contentFormat, format);
      const objects = decodeBootstrapPack(res.payload, format, models);
      const planned = planBootstrapPack(config, { models });
      assert.deepEqual(
        objects.map((o) => o.id),
        [0, 1],
      );
      objects.forEach((o, i) => assert.ok(nodesEqual(o, planned[i]!), `object ${o.id}`));
    }
  });

  test('answers 4.06 for an Accept that cannot carry a pack, 4.00 without ep or config, 4.05 for POST', async () => {
    fixture = await startBootstrap({ d1: config });
    const tlv = await fixture.request(bootstrapPackRequest('d1', ContentFormat.TLV));
    assert.equal(tlv.code, 0x86);
    assert.equal((await fixture.request(bootstrapPackRequest('nobody'))).code, 0x80);
    assert.equal((await fixture.request({ method: 'GET', path: ['bspack'] })).code, 0x80);
    const post = await fixture.request({ method: 'POST', path: ['bspack'], query: ['ep=d1'] });
    assert.equal(post.code, 0x85);
  });

  test('with the bootstrapPack option off, a Bootstrap-Pack-Request is answered 4.05', async () => {
    fixture = await startBootstrap({ d1: config }, { bootstrapPack: false });
    const res = await fixture.request(bootstrapPackRequest('d1'));
    assert.equal(res.code, 0x85);
    assert.match(new TextDecoder().decode(res.payload), /use POST \/bs/);
    assert.equal((await fixture.requestBootstrap('d1')).code, 0x44);
  });

  test('a pack larger than a block is sent block-wise (Block2) and arrives whole', async () => {
    const cert = Uint8Array.from({ length: 3000 }, (_, i) => (i * 7) & 0xff);
    const big: BootstrapConfig = {
      ...config,
      security: {
        1: { ...config.security[1]!, securityMode: 'x509', publicKeyOrIdentity: cert, secretKey: cert },
      },
    };
    fixture = await startBootstrap({ big });
    const res = await fixture.request(bootstrapPackRequest('big', ContentFormat.SENML_CBOR));
    assert.equal(res.code, 0x45);
    assert.ok(res.payload.length > 6000);
    const [security] = decodeBootstrapPack(res.payload, ContentFormat.SENML_CBOR, models);
    const key = security!.instances[0]!.resources.find((r) => r.id === 3)!;
    assert.deepEqual(key.kind === 'resource' && key.value.value, cert);
    const blocks = fixture.net.log.filter((d) => d.from.key === SERVER.key).length;
    assert.equal(blocks, Math.ceil(res.payload.length / 1024), 'one 1024-byte block per response');
  });

  test('a pack supersedes a running session of the same endpoint', async () => {
    fixture = await startBootstrap({ d1: config });
    fixture.setScript(() => new Promise(() => undefined)); // the device never answers the session
    const ended = fixture.sessionEnd();
    assert.equal((await fixture.requestBootstrap('d1')).code, 0x44);
    await new Promise((r) => setImmediate(r));
    assert.equal((await fixture.request(bootstrapPackRequest('d1'))).code, 0x45);
    const record = await ended;
    assert.equal(record.state, 'failed');
    assert.match(record.failure!.reason, /superseded by a Bootstrap-Pack-Request/);
  });
});
