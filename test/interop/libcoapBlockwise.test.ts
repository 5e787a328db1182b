// RFC 7959 interop with libcoap (Debian libcoap3-bin): coap-client-notls uploads block-wise (-b)
// to our endpoint, and our endpoint uploads to and downloads from coap-server-notls block-wise.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CoapEndpoint } from '../../src/coap/CoapEndpoint.js';
import { Code, OptionNumber } from '../../src/coap/CoapMessage.js';
import { getOption } from '../../src/coap/options.js';
import { BlockwiseResponder } from '../../src/coap/blockwise/BlockwiseResponder.js';
import { BlockwiseSender } from '../../src/coap/blockwise/BlockwiseSender.js';
import { systemClock } from '../../src/coap/Clock.js';
import { makePeer } from '../../src/transport/Peer.js';
import { UdpTransport } from '../../src/transport/udp/UdpTransport.js';
import { requirePeer } from '../support/peers.js';

const run = promisify(execFile);
const client = requirePeer('coap-client-notls', 'libcoap3-bin');
const server = requirePeer('coap-server-notls', 'libcoap3-bin');
const bytes = (n: number, seed: number): Uint8Array =>
  Uint8Array.from({ length: n }, (_, i) => (i * 37 + seed) & 0xff);

describe('coap-client-notls block-wise against our endpoint', { skip: client.skip }, () => {
  let endpoint: CoapEndpoint;
  let dir: string;
  let base: string;
  const received: Uint8Array[] = [];
  const served = bytes(5000, 11);
  let tick = 0;
  /** 2000+ bytes that repeat the tick throughout, so a body mixing two notifications shows. */
  const watched = (): Uint8Array => new TextEncoder().encode(`n=${tick};`.repeat(400).slice(0, 2000) + 'end');

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'blockwise-'));
    const responder = new BlockwiseResponder({ clock: systemClock });
    endpoint = new CoapEndpoint(await UdpTransport.bind({ address: '127.0.0.1', port: 0 }), {
      blockwise: false,
      handlerStages: [responder.stage],
    });
    endpoint.router.use('/upload', (req) => {
      received.push(req.payload);
      return { code: Code.CHANGED };
    });
    endpoint.router.use('/large', () => ({ code: Code.CONTENT, contentFormat: 42, payload: served }));
    endpoint.observers.notificationStage = responder.notificationStage;
    endpoint.router.use('/watched', (req) => {
      endpoint.acceptObservation(req);
      return { code: Code.CONTENT, contentFormat: 0, payload: watched() };
    });
    base = `coap://127.0.0.1:${endpoint.address().port}`;
  });
  after(async () => {
    await endpoint.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('a 5000-byte PUT with -b 64 reaches our handler once, byte for byte', async () => {
    const body = bytes(5000, 1);
    const file = join(dir, 'put.bin');
    await writeFile(file, body);
    await run(client.path!, ['-B', '10', '-m', 'put', '-b', '64', '-f', file, `${base}/upload`], {
      timeout: 15_000,
    });
    assert.equal(received.length, 1);
    assert.deepEqual(received[0], body);
  });

  test('a 5000-byte GET with -b 128 is served block-wise from our endpoint', async () => {
    const out = join(dir, 'get.bin');
    await run(client.path!, ['-B', '10', '-b', '128', '-o', out, `${base}/large`], { timeout: 15_000 });
    assert.deepEqual(new Uint8Array(await readFile(out)), served);
  });

  test('a 5000-byte GET without -b is served in 1024-byte blocks', async () => {
    const out = join(dir, 'get1024.bin');
    await run(client.path!, ['-B', '10', '-o', out, `${base}/large`], { timeout: 15_000 });
    assert.deepEqual(new Uint8Array(await readFile(out)), served);
  });

  test('coap-client-notls -s observes a 2000-byte resource and gets every notification whole', async () => {
    const ticker = setInterval(() => {
      tick++;
      endpoint.notify('/watched', { code: Code.CONTENT, contentFormat: 0, payload: watched() });
    }, 250);
    try {
      const { stdout } = await run(client.path!, ['-B', '5', '-w', '-s', '2', `${base}/watched`], {
        timeout: 15_000,
      });
      const lines = stdout.split('\n').filter((l) => l.startsWith('n='));
      const whole = (l: string): string => {
        const n = /^n=(\d+);/.exec(l)![1]!;
        return `n=${n};`.repeat(400).slice(0, 2000) + 'end';
      };
      // coap-client prints each block as it arrives: when its -s time runs out in the middle of
      // a transfer, the last line is cut short. It must still be the start of one notification.
      const last = lines.at(-1);
      if (last !== undefined && !last.endsWith('end')) {
        assert.ok(whole(last).startsWith(last), `a cut-short last notification mixes versions: ${last}`);
        lines.pop();
      }
      assert.ok(lines.length >= 4, `expected several notifications, got ${lines.length}`);
      for (const l of lines) assert.equal(l, whole(l));
      const ns = lines.map((l) => Number(/^n=(\d+)/.exec(l)![1]));
      for (let i = 1; i < ns.length; i++) assert.ok(ns[i]! > ns[i - 1]!, `not increasing: ${ns}`);
    } finally {
      clearInterval(ticker);
    }
  });
});

describe('our endpoint block-wise against coap-server-notls', { skip: server.skip }, () => {
  let proc: ChildProcess;
  let endpoint: CoapEndpoint;
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const peer = makePeer('127.0.0.1', port);
  let exchanges = 0;

  before(async () => {
    // -d 4: coap-server-notls creates resources on PUT, so we can store and read back a large one.
    proc = spawn(server.path!, ['-A', '127.0.0.1', '-p', String(port), '-d', '4'], { stdio: 'ignore' });
    const sender = new BlockwiseSender({ block1Szx: 2, preferredBlock2Szx: 0 });
    endpoint = new CoapEndpoint(await UdpTransport.bind({ address: '127.0.0.1', port: 0 }), {
      blockwise: false,
      senderStages: [
        sender.stage,
        (next) => ({ exchange: (p, m, o) => (exchanges++, next.exchange(p, m, o)) }),
      ],
      observationStages: [sender.observationStage],
    });
    for (let i = 0; i < 50; i++) {
      try {
        await endpoint.request(peer, { method: 'GET', path: '/', timeoutMs: 200 });
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    throw new Error('coap-server-notls did not answer');
  });
  after(async () => {
    await endpoint.close();
    proc.kill('SIGTERM');
  });

  test('GET / in 16-byte blocks returns the whole libcoap banner', async () => {
    exchanges = 0;
    const res = await endpoint.request(peer, { method: 'GET', path: '/', timeoutMs: 10_000 });
    assert.equal(res.code, Code.CONTENT);
    const text = new TextDecoder().decode(res.payload);
    assert.match(text, /^This is a test server made with libcoap/);
    assert.ok(res.payload.length > 100, `only ${res.payload.length} bytes`);
    assert.equal(getOption(res.message, OptionNumber.BLOCK2), undefined);
    assert.equal(exchanges, Math.ceil(res.payload.length / 16));
  });

  test('PUT of 5000 bytes in 64-byte Block1 blocks, then GET in 16-byte blocks, round-trips', async () => {
    const body = bytes(5000, 7);
    exchanges = 0;
    const put = await endpoint.request(peer, {
      method: 'PUT',
      path: '/blob',
      payload: body,
      timeoutMs: 20_000,
    });
    assert.equal(put.code, Code.CREATED);
    assert.equal(exchanges, Math.ceil(5000 / 64));
    const got = await endpoint.request(peer, { method: 'GET', path: '/blob', timeoutMs: 30_000 });
    assert.equal(got.code, Code.CONTENT);
    assert.deepEqual(got.payload, body);
    assert.equal(exchanges, Math.ceil(5000 / 64) + Math.ceil(5000 / 16));
  });

  test('observing a 3000-byte resource yields whole notifications (RFC 7959 section 2.6)', async () => {
    const first = new Uint8Array(3000).fill(0x41);
    const second = new Uint8Array(3000).fill(0x42);
    const created = await endpoint.request(peer, {
      method: 'PUT',
      path: '/watched',
      payload: first,
      timeoutMs: 10_000,
    });
    assert.equal(created.code, Code.CREATED);
    const obs = endpoint.observe(peer, { method: 'GET', path: '/watched', timeoutMs: 10_000 });
    const stop = setTimeout(() => obs.forget(), 10_000);
    const seen: Uint8Array[] = [];
    for await (const n of obs) {
      seen.push(n.payload);
      if (seen.length === 1) {
        const put = await endpoint.request(peer, {
          method: 'PUT',
          path: '/watched',
          payload: second,
          timeoutMs: 10_000,
        });
        assert.equal(put.code, Code.CHANGED);
      }
      if (seen.length === 2) break;
    }
    clearTimeout(stop);
    obs.forget();
    assert.deepEqual(seen, [first, second]);
  });
});
