// Issue 13 item 5: `lwm2m client --psk-identity ID --psk HEX --server coaps://...` puts the PSK
// into the Security instance of the coaps:// account and registers over DTLS; flags that do not
// fit together exit 2 with a message, and the key is never printed.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommanderError } from 'commander';
import { clientCommand } from '../../src/cli/clientCommand.js';
import type { SimulatedDeviceOptions } from '../../src/cli/simulatedDevice.js';
import { startDtlsServer } from '../integration/support/dtlsServer.js';

const KEY_HEX = '000102030405060708090a0b0c0d0e0f';

async function parse(
  args: string[],
): Promise<{ options?: SimulatedDeviceOptions; error: string; exitCode?: number }> {
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
  } catch (e) {
    return { error, ...(e instanceof CommanderError ? { exitCode: e.exitCode } : {}) };
  }
  return options ? { options, error } : { error };
}

describe('lwm2m client PSK flags', () => {
  test('--psk-identity and --psk go to the coaps:// server account', async () => {
    const { options } = await parse([
      '--endpoint',
      'dev1',
      '--psk-identity',
      'dev1',
      '--psk',
      KEY_HEX,
      '--server',
      'coaps://127.0.0.1:5684',
    ]);
    assert.equal(options?.server, 'coaps://127.0.0.1:5684');
    assert.equal(options?.psk?.identity, 'dev1');
    assert.equal(Buffer.from(options!.psk!.key).toString('hex'), KEY_HEX);
  });

  test('flags that do not fit together exit 2 with a message that never repeats the key', async () => {
    const secret = 'aabbccddeeff00112233';
    const coaps = ['--endpoint', 'x', '--server', 'coaps://127.0.0.1:5684'];
    const cases: [string[], RegExp][] = [
      [coaps, /a coaps:\/\/ server needs --psk-identity and --psk \(or --key and --server-cert\)/],
      [[...coaps, '--psk', secret], /--psk-identity and --psk go together/],
      [[...coaps, '--psk-identity', 'x'], /--psk-identity and --psk go together/],
      [
        ['--endpoint', 'x', '--server', 'coap://127.0.0.1:5683', '--psk-identity', 'x', '--psk', secret],
        /need a coaps:\/\/ --server or --bootstrap/,
      ],
      [
        [...coaps, '--psk-identity', 'x', '--psk', `${secret}zz`],
        /--psk must be 1 to 64 bytes written in hex/,
      ],
      [[...coaps, '--psk-identity', 'x', '--psk', secret.repeat(7)], /--psk must be 1 to 64 bytes/],
      [[...coaps, '--psk-identity', 'é'.repeat(65), '--psk', secret], /1 to 128 bytes of UTF-8/],
    ];
    for (const [args, message] of cases) {
      const r = await parse(args);
      assert.equal(r.options, undefined, args.join(' '));
      assert.equal(r.exitCode, 2, args.join(' '));
      assert.match(r.error, message, args.join(' '));
      assert.ok(!r.error.includes(secret), 'the key is not printed');
    }
  });

  test('--help lists the PSK flags', () => {
    const help = clientCommand(async () => undefined).helpInformation();
    for (const flag of ['--psk-identity', '--psk <hex>']) assert.ok(help.includes(flag), flag);
  });
});

describe('lwm2m client process over DTLS', () => {
  test(
    'registers to a DTLS server with --psk-identity/--psk, never printing the key; SSLKEYLOGFILE gets the key log',
    { timeout: 40_000 },
    async () => {
      const s = await startDtlsServer();
      await s.store.put({
        endpoint: 'cli-dtls',
        kind: 'psk',
        identity: 'cli-id',
        key: Buffer.from(KEY_HEX, 'hex'),
      });
      const dir = mkdtempSync(join(tmpdir(), 'keylog-'));
      const keyLogFile = join(dir, 'keys.log');
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          'src/cli/main.ts',
          'client',
          '--endpoint',
          'cli-dtls',
          '--psk-identity',
          'cli-id',
          '--psk',
          KEY_HEX,
          '--server',
          s.uri,
          '--interval',
          '1000',
        ],
        { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SSLKEYLOGFILE: keyLogFile } },
      );
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      try {
        const reg = await s.server.waitForRegistration('cli-dtls', 20_000).catch((e: Error) => {
          throw new Error(`${e.message}; output:\n${out}`);
        });
        assert.deepEqual(reg.peer.identity, { kind: 'psk', identity: 'cli-id' });
        const read = await s.server.read('cli-dtls', '/3/0/0');
        assert.equal(read.code, 0x45);
        child.kill('SIGINT');
        const code = await Promise.race([
          exited,
          new Promise<never>((_, reject) =>
            setTimeout(() => reject(new Error(`no exit; output:\n${out}`)), 15_000),
          ),
        ]);
        assert.equal(code, 0);
        assert.match(out, /registered \(ssid 1\)/);
        assert.ok(!out.includes(KEY_HEX), 'the key is never logged');
        // one NSS key log line per handshake (RFC 5246 client random, 48-byte master secret)
        assert.match(out, /SSLKEYLOGFILE/);
        assert.match(readFileSync(keyLogFile, 'utf8'), /^CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}$/m);
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL');
        await s.close();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
