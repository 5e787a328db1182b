// Issue 5 item 7: the `lwm2m client` command: its flags, its help text, and a real run of the
// CLI against a CoAP endpoint that plays the LwM2M server (Register answered 2.01, a Read logged,
// De-register on SIGINT), all with bounded timeouts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { CoapEndpoint } from '../../src/coap/CoapEndpoint.js';
import { Router, type IncomingRequest } from '../../src/coap/Router.js';
import { clientCommand, FORMAT_NAMES } from '../../src/cli/clientCommand.js';
import type { SimulatedDeviceOptions } from '../../src/cli/simulatedDevice.js';
import { requestLine } from '../../src/cli/clientLog.js';
import { formatCode } from '../../src/coap/CoapMessage.js';
import { Lwm2mPath } from '../../src/lwm2m/Lwm2mPath.js';
import { makePeer } from '../../src/transport/Peer.js';
import { UdpTransport } from '../../src/transport/udp/UdpTransport.js';

async function parse(args: string[]): Promise<{ options?: SimulatedDeviceOptions; error?: string }> {
  let options: SimulatedDeviceOptions | undefined;
  let error = '';
  const cmd = clientCommand(
    async (o) => void (options = o),
    () => undefined,
  )
    .exitOverride()
    .configureOutput({ writeErr: (s) => void (error += s), writeOut: () => undefined });
  try {
    await cmd.parseAsync(args, { from: 'user' });
  } catch {
    return { error };
  }
  return options ? { options } : { error };
}

describe('lwm2m client flags', () => {
  test('takes every flag of the issue', async () => {
    const { options } = await parse([
      '--endpoint',
      'dev-1',
      '--server',
      'coap://10.1.2.3:5690',
      '--local-port',
      '56830',
      '--lifetime',
      '60',
      '--lwm2m',
      '1.0',
      '--queue',
      '--format',
      'tlv',
      '--interval',
      '250',
      '--seed',
      '9',
    ]);
    assert.deepEqual(options, {
      endpoint: 'dev-1',
      server: 'coap://10.1.2.3:5690',
      localPort: 56830,
      lifetime: 60,
      lwm2mVersion: '1.0',
      queue: true,
      format: 11542,
      intervalMs: 250,
      seed: 9,
    });
  });

  test('has defaults: any local port, 300 s lifetime, LwM2M 1.1, no queue, SenML CBOR', async () => {
    const { options } = await parse(['--endpoint', 'x', '--server', 'coap://127.0.0.1:5683']);
    assert.deepEqual(
      [options?.localPort, options?.lifetime, options?.lwm2mVersion, options?.queue, options?.format],
      [0, 300, '1.1', false, 112],
    );
  });

  test('maps every --format name to its content format', async () => {
    for (const [name, number] of Object.entries(FORMAT_NAMES)) {
      const { options } = await parse(['--endpoint', 'x', '--server', 'coap://h:1', '--format', name]);
      assert.equal(options?.format, number, name);
    }
    assert.deepEqual(Object.keys(FORMAT_NAMES), ['senml-cbor', 'senml-json', 'tlv', 'lwm2m-cbor']);
  });

  test('rejects a missing endpoint, a bad version, format, port or server URI', async () => {
    const base = ['--endpoint', 'x', '--server', 'coap://127.0.0.1:5683'];
    const cases: [string[], RegExp][] = [
      [['--server', 'coap://127.0.0.1:5683'], /--endpoint/],
      [[...base, '--lwm2m', '2.0'], /1\.0, 1\.1, 1\.2/],
      [[...base, '--format', 'xml'], /senml-cbor/],
      [[...base, '--local-port', '70000'], /0\.\.65535/],
      [[...base, '--lifetime', 'soon'], /integer/],
      [['--endpoint', 'x', '--server', 'http://127.0.0.1'], /coap:\/\//],
      [['--endpoint', 'x', '--server', 'nonsense'], /URI/],
    ];
    for (const [args, message] of cases) {
      const { options, error } = await parse(args);
      assert.equal(options, undefined, args.join(' '));
      assert.match(error ?? '', message, args.join(' '));
    }
  });

  test('--bootstrap-pack asks for a Bootstrap-Pack first, with LwM2M 1.2 only', async () => {
    const base = ['--endpoint', 'x', '--bootstrap', 'coap://127.0.0.1:5783', '--bootstrap-pack'];
    assert.equal((await parse([...base, '--lwm2m', '1.2'])).options?.bootstrapPack, true);
    assert.equal((await parse(base.slice(0, -1))).options?.bootstrapPack, undefined);
    assert.match((await parse(base)).error ?? '', /--bootstrap-pack needs --lwm2m 1\.2/);
  });

  test('--help lists every flag', () => {
    const help = clientCommand(async () => undefined).helpInformation();
    for (const flag of [
      '--endpoint',
      '--server',
      '--local-port',
      '--lifetime',
      '--lwm2m',
      '--queue',
      '--format',
    ])
      assert.ok(help.includes(flag), flag);
    for (const name of Object.keys(FORMAT_NAMES)) assert.ok(help.includes(name), name);
  });

  test('log lines name the operation, path, server and response code', () => {
    const line = requestLine({
      peer: makePeer('127.0.0.1', 5683),
      ssid: 1,
      request: { kind: 'execute', path: Lwm2mPath.parse('/5/0/2'), arguments: "0='x'" },
      code: 0x44,
    });
    assert.equal(line, "<- execute /5/0/2 args=0='x' from 127.0.0.1:5683 (ssid 1) -> 2.04");
    assert.equal(formatCode(0x84), '4.04');
  });
});

describe('lwm2m client process', () => {
  test('registers, logs a Read, and de-registers on SIGINT', { timeout: 30_000 }, async () => {
    const seen: IncomingRequest[] = [];
    let registered: (req: IncomingRequest) => void = () => undefined;
    const registration = new Promise<IncomingRequest>((r) => (registered = r));
    let deregistered: () => void = () => undefined;
    const gone = new Promise<void>((r) => (deregistered = r));
    const router = new Router().use('/rd', (req) => {
      seen.push(req);
      if (req.method === 0x02 && req.path.length === 1) {
        registered(req);
        return {
          code: 0x41,
          options: [
            { number: 8, value: new TextEncoder().encode('rd') },
            { number: 8, value: new TextEncoder().encode('abc') },
          ],
        };
      }
      if (req.method === 0x04) deregistered();
      return { code: req.method === 0x04 ? 0x42 : 0x44 };
    });
    const server = new CoapEndpoint(await UdpTransport.bind({ address: '127.0.0.1' }), { router });
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/cli/main.ts',
        'client',
        '--endpoint',
        'cli-test',
        '--server',
        `coap://127.0.0.1:${server.address().port}`,
        '--interval',
        '100',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const bounded = <T>(p: Promise<T>, what: string): Promise<T> =>
      Promise.race([
        p,
        new Promise<T>((_, reject) =>
          setTimeout(() => reject(new Error(`${what} timed out; output:\n${out}`)), 15_000),
        ),
      ]);
    try {
      const reg = await bounded(registration, 'Register');
      assert.ok(reg.query.includes('ep=cli-test'), reg.query.join('&'));
      assert.ok(reg.query.includes('lt=300'));
      assert.match(new TextDecoder().decode(reg.payload), /<\/5\/0>/);
      assert.match(new TextDecoder().decode(reg.payload), /<\/3303\/0>/);
      const read = await server.request(reg.peer, { method: 'GET', path: '/3/0/0', timeoutMs: 5000 });
      assert.equal(read.code, 0x45);
      assert.equal(new TextDecoder().decode(read.payload), 'lwm2m-ts');
      const logged = (text: string): Promise<void> =>
        bounded(
          (async () => {
            while (!out.includes(text)) await new Promise((r) => setTimeout(r, 20));
          })(),
          `log line "${text}"`,
        );
      await logged('<- read /3/0/0 from 127.0.0.1');
      await logged('registered (ssid 1) at /rd/abc');
      child.kill('SIGINT');
      await bounded(gone, 'De-register');
      assert.equal(await bounded(exited, 'exit'), 0);
      assert.match(out, /stopped/);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await server.close();
    }
  });
});
