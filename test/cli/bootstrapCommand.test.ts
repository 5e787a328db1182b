// `lwm2m bootstrap`: argument parsing, the --server-uri quick start, --config loading and a run
// that answers a real Bootstrap-Request over UDP.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import net from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  loadConfigs,
  parseBootstrapArgs,
  quickStartConfig,
  runBootstrap,
} from '../../src/cli/bootstrapCommand.js';
import { createCoreRegistry } from '../../src/model/core/coreModels.js';
import { RawCoapPeer } from '../support/RawCoapPeer.js';
import { waitUntil } from '../support/waitUntil.js';
import { captureLog } from '../support/captureLog.js';

/** A Bootstrap-Server on 127.0.0.1, any port, pointing devices at a local server. */
const LOCAL_BOOTSTRAP = [
  '--server-uri',
  'coap://127.0.0.1:5683',
  '--coap-port',
  '0',
  '--coap-address',
  '127.0.0.1',
  '--coaps-port',
  '0',
  '--store',
  'memory',
];

const models = createCoreRegistry();

async function withFile<T>(content: string, fn: (path: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'lwm2m-bs-'));
  try {
    const path = join(dir, 'bs.json');
    await writeFile(path, content);
    return await fn(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('lwm2m bootstrap arguments', () => {
  test('defaults to CoAP port 5783 and CoAP over DTLS on 5784 on all addresses and no REST API', () => {
    assert.deepEqual(parseBootstrapArgs(['--server-uri', 'coap://127.0.0.1:5683']), {
      coapPort: 5783,
      coapAddress: '::',
      httpAddress: '127.0.0.1',
      serverUri: 'coap://127.0.0.1:5683',
      coapsPort: 5784,
      coaps: true,
      store: 'sqlite',
      ui: true,
      dataDir: 'data',
    });
  });

  test('reads every option', () => {
    const o = parseBootstrapArgs([
      '--coap-port',
      '5800',
      '--coap-address',
      '127.0.0.1',
      '--http-port',
      '8081',
      '--http-address',
      '0.0.0.0',
      '--config',
      'bs.json',
      '--coaps-port',
      '5801',
      '--security-file',
      'creds.json',
      '--require-security',
      '--store',
      'memory',
      '--data-dir',
      '/srv/bs',
    ]);
    assert.deepEqual(o, {
      coapPort: 5800,
      coapAddress: '127.0.0.1',
      httpPort: 8081,
      httpAddress: '0.0.0.0',
      config: 'bs.json',
      coapsPort: 5801,
      coaps: true,
      securityFile: 'creds.json',
      requireSecurity: true,
      store: 'memory',
      ui: true,
      dataDir: '/srv/bs',
    });
    assert.equal(parseBootstrapArgs([...LOCAL_BOOTSTRAP, '--no-coaps']).coaps, false);
  });

  const bad: { args: string[]; message: RegExp }[] = [
    { args: [], message: /give --config FILE, --server-uri/ },
    { args: ['--server-uri', 'http://x:80'], message: /coap:\/\/HOST:PORT/ },
    { args: ['--server-uri', 'coaps://x:5684'], message: /NoSec/ },
    { args: ['--server-uri', 'coap://x', '--coap-port', '70000'], message: /port number/ },
    { args: ['--server-uri', 'coap://x', '--http-port', 'web'], message: /port number/ },
    { args: ['--server-uri', 'coap://x', '--verbose'], message: /unknown option/ },
    { args: ['--server-uri', 'coap://x', '--udp-socket', 'fast'], message: /auto, batched, dgram/ },
  ];
  for (const c of bad)
    test(`refuses ${c.args.join(' ') || 'no arguments'}`, () => {
      assert.throws(() => parseBootstrapArgs(c.args), c.message);
    });

  test('the quick start deletes /0 and /1 and writes a NoSec account with ssid 1 and a server with lifetime 300', () => {
    assert.deepEqual(quickStartConfig('coap://lwm2m.example:5683'), {
      delete: ['/0', '/1'],
      security: {
        1: {
          uri: 'coap://lwm2m.example:5683',
          bootstrapServer: false,
          securityMode: 'nosec',
          shortServerId: 1,
        },
      },
      servers: { 0: { shortServerId: 1, lifetime: 300, binding: 'U' } },
    });
  });
});

describe('lwm2m bootstrap --config', () => {
  const file = JSON.stringify({
    'urn:dev:1': {
      security: {
        1: {
          uri: 'coaps://dm:5684',
          securityMode: 'psk',
          publicKeyOrIdentity: { text: 'dev1' },
          secretKey: '00ff',
          shortServerId: 7,
        },
      },
      servers: { 0: { shortServerId: 7, lifetime: 60, binding: 'U' } },
    },
  });

  test('loads per-endpoint configs and adds the quick start as the default', async () => {
    await withFile(file, async (path) => {
      const configs = await loadConfigs(
        { ...parseBootstrapArgs(['--config', path, '--server-uri', 'coap://h:5683']) },
        models,
      );
      assert.deepEqual([...configs.keys()], ['urn:dev:1', '*']);
      assert.deepEqual(configs.get('urn:dev:1')?.security[1]?.secretKey, Uint8Array.from([0, 255]));
      assert.equal(configs.get('*')?.security[1]?.uri, 'coap://h:5683');
    });
  });

  test('reports a file that is not JSON, and a config error with its endpoint and field', async () => {
    await withFile('{ nope', async (path) => {
      await assert.rejects(loadConfigs(parseBootstrapArgs(['--config', path]), models), /is not JSON/);
    });
    await withFile(
      JSON.stringify({ 'urn:dev:1': { security: {}, servers: { 0: { lifetime: 1 } } } }),
      async (path) => {
        await assert.rejects(
          loadConfigs(parseBootstrapArgs(['--config', path]), models),
          /urn:dev:1\.servers\.0\.binding/,
        );
      },
    );
    await withFile(JSON.stringify({ 'urn:dev:2': {} }), async (path) => {
      await assert.rejects(
        loadConfigs(parseBootstrapArgs(['--config', path]), models),
        /urn:dev:2: writes nothing but deletes \/0, \/1/,
      );
    });
  });
});

test('runBootstrap answers a Bootstrap-Request over UDP and logs the session', async () => {
  const captured = captureLog('info');
  const running = await runBootstrap(parseBootstrapArgs(LOCAL_BOOTSTRAP), captured.log);
  const peer = await RawCoapPeer.open();
  try {
    const to = { address: '127.0.0.1', port: running.server.address().port };
    // CON POST (0x02), MID 0x1234, token 0xaa; Uri-Path "bs" (b2 6273), Uri-Query "ep=d1" (45 65703d6431).
    await peer.send('41 02 1234 aa b2 6273 45 65703d6431', to);
    await peer.expect('61 44 1234 aa'); // ACK 2.04 Changed
    await peer.expect('44 04 .... ........ b1 30'); // CON DELETE /0 with a 4-byte token
    const first = captured.entries().find((e) => e.msg === 'LwM2M Bootstrap-Server listening');
    assert.match(String(first?.url), /^coap:\/\/127\.0\.0\.1:\d+$/);
    const started = (): Record<string, unknown> | undefined =>
      captured.entries().find((e) => e.msg === 'bootstrap started');
    await waitUntil(() => started() !== undefined, 'the bootstrap-started log entry');
    assert.deepEqual(
      { ...started(), time: undefined, source: String(started()?.source).replace(/\d+$/, 'PORT') },
      {
        level: 'info',
        time: undefined,
        session: 'bs-1',
        endpoint: 'd1',
        source: '127.0.0.1:PORT',
        format: 11542,
        msg: 'bootstrap started',
      },
      captured.lines.join(''),
    );
  } finally {
    await peer.close();
    await running.stop();
  }
});

test('--udp-socket dgram serves the Bootstrap-Server on node:dgram, and its start-up line says so', async () => {
  const captured = captureLog('info');
  const running = await runBootstrap(
    parseBootstrapArgs([...LOCAL_BOOTSTRAP, '--udp-socket', 'dgram']),
    captured.log,
  );
  const peer = await RawCoapPeer.open();
  try {
    const line = captured.entries().find((e) => e.msg === 'LwM2M Bootstrap-Server listening');
    assert.equal(line?.udp, 'node:dgram (--udp-socket dgram)');
    const to = { address: '127.0.0.1', port: running.server.address().port };
    await peer.send('41 02 1234 aa b2 6273 45 65703d6431', to);
    await peer.expect('61 44 1234 aa'); // still answers: ACK 2.04 Changed
  } finally {
    await peer.close();
    await running.stop();
  }
});

test('runBootstrap answers a Bootstrap-Pack-Request over UDP and logs the pack', async () => {
  const captured = captureLog('info');
  const running = await runBootstrap(parseBootstrapArgs(LOCAL_BOOTSTRAP), captured.log);
  const peer = await RawCoapPeer.open();
  try {
    const to = { address: '127.0.0.1', port: running.server.address().port };
    // CON GET, MID 0x1235, token 0xab; Uri-Path "bspack" (b6 ..), Uri-Query "ep=d1" (45 ..).
    await peer.send('41 01 1235 ab b6 62737061636b 45 65703d6431', to);
    const answer = await peer.next();
    // ACK 2.05, Content-Format 112 (SenML CBOR: c1 70), then the pack.
    assert.equal(Buffer.from(answer.bytes.subarray(0, 8)).toString('hex'), '61451235abc170ff');
    const sent = (): Record<string, unknown> | undefined =>
      captured.entries().find((e) => e.msg === 'Bootstrap-Pack sent');
    await waitUntil(() => sent() !== undefined, 'the Bootstrap-Pack log entry');
    const entry = sent()!;
    assert.equal(entry['endpoint'], 'd1');
    assert.match(String(entry['source']), /^127\.0\.0\.1:\d+$/);
    assert.equal(entry['format'], 112);
    assert.equal(entry['objects'], '0,1');
    assert.ok(Number(entry['bytes']) > 0, captured.lines.join(''));
  } finally {
    await peer.close();
    await running.stop();
  }
});

test('with --http-port, lwm2m bootstrap serves /metrics, /healthz and /readyz (503 once draining)', async () => {
  const running = await runBootstrap(
    parseBootstrapArgs([...LOCAL_BOOTSTRAP, '--http-port', '0']),
    captureLog('silent').log,
  );
  try {
    const address = running.http!.server.address();
    assert.ok(address && typeof address === 'object');
    const base = `http://127.0.0.1:${address.port}`;
    const metrics = await (await fetch(`${base}/metrics`)).text();
    assert.match(metrics, /^# TYPE lwm2m_bootstrap_sessions_total counter$/m);
    assert.match(metrics, /^lwm2m_bootstrap_sessions_total\{result="failed"\} 0$/m);
    // its receive buffer as a limit (README "Limits"), labelled apart from an LwM2M server's
    // (summed over its sockets: plain and DTLS)
    const granted = running.server.receiveBuffers().reduce((n, b) => n + (b?.bytes ?? 0), 0);
    assert.match(
      metrics,
      new RegExp(`^lwm2m_limit_max\\{limit="bootstrap_udp_receive_buffer"\\} ${granted}$`, 'm'),
    );
    assert.match(metrics, /^lwm2m_limits_hit_total\{limit="bootstrap_udp_receive_buffer"\} 0$/m);
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
    assert.equal((await fetch(`${base}/readyz`)).status, 200);
    running.drain();
    assert.equal((await fetch(`${base}/readyz`)).status, 503);
  } finally {
    await running.stop();
  }
});

test('runBootstrap refuses to serve its REST API beyond loopback without API keys, unless --insecure', async () => {
  const open = [...LOCAL_BOOTSTRAP, '--http-port', '0', '--http-address', '0.0.0.0'];
  await assert.rejects(
    runBootstrap(parseBootstrapArgs(open), captureLog('silent').log),
    /refusing to serve the REST API on 0\.0\.0\.0 without API keys/,
  );
  const captured = captureLog('info');
  const running = await runBootstrap(parseBootstrapArgs([...open, '--insecure']), captured.log);
  try {
    const listening = captured.entries().find((e) => e.msg === 'bootstrap REST API listening');
    assert.match(String(listening?.['url']), /^http:\/\/[^ ]+:\d+\/api\/bootstrap$/, captured.lines.join(''));
    assert.equal(listening?.['access'], 'every interface, no API key');
  } finally {
    await running.stop();
  }
});

test('runBootstrap whose REST API cannot listen fails and leaves no CoAP socket behind', async () => {
  // A free UDP port for CoAP, and a TCP port already taken for the REST API.
  const probe = dgram.createSocket('udp4');
  await new Promise<void>((r) => probe.bind(0, '127.0.0.1', () => r()));
  const coapPort = probe.address().port;
  await new Promise<void>((r) => probe.close(() => r()));
  const taken = net.createServer();
  await new Promise<void>((r) => taken.listen(0, '127.0.0.1', () => r()));
  const httpPort = (taken.address() as { port: number }).port;
  try {
    await assert.rejects(
      runBootstrap(
        parseBootstrapArgs([
          '--server-uri',
          'coap://127.0.0.1:5683',
          '--coap-port',
          String(coapPort),
          '--coap-address',
          '127.0.0.1',
          '--http-port',
          String(httpPort),
          '--no-coaps',
          '--store',
          'memory',
        ]),
        captureLog('silent').log,
      ),
      /EADDRINUSE/,
    );
    // The CoAP port is free again: the Bootstrap-Server was stopped, not left serving.
    const again = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      again.once('error', reject);
      again.bind(coapPort, '127.0.0.1', () => resolve());
    });
    await new Promise<void>((r) => again.close(() => r()));
  } finally {
    await new Promise<void>((r) => taken.close(() => r()));
  }
});
