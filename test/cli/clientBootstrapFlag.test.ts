// Issue 6 item 3: `lwm2m client --bootstrap coap://HOST:PORT` starts a device with only a
// Bootstrap-Server account (Core TS 1.1.1 6.1); it is bootstrapped by the real BootstrapServer,
// registers to the real Lwm2mServer, and `--state` keeps the result for the next run.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BootstrapServer } from '../../src/bootstrap/BootstrapServer.js';
import { clientCommand } from '../../src/cli/clientCommand.js';
import { QUIET_DEVICE } from './quietDevice.js';
import { startSimulatedDevice, type SimulatedDeviceOptions } from '../../src/cli/simulatedDevice.js';
import { Lwm2mServer } from '../../src/server/Lwm2mServer.js';
import { MemoryBootstrapConfigStore } from '../../src/store/memory/MemoryBootstrapConfigStore.js';

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

describe('lwm2m client --bootstrap', () => {
  test('takes --bootstrap and --state without --server', async () => {
    const { options } = await parse([
      '--endpoint',
      'd',
      '--bootstrap',
      'coap://10.0.0.5:5783',
      '--state',
      '/tmp/s.json',
    ]);
    assert.equal(options?.bootstrap, 'coap://10.0.0.5:5783');
    assert.equal(options?.statePath, '/tmp/s.json');
    assert.equal(options?.server, undefined);
  });

  test('needs --server or --bootstrap, and a coap:// bootstrap URI', async () => {
    assert.match((await parse(['--endpoint', 'd'])).error ?? '', /--server or --bootstrap/);
    assert.match((await parse(['--endpoint', 'd', '--bootstrap', 'http://h'])).error ?? '', /coap:\/\//);
  });
});

describe('a simulated device with only a bootstrap account', () => {
  let server: Lwm2mServer;
  let bs: BootstrapServer;
  let dir: string;

  before(async () => {
    server = await Lwm2mServer.start({ address: '127.0.0.1', port: 0 });
    const configs = new MemoryBootstrapConfigStore();
    await configs.put('cli-bs', {
      security: {
        1: {
          uri: `coap://127.0.0.1:${server.address().port}`,
          bootstrapServer: false,
          securityMode: 'nosec',
          shortServerId: 1,
        },
      },
      servers: { 0: { shortServerId: 1, lifetime: 120, binding: 'U' } },
    });
    bs = await BootstrapServer.start({ address: '127.0.0.1', port: 0, configStore: configs });
    dir = await mkdtemp(join(tmpdir(), 'lwm2m-cli-bs-'));
  });
  after(async () => {
    await bs.stop();
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test('is bootstrapped, registers, and logs it; the state file holds the account', async () => {
    const lines: string[] = [];
    const statePath = join(dir, 'state.json');
    const device = await startSimulatedDevice(
      {
        endpoint: 'cli-bs',
        bootstrap: `coap://127.0.0.1:${bs.address().port}`,
        statePath,
        ...QUIET_DEVICE,
      },
      (l) => lines.push(l),
    );
    try {
      const reg = await server.waitForRegistration('cli-bs', 10_000);
      assert.equal(reg.lifetime, 120);
      assert.ok(
        lines.some((l) => l.startsWith('bootstrap started: no LwM2M Server account')),
        lines.join('\n'),
      );
      assert.ok(lines.includes('bootstrapped'), lines.join('\n'));
      assert.match(await readFile(statePath, 'utf8'), new RegExp(`127\\.0\\.0\\.1:${server.address().port}`));
    } finally {
      await device.stop(2000);
    }
  });
});
