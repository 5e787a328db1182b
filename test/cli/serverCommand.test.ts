import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseServerArgs, runServer } from '../../src/cli/serverCommand.js';
import { newApiKey } from '../../src/http/apiKeys.js';
import { CoapEndpoint } from '../../src/coap/CoapEndpoint.js';
import { Code } from '../../src/coap/CoapMessage.js';
import { makePeer } from '../../src/transport/Peer.js';
import { UdpTransport } from '../../src/transport/udp/UdpTransport.js';
import { captureLog } from '../support/captureLog.js';
import { localServer } from './localServer.js';
import { NATIVE_UDP_MISSING } from '../support/nativeUdp.js';
import { skipOrFail } from '../support/peers.js';

test('parses server flags with their defaults and rejects bad ones', () => {
  const d = parseServerArgs([]);
  assert.equal(d.coapPort, 5683);
  assert.equal(d.coapAddress, '::');
  assert.equal(d.httpPort, 8080);
  assert.equal(d.httpAddress, '127.0.0.1');
  assert.equal(d.logLevel, 'info');
  assert.equal(d.bootstrapPort, undefined);
  const o = parseServerArgs([
    '--coap-port',
    '0',
    '--http-port',
    '0',
    '--bootstrap-port',
    '5784',
    '--log-level',
    'debug',
  ]);
  assert.equal(o.coapPort, 0);
  assert.equal(o.bootstrapPort, 5784);
  assert.equal(o.logLevel, 'debug');
  assert.throws(() => parseServerArgs(['--coap-port', '70000']));
  assert.throws(() => parseServerArgs(['--log-level', 'loud']));
  assert.equal(parseServerArgs(['--udp-socket', 'dgram']).udpSocket, 'dgram');
  assert.equal(parseServerArgs([], { LWM2M_UDP_SOCKET: 'batched' }).udpSocket, 'batched');
  assert.throws(() => parseServerArgs(['--udp-socket', 'fast']), /auto, batched, dgram/);
  assert.equal(parseServerArgs([]).udpReceiveBuffer, undefined);
  assert.equal(parseServerArgs(['--udp-receive-buffer', '0']).udpReceiveBuffer, 0);
  assert.equal(parseServerArgs([], { LWM2M_UDP_RECEIVE_BUFFER: '65536' }).udpReceiveBuffer, 65_536);
  for (const bad of ['-1', '1.5', '4MiB', '2147483648', ''])
    assert.throws(() => parseServerArgs(['--udp-receive-buffer', bad]), /number of bytes/, bad);
});

test("--udp-receive-buffer sets each CoAP port's buffer; the start-up lines say what the kernel granted, and warn when it capped it", async (t) => {
  if (process.platform !== 'linux') return t.skip('the granted size is Linux-specific');
  const rmemMax = Number(readFileSync('/proc/sys/net/core/rmem_max', 'utf8'));
  const fits = Math.min(65_536, rmemMax);
  for (const [asked, text] of [
    [fits, `${(2 * fits) / 1024} KiB`],
    [rmemMax + 1, new RegExp(`^${(2 * rmemMax) / 1024} KiB, less than the .* asked for: .*rmem_max`)],
  ] as const) {
    const captured = captureLog('info');
    const running = await runServer(localServer({ bootstrapPort: 0, udpReceiveBuffer: asked }), {
      log: captured.log,
    });
    try {
      assert.deepEqual(
        running.server.stats().receiveBuffers.map((b) => b?.bytes),
        [2 * Math.min(asked, rmemMax)],
      );
      for (const msg of ['LwM2M server listening', 'LwM2M Bootstrap-Server listening']) {
        const line = captured.entries().find((e) => e.msg === msg);
        if (typeof text === 'string') assert.equal(line?.receiveBuffer, text, msg);
        else assert.match(String(line?.receiveBuffer), text, msg);
      }
      const warnings = captured.entries().filter((e) => e.msg === 'UDP receive buffer capped by the kernel');
      assert.equal(warnings.length, typeof text === 'string' ? 0 : 2, 'server and bootstrap server');
    } finally {
      await running.stop();
    }
  }
});

test('--no-udp-send-thread keeps the batched sockets sending on the event loop; the start-up lines say which', async (t) => {
  assert.equal(parseServerArgs([]).udpSendThread, true);
  assert.equal(parseServerArgs(['--no-udp-send-thread']).udpSendThread, false);
  assert.equal(parseServerArgs([], { LWM2M_UDP_SEND_THREAD: '0' }).udpSendThread, false);
  if (NATIVE_UDP_MISSING) return skipOrFail(t, NATIVE_UDP_MISSING);
  for (const [udpSendThread, text] of [
    [true, 'batched (recvmmsg/sendmmsg, sending on a thread)'],
    [false, 'batched (recvmmsg/sendmmsg)'],
  ] as const) {
    const captured = captureLog('info');
    const running = await runServer(localServer({ bootstrapPort: 0, udpSendThread }), { log: captured.log });
    try {
      for (const msg of ['LwM2M server listening', 'LwM2M Bootstrap-Server listening'])
        assert.equal(captured.entries().find((e) => e.msg === msg)?.udp, text, msg);
    } finally {
      await running.stop();
    }
  }
});

test('runs server, bootstrap server and REST API: a CoAP registration appears at /api/clients', async () => {
  const captured = captureLog('info');
  // on node:dgram here (--udp-socket dgram); every other CLI test runs the default socket
  const running = await runServer(localServer({ bootstrapPort: 0, udpSocket: 'dgram' }), {
    log: captured.log,
  });
  const device = new CoapEndpoint(await UdpTransport.bind({ address: '127.0.0.1', port: 0 }));
  try {
    const res = await device.request(makePeer('127.0.0.1', running.server.address().port), {
      method: 'POST',
      path: '/rd',
      query: ['ep=cli-test', 'lt=60', 'lwm2m=1.1', 'b=U'],
      contentFormat: 40,
      payload: '</1/0>,</3/0>',
      timeoutMs: 5_000,
    });
    assert.equal(res.code, Code.CREATED);
    const address = running.http.server.address();
    assert.ok(address && typeof address === 'object');
    const base = `http://127.0.0.1:${address.port}/api`;
    const clients = (await (await fetch(`${base}/clients`)).json()) as { items: { endpoint: string }[] };
    assert.deepEqual(
      clients.items.map((c) => c.endpoint),
      ['cli-test'],
    );
    const configs = (await (await fetch(`${base}/bootstrap/configs`)).json()) as Array<{
      endpoint: string;
      config: { security: Record<string, { uri: string }> };
    }>;
    const uri = Object.values(configs[0]!.config.security)[0]!.uri;
    assert.equal(uri, `coap://127.0.0.1:${running.server.address().port}`, 'bootstrap points at this server');
    const registered = captured.entries().find((e) => e.msg === 'registered');
    assert.equal(registered?.endpoint, 'cli-test', captured.lines.join(''));
    assert.equal(registered?.level, 'info');
    for (const msg of ['LwM2M server listening', 'LwM2M Bootstrap-Server listening'])
      assert.equal(
        captured.entries().find((e) => e.msg === msg)?.udp,
        'node:dgram (--udp-socket dgram)',
        msg,
      );
  } finally {
    await device.close();
    await running.stop();
  }
});

test('parses the REST API access flags', () => {
  const o = parseServerArgs([
    '--api-keys-file',
    'keys.txt',
    '--http-host',
    'a.example',
    '--http-host',
    'b.example',
    '--http-origin',
    'https://ui.example',
    '--insecure',
  ]);
  assert.equal(o.apiKeysFile, 'keys.txt');
  assert.deepEqual(o.httpHost, ['a.example', 'b.example']);
  assert.deepEqual(o.httpOrigin, ['https://ui.example']);
  assert.equal(o.insecure, true);
  assert.equal(parseServerArgs([]).insecure, undefined);
});

const base = { coapPort: 0, coapAddress: '127.0.0.1', httpPort: 0, logLevel: 'info' } as const;

test('refuses to serve the REST API beyond loopback without API keys, unless --insecure', async () => {
  await assert.rejects(
    runServer({ ...base, httpAddress: '0.0.0.0' }, { log: captureLog('silent').log }),
    /refusing to serve the REST API on 0.0.0.0 without API keys: give --api-keys-file or LWM2M_API_KEYS/,
  );
  const captured = captureLog('info');
  const running = await runServer({ ...base, httpAddress: '0.0.0.0', insecure: true }, { log: captured.log });
  try {
    const port = (running.http.server.address() as AddressInfo).port;
    const entry = captured.entries().find((e) => e.msg === 'REST API listening');
    assert.match(String(entry?.['url']), new RegExp(`^http://[^ ]+:${port}/api$`), captured.lines.join(''));
    assert.equal(entry?.['access'], 'every interface, no API key');
    assert.doesNotMatch(String(entry?.['url']), /0\.0\.0\.0/, 'the URL is one clients can use');
  } finally {
    await running.stop();
  }
});

test('with a key file, serves beyond loopback and asks every request for a key', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lwm2m-keys-'));
  const { token, line } = newApiKey();
  const file = join(dir, 'keys.txt');
  await writeFile(file, `# team\n${line}\n`);
  const captured = captureLog('debug');
  const running = await runServer(
    { ...base, httpAddress: '0.0.0.0', apiKeysFile: file },
    { log: captured.log },
  );
  try {
    const port = (running.http.server.address() as AddressInfo).port;
    const entry = captured.entries().find((e) => e.msg === 'REST API listening');
    assert.match(String(entry?.['access']), /1 API key\(s\)/, captured.lines.join(''));
    const url = `http://127.0.0.1:${port}/api/clients`;
    assert.equal((await fetch(url)).status, 401);
    assert.equal((await fetch(url, { headers: { authorization: `Bearer ${token}` } })).status, 200);
    assert.ok(!captured.lines.join('').includes(token), 'the key is never logged, not even at debug');
    const ops = (path: string): Promise<number> =>
      fetch(`http://127.0.0.1:${port}${path}`).then((r) => r.status);
    assert.equal(await ops('/metrics'), 401, 'metrics need a key like the API');
    assert.equal(await ops('/healthz'), 200, 'probes need none');
    assert.equal(await ops('/readyz'), 200);
  } finally {
    await running.stop();
    await rm(dir, { recursive: true, force: true });
  }
});
