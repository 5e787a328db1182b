// Issue 5 items 6 and 7 end to end: the CLI's simulated device registers to a real Lwm2mServer,
// which reads live values, pulls a firmware package over http:// (Write /5/0/1, Execute /5/0/2)
// and pushes one block-wise (Write /5/0/0); every operation shows up as a log line.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSimulatedDevice, type SimulatedDevice } from '../../src/cli/simulatedDevice.js';
import { buildSimulatedPackage } from '../../src/client/firmware/simulatedInstaller.js';
import type { Lwm2mNode } from '../../src/lwm2m/Lwm2mNode.js';
import { opaqueValue, stringValue } from '../../src/lwm2m/values.js';
import { Lwm2mServer } from '../../src/server/Lwm2mServer.js';

const PACKAGE = buildSimulatedPackage({
  name: 'sim-fw',
  version: '2.5.0',
  body: new Uint8Array(30_000).fill(7),
});
const valueOf = (n: Lwm2mNode | undefined): unknown => (n?.kind === 'resource' ? n.value.value : undefined);

describe('simulated device against an Lwm2mServer', () => {
  let server: Lwm2mServer;
  let repo: http.Server;
  let device: SimulatedDevice;
  const lines: string[] = [];

  before(async () => {
    server = await Lwm2mServer.start({ address: '127.0.0.1', port: 0 });
    repo = http.createServer((_req, res) => res.end(Buffer.from(PACKAGE)));
    await new Promise<void>((r) => repo.listen(0, '127.0.0.1', r));
    device = await startSimulatedDevice(
      {
        endpoint: 'sim-e2e',
        server: `coap://127.0.0.1:${server.address().port}`,
        localPort: 0,
        lifetime: 300,
        lwm2mVersion: '1.1',
        queue: false,
        format: 112,
        intervalMs: 50,
        seed: 1,
      },
      (l) => lines.push(l),
      { installMs: 10 },
    );
    await server.waitForRegistration('sim-e2e', 10_000);
  });
  after(async () => {
    await device.stop(2000);
    await server.stop();
    await new Promise<void>((r) => repo.close(() => r()));
  });

  const read = async (path: string): Promise<unknown> => {
    const res = await server.read('sim-e2e', path);
    assert.ok(res.ok, `${path}: ${res.code} ${res.diagnostic ?? ''}`);
    return valueOf(res.content);
  };
  const until = async (path: string, want: unknown): Promise<void> => {
    for (let i = 0; i < 200; i++) {
      if ((await read(path)) === want) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    assert.fail(`${path} never became ${String(want)}`);
  };

  test('the server reads live simulated values, and the read is logged', async () => {
    const first = await read('/3303/0/5700');
    assert.equal(typeof first, 'number');
    let moved = false;
    for (let i = 0; i < 40 && !moved; i++) {
      await new Promise((r) => setTimeout(r, 50));
      moved = (await read('/3303/0/5700')) !== first;
    }
    assert.ok(moved, 'temperature drifts');
    assert.ok(
      lines.some((l) => /^<- read \/3303\/0\/5700 from 127\.0\.0\.1:\d+ \(ssid 1\) -> 2\.05$/.test(l)),
    );
    assert.ok(lines.some((l) => l.startsWith('registered (ssid 1)')));
  });

  test('pull: Write Package URI, Downloaded, Execute Update, Idle with result 1 and the new version', async () => {
    const uri = `http://127.0.0.1:${(repo.address() as AddressInfo).port}/fw.bin`;
    assert.ok((await server.write('sim-e2e', '/5/0/1', stringValue(uri))).ok);
    await until('/5/0/3', 2);
    assert.equal(await read('/5/0/7'), '2.5.0');
    assert.ok((await server.execute('sim-e2e', '/5/0/2')).ok);
    await until('/5/0/5', 1);
    assert.equal(await read('/5/0/3'), 0);
    assert.equal(await read('/3/0/3'), '2.5.0');
    for (const text of [
      '<- write /5/0/1',
      '<- execute /5/0/2',
      'firmware: state Downloaded',
      'firmware installed: sim-fw 2.5.0',
    ])
      assert.ok(
        lines.some((l) => l.includes(text)),
        text,
      );
  });

  test('push: a block-wise Write of a 30 kB package to /5/0/0 leaves it Downloaded; a corrupt one gives 5', async () => {
    const res = await server.write('sim-e2e', '/5/0/0', opaqueValue(PACKAGE));
    assert.ok(res.ok, `${res.code} ${res.diagnostic ?? ''}`);
    assert.equal(await read('/5/0/3'), 2);
    assert.ok((await server.write('sim-e2e', '/5/0/0', opaqueValue(new Uint8Array(0)))).ok);
    assert.equal(await read('/5/0/3'), 0);
    const bad = PACKAGE.slice();
    bad[100] = bad[100]! ^ 1;
    assert.ok((await server.write('sim-e2e', '/5/0/0', opaqueValue(bad))).ok);
    assert.deepEqual([await read('/5/0/3'), await read('/5/0/5')], [0, 5]);
  });

  test('Update in state Idle is refused with 4.05', async () => {
    const res = await server.execute('sim-e2e', '/5/0/2');
    assert.equal(res.code, 0x85);
    assert.ok(lines.some((l) => l.includes('<- execute /5/0/2') && l.endsWith('-> 4.05')));
  });
});
