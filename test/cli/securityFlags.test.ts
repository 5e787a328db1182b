// Issue 13 item 5, CLI: `lwm2m server` and `lwm2m bootstrap` serve CoAP over DTLS beside plain
// CoAP (--coaps-port, default 5684 / 5784, 0 = any, --no-coaps), accept the credentials of
// --security-file (one store shared with the embedded Bootstrap-Server), refuse NoSec with
// --require-security, log which ports are plain and which secured, never log a key, and stop
// with exit code 2 naming the field of a bad credentials file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseBootstrapArgs, runBootstrap } from '../../src/cli/bootstrapCommand.js';
import { parseServerArgs, runServer } from '../../src/cli/serverCommand.js';
import { bootstrapRequest } from '../../src/binding/uplinkRequests.js';
import { CoapEndpoint } from '../../src/coap/CoapEndpoint.js';
import { Code } from '../../src/coap/CoapMessage.js';
import { DtlsTransport } from '../../src/transport/dtls/DtlsTransport.js';
import { makePeer } from '../../src/transport/Peer.js';
import { UdpTransport } from '../../src/transport/udp/UdpTransport.js';
import { captureLog } from '../support/captureLog.js';
import { localServer } from './localServer.js';
import { NATIVE_UDP_MISSING } from '../support/nativeUdp.js';

const KEY_HEX = '5ec2e7a11c0ffee05ec2e7a11c0ffee0';
const CREDENTIALS = { dev1: { psk: { identity: 'dev1-id', key: KEY_HEX } } };

async function withFile<T>(content: string, fn: (path: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'lwm2m-sec-'));
  try {
    const path = join(dir, 'creds.json');
    await writeFile(path, content);
    return await fn(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A CoAP endpoint over DTLS as dev1 (or in clear without `psk`). */
async function device(psk = true): Promise<CoapEndpoint> {
  const udp = await UdpTransport.bind({ address: '127.0.0.1' });
  const key = Uint8Array.from(Buffer.from(KEY_HEX, 'hex'));
  return new CoapEndpoint(
    psk ? new DtlsTransport(udp, { role: 'client', psk: { identity: 'dev1-id', key } }) : udp,
  );
}

const register = (d: CoapEndpoint, port: number, ep: string) =>
  d.request(makePeer('127.0.0.1', port), {
    method: 'POST',
    path: '/rd',
    query: [`ep=${ep}`, 'lt=60', 'lwm2m=1.1'],
    contentFormat: 40,
    payload: '</1/0>,</3/0>',
    timeoutMs: 5_000,
  });

test('the DTLS flags parse with their defaults, from the environment and the command line', () => {
  const d = parseServerArgs([]);
  assert.equal(d.coapsPort, 5684);
  assert.equal(d.coaps, true);
  assert.equal(d.bootstrapCoapsPort, 5784);
  assert.equal(d.securityFile, undefined);
  assert.equal(d.requireSecurity, undefined);
  const o = parseServerArgs(['--coaps-port', '0', '--security-file', 'c.json', '--require-security']);
  assert.deepEqual([o.coapsPort, o.securityFile, o.requireSecurity], [0, 'c.json', true]);
  assert.equal(parseServerArgs(['--no-coaps']).coaps, false);
  const env = parseServerArgs([], {
    LWM2M_COAPS_PORT: '15684',
    LWM2M_REQUIRE_SECURITY: 'true',
    LWM2M_SECURITY_FILE: 'e.json',
    LWM2M_COAPS: 'false',
  });
  assert.deepEqual(
    [env.coapsPort, env.requireSecurity, env.securityFile, env.coaps],
    [15684, true, 'e.json', false],
  );
  assert.throws(() => parseServerArgs(['--coaps-port', '70000']));
  assert.equal(parseBootstrapArgs(['--server-uri', 'coap://127.0.0.1:5683']).coapsPort, 5784);
  const bs = parseBootstrapArgs(['--server-uri', 'coap://127.0.0.1:5683'], {
    LWM2M_BOOTSTRAP_COAPS_PORT: '0',
  });
  assert.equal(bs.coapsPort, 0);
});

test('lwm2m server serves plain and DTLS ports, with the file’s credentials shared by its Bootstrap-Server', async () => {
  await withFile(JSON.stringify(CREDENTIALS), async (securityFile) => {
    const captured = captureLog('info');
    const running = await runServer(
      localServer({ coapsPort: 0, securityFile, bootstrapPort: 0, bootstrapCoapsPort: 0 }),
      { log: captured.log },
    );
    const devices: CoapEndpoint[] = [];
    try {
      const secured = running.server.secureAddress()!;
      const bsSecured = running.bootstrap!.server.secureAddress()!;
      const byMsg = (msg: string) => captured.entries().find((e) => e.msg === msg);
      assert.match(String(byMsg('LwM2M server listening')?.url), /^coap:\/\/127\.0\.0\.1:\d+$/);
      // which UDP socket serves it: the batched one wherever it is built (CI builds it)
      const udp = NATIVE_UDP_MISSING === undefined ? /^batched/ : /^node:dgram \(/;
      assert.match(String(byMsg('LwM2M server listening')?.udp), udp);
      assert.match(String(byMsg('LwM2M Bootstrap-Server listening')?.udp), udp);
      const s = byMsg('LwM2M server listening (secured)');
      assert.equal(s?.url, `coaps://127.0.0.1:${secured.port}`);
      assert.equal(s?.credentials, 1);
      assert.match(String(byMsg('LwM2M Bootstrap-Server listening')?.url), /^coap:\/\//);
      assert.equal(
        byMsg('LwM2M Bootstrap-Server listening (secured)')?.url,
        `coaps://127.0.0.1:${bsSecured.port}`,
      );

      const d = await device();
      devices.push(d);
      assert.equal((await register(d, secured.port, 'dev1')).code, Code.CREATED);
      const clear = await device(false);
      devices.push(clear);
      assert.equal((await register(clear, running.server.address().port, 'dev1')).code, Code.FORBIDDEN);
      const bs = await device();
      devices.push(bs);
      const res = await bs.request(makePeer('127.0.0.1', bsSecured.port), bootstrapRequest('dev1'));
      assert.equal(res.code, Code.CHANGED, 'the Bootstrap-Server knows dev1’s PSK too');
      assert.ok(!captured.lines.join('\n').includes(KEY_HEX), 'the key is never logged');
    } finally {
      for (const d of devices) await d.close();
      await running.stop();
    }
  });
});

test('--require-security refuses NoSec registrations; --no-coaps binds no DTLS port', async () => {
  const captured = captureLog('warn');
  const running = await runServer(localServer({ coapsPort: 0, requireSecurity: true, coaps: false }), {
    log: captured.log,
  });
  const d = await device(false);
  try {
    assert.equal(running.server.secureAddress(), undefined);
    assert.ok(captured.entries().some((e) => /without a DTLS port/.test(String(e.msg))));
    const res = await register(d, running.server.address().port, 'free');
    assert.equal(res.code, Code.FORBIDDEN);
  } finally {
    await d.close();
    await running.stop();
  }
});

test('the credentials file may also be an array of {endpoint, psk}', async () => {
  const list = [{ endpoint: 'dev1', ...CREDENTIALS.dev1 }];
  await withFile(JSON.stringify(list), async (securityFile) => {
    const running = await runServer(localServer({ coapsPort: 0, securityFile }), {
      log: captureLog('silent').log,
    });
    const d = await device();
    try {
      assert.equal((await register(d, running.server.secureAddress()!.port, 'dev1')).code, Code.CREATED);
    } finally {
      await d.close();
      await running.stop();
    }
  });
  await withFile(JSON.stringify([...list, ...list]), async (securityFile) => {
    await assert.rejects(
      runServer(localServer({ coapsPort: 0, securityFile }), { log: captureLog('silent').log }),
      /\[1\]\.endpoint: "dev1" is listed twice/,
    );
  });
});

test('a bad credentials file stops the start naming the field, without its key', async () => {
  const bad = JSON.stringify({ dev1: { psk: { identity: 'dev1-id', key: `${KEY_HEX}zz` } } });
  await withFile(bad, async (securityFile) => {
    const silent = captureLog('silent').log;
    const e = await runServer(localServer({ coapsPort: 0, securityFile }), { log: silent }).catch(
      (err: unknown) => err as Error,
    );
    assert.ok(e instanceof Error);
    assert.match(e.message, /--security-file .*dev1\.psk\.key/);
    assert.ok(!e.message.includes(KEY_HEX));
    const o = parseBootstrapArgs([
      '--server-uri',
      'coap://127.0.0.1:5683',
      '--coap-port',
      '0',
      '--coaps-port',
      '0',
    ]);
    await assert.rejects(runBootstrap({ ...o, securityFile, store: 'memory' }, silent), /dev1\.psk\.key/);
  });
  await withFile(`{"dev1": {"psk": {"identity": "x", "key": "${KEY_HEX}"}`, async (securityFile) => {
    const e = await runServer(localServer({ coapsPort: 0, securityFile }), {
      log: captureLog('silent').log,
    }).catch((err: unknown) => err as Error);
    assert.match(String(e), /is not valid JSON/);
    assert.ok(!String(e).includes(KEY_HEX), 'the parser’s message, which may quote the key, is not shown');
  });
});

test(
  'lwm2m server with a bad credentials file exits with code 2 naming the field',
  { timeout: 60_000 },
  async () => {
    await withFile(JSON.stringify({ dev1: { psk: { identity: 'dev1-id' } } }), async (path) => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', 'src/cli/main.ts', 'server', '--security-file', path],
        {
          stdio: ['ignore', 'pipe', 'pipe'],
          env: { ...process.env, LWM2M_COAP_PORT: '0', LWM2M_COAPS_PORT: '0', LWM2M_HTTP_PORT: '0' },
        },
      );
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
      assert.equal(code, 2);
      assert.match(err, /lwm2m server: --security-file .*dev1\.psk\.key/);
    });
  },
);

test('lwm2m server: credentials put over /api/security let a device in over DTLS; SSLKEYLOGFILE gets the key log; /metrics counts the handshake', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lwm2m-keylog-'));
  const keyLogFile = join(dir, 'keys.log');
  const saved = process.env.SSLKEYLOGFILE;
  process.env.SSLKEYLOGFILE = keyLogFile;
  const captured = captureLog('info');
  let running: Awaited<ReturnType<typeof runServer>> | undefined;
  let d: CoapEndpoint | undefined;
  try {
    running = await runServer(localServer({ coapsPort: 0 }), { log: captured.log });
    const secured = running.server.secureAddress()!;
    const address = running.http.server.address();
    assert.ok(address && typeof address === 'object');
    const put = await fetch(`http://127.0.0.1:${address.port}/api/security/dev1`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(CREDENTIALS.dev1),
    });
    assert.equal(put.status, 201);
    d = await device();
    assert.equal((await register(d, secured.port, 'dev1')).code, Code.CREATED);
    // the server logs one NSS key log line per handshake: CLIENT_RANDOM <32-byte random> <48-byte master>
    assert.match(await readFile(keyLogFile, 'utf8'), /^CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}$/m);
    // DTLS counters on /metrics, per role
    const metrics = await (await fetch(`http://127.0.0.1:${address.port}/metrics`)).text();
    assert.match(metrics, /^dtls_handshakes_completed_total\{role="server"\} 1$/m);
    assert.match(metrics, /^dtls_connections\{role="server"\} 1$/m);
    assert.match(metrics, /^dtls_hello_verify_requests_total\{role="server"\} 1$/m);
    const s = captured.entries().find((e) => e.msg === 'LwM2M server listening (secured)');
    assert.match(String(s?.keyLog), /SSLKEYLOGFILE/);
    assert.ok(!captured.lines.join('\n').includes(KEY_HEX), 'the key is never logged');
  } finally {
    if (saved === undefined) delete process.env.SSLKEYLOGFILE;
    else process.env.SSLKEYLOGFILE = saved;
    await d?.close();
    await running?.stop();
    await rm(dir, { recursive: true, force: true });
  }
});
