// Interop with libcoap (Debian libcoap3-bin), an independent CoAP implementation: its
// coap-client-notls against our endpoint (GET, PUT, 4.04, Observe with -s), and our endpoint as
// requester against coap-server-notls (GET, link format, Observe of /time).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { CoapEndpoint } from '../../src/coap/CoapEndpoint.js';
import { Code } from '../../src/coap/CoapMessage.js';
import { parseLinkFormat } from '../../src/coap/linkFormat.js';
import { makePeer } from '../../src/transport/Peer.js';
import { UdpTransport } from '../../src/transport/udp/UdpTransport.js';
import { requirePeer } from '../support/peers.js';
import { waitUntil } from '../support/waitUntil.js';

const run = promisify(execFile);
const client = requirePeer('coap-client-notls', 'libcoap3-bin');
const server = requirePeer('coap-server-notls', 'libcoap3-bin');
const text = (b: Uint8Array): string => new TextDecoder().decode(b);
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('libcoap coap-client-notls against our endpoint', { skip: client.skip }, () => {
  let endpoint: CoapEndpoint;
  let base: string;
  let lastPut: string | undefined;
  let ticks = 0;
  let ticker: NodeJS.Timeout | undefined;

  before(async () => {
    endpoint = new CoapEndpoint(await UdpTransport.bind({ address: '127.0.0.1', port: 0 }));
    endpoint.router.use('/hello', () => ({ code: Code.CONTENT, contentFormat: 0, payload: utf8('world') }));
    endpoint.router.use('/store', (req) => {
      lastPut = text(req.payload);
      return { code: Code.CHANGED };
    });
    endpoint.router.use('/counter', (req) => {
      endpoint.acceptObservation(req);
      return { code: Code.CONTENT, contentFormat: 0, payload: utf8(`n=${ticks}`) };
    });
    ticker = setInterval(() => {
      ticks++;
      endpoint.notify('/counter', { code: Code.CONTENT, contentFormat: 0, payload: utf8(`n=${ticks}`) });
    }, 250);
    base = `coap://127.0.0.1:${endpoint.address().port}`;
  });
  after(async () => {
    clearInterval(ticker);
    await endpoint.close();
  });

  test('GET returns our payload', async () => {
    const { stdout } = await run(client.path!, ['-B', '5', '-m', 'get', `${base}/hello`], {
      timeout: 10_000,
    });
    assert.equal(stdout.trim(), 'world');
  });

  test('PUT delivers its payload to our handler', async () => {
    await run(client.path!, ['-B', '5', '-m', 'put', '-e', 'temperature=21', `${base}/store`], {
      timeout: 10_000,
    });
    assert.equal(lastPut, 'temperature=21');
  });

  test('an unknown path is answered 4.04', async () => {
    const { stdout, stderr } = await run(client.path!, ['-B', '5', '-m', 'get', `${base}/nowhere`], {
      timeout: 10_000,
    }).catch((e: { stdout: string; stderr: string }) => e);
    assert.match(stdout + stderr, /4\.04/);
  });

  test('observe (-s) receives a stream of increasing notifications', async () => {
    const { stdout } = await run(client.path!, ['-B', '5', '-w', '-s', '2', `${base}/counter`], {
      timeout: 15_000,
    });
    const values = stdout
      .split('\n')
      .map((l) => /^n=(\d+)$/.exec(l.trim()))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]));
    assert.ok(values.length >= 4, `expected several notifications, got ${JSON.stringify(stdout)}`);
    for (let i = 1; i < values.length; i++)
      assert.ok(values[i]! > values[i - 1]!, `not increasing: ${values}`);
    // The libcoap client cancels or forgets the relation when -s runs out; ours must then drop it
    // after the next notification (the ticker sends one every 250 ms) is rejected with RST (RFC
    // 7641 3.6). Waits for that, however long the machine takes, rather than a fixed second.
    await waitUntil(() => endpoint.observers.size === 0, 'the observation dropped after the RST');
    assert.equal(endpoint.observers.size, 0);
  });
});

describe('our endpoint against libcoap coap-server-notls', { skip: server.skip }, () => {
  let proc: ChildProcess;
  let endpoint: CoapEndpoint;
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const peer = makePeer('127.0.0.1', port);

  before(async () => {
    proc = spawn(server.path!, ['-A', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
    endpoint = new CoapEndpoint(await UdpTransport.bind({ address: '127.0.0.1', port: 0 }));
    // Wait until the server answers (it binds asynchronously).
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

  test('GET / returns the libcoap banner', async () => {
    const res = await endpoint.request(peer, { method: 'GET', path: '/', timeoutMs: 5_000 });
    assert.equal(res.code, Code.CONTENT);
    assert.match(text(res.payload), /libcoap/);
  });

  test('GET /.well-known/core parses as link format and lists /time as observable', async () => {
    const res = await endpoint.request(peer, { method: 'GET', path: '/.well-known/core', timeoutMs: 5_000 });
    assert.equal(res.code, Code.CONTENT);
    assert.equal(res.contentFormat, 40);
    const links = parseLinkFormat(text(res.payload));
    const time = links.find((l) => l.target === '/time');
    assert.ok(time, 'no </time> link');
    assert.ok(time.params.some((p) => p.name === 'obs'));
  });

  test('a missing resource answers 4.04', async () => {
    const res = await endpoint.request(peer, { method: 'GET', path: '/no/such/thing', timeoutMs: 5_000 });
    assert.equal(res.code, Code.NOT_FOUND);
  });

  test('observing /time yields fresh notifications until cancelled', async () => {
    const obs = endpoint.observe(peer, { method: 'GET', path: '/time', timeoutMs: 5_000 });
    const seen: string[] = [];
    const deadline = setTimeout(() => void obs.cancel(), 8_000);
    for await (const n of obs) {
      assert.equal(n.code, Code.CONTENT);
      seen.push(text(n.payload));
      if (seen.length === 3) break;
    }
    clearTimeout(deadline);
    await obs.cancel();
    assert.equal(seen.length, 3, `notifications: ${JSON.stringify(seen)}`);
    assert.notEqual(seen[0], seen[2]);
  });
});
