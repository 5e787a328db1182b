// Issue 11 item 15: the simulated device (`lwm2m client`) has every object the README lists
// (0-7, 3303, 3311), so the README's bootstrap config example (an ACL instance /2/0, /3/0/14,
// TLV writes) bootstraps it; only its coaps/PSK account is swapped for a local NoSec one, as this
// client has no DTLS yet. Connectivity Statistics count the device's real datagrams.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { BootstrapServer } from '../../src/bootstrap/BootstrapServer.js';
import { QUIET_DEVICE } from './quietDevice.js';
import { startSimulatedDevice, type SimulatedDevice } from '../../src/cli/simulatedDevice.js';
import { parseBootstrapConfig } from '../../src/lwm2m/bootstrapConfigJson.js';
import { Lwm2mServer } from '../../src/server/Lwm2mServer.js';
import { MemoryBootstrapConfigStore } from '../../src/store/memory/MemoryBootstrapConfigStore.js';

/** The `--config` example of README.md's "Bootstrap configs" section. */
function readmeExample(): Record<string, Record<string, unknown>> {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const block = /\*\*Bootstrap configs\*\*[\s\S]*?```json\n([\s\S]*?)```/.exec(readme);
  assert.ok(block, 'README.md has the bootstrap config example');
  return JSON.parse(block[1]!) as Record<string, Record<string, unknown>>;
}

describe('the simulated device and the README bootstrap example', () => {
  let server: Lwm2mServer;
  let bs: BootstrapServer;
  let device: SimulatedDevice;
  const lines: string[] = [];
  const endpoint = 'urn:imei:350000000000001';

  before(async () => {
    server = await Lwm2mServer.start({ address: '127.0.0.1', port: 0 });
    const example = readmeExample()[endpoint]!;
    const security = example.security as Record<string, Record<string, unknown>>;
    const ssid = security['1']!.shortServerId;
    security['1'] = {
      uri: `coap://127.0.0.1:${server.address().port}`,
      securityMode: 'nosec',
      shortServerId: ssid,
    };
    const configs = new MemoryBootstrapConfigStore();
    await configs.put(endpoint, parseBootstrapConfig(example));
    bs = await BootstrapServer.start({ address: '127.0.0.1', port: 0, configStore: configs });
    device = await startSimulatedDevice(
      {
        endpoint,
        bootstrap: `coap://127.0.0.1:${bs.address().port}`,
        ...QUIET_DEVICE,
        seed: 3,
      },
      (l) => lines.push(l),
    );
  });
  after(async () => {
    await device.stop(2000);
    await bs.stop();
    await server.stop();
  });

  test('is bootstrapped by the README example and registers with objects 0-7, 3303 and 3311', async () => {
    const reg = await server.waitForRegistration(endpoint, 10_000);
    assert.ok(lines.includes('bootstrapped'), lines.join('\n'));
    const objects = [...reg.objectLinks.objects.keys()].sort((a, b) => a - b);
    assert.deepEqual(objects, [1, 2, 3, 4, 5, 6, 7, 3303, 3311]);
    assert.deepEqual(reg.objectLinks.objects.get(2)?.instances, [0], 'the ACL instance the example wrote');
    const utc = await server.read(endpoint, '/3/0/14');
    assert.ok(utc.ok && utc.content?.kind === 'resource');
    assert.equal(utc.content.value.value, '+01:00');
  });

  test('Connectivity Statistics count datagrams between Start and Stop', async () => {
    await server.waitForRegistration(endpoint, 10_000);
    assert.equal((await server.execute(endpoint, '/7/0/6')).ok, true);
    const read = await server.read(endpoint, '/7/0');
    assert.ok(read.ok && read.content?.kind === 'instance');
    const max = read.content.resources.find((r) => r.id === 4);
    assert.ok(
      max?.kind === 'resource' && Number(max.value.value) > 0,
      'the Execute and the Read were counted',
    );
  });
});
