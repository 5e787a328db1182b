// LwM2M Core TS 1.1.1 Appendix E.6 / E.6.1: the Firmware Update state machine (table test), the
// push delivery through the instance and through the client's CoAP handling, verification
// failures (result 5 and 6), resets, Update in the wrong state (4.05) and installation failure.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CoapEndpoint } from '../../src/coap/CoapEndpoint.js';
import { Lwm2mClient } from '../../src/client/Lwm2mClient.js';
import { FirmwareUpdateStateMachine } from '../../src/client/firmware/FirmwareUpdateStateMachine.js';
import {
  buildSimulatedPackage,
  simulatedInstaller,
  verifySimulatedPackage,
} from '../../src/client/firmware/simulatedInstaller.js';
import {
  firmwareUpdateInstance,
  type FirmwareUpdateInstance,
} from '../../src/client/objects/firmwareUpdateInstance.js';
import { MethodNotAllowedError } from '../../src/lwm2m/errors.js';
import { resource } from '../../src/lwm2m/nodes.js';
import { opaqueValue, stringValue } from '../../src/lwm2m/values.js';
import { FIRMWARE_UPDATE_1_0 } from '../../src/model/core/firmwareUpdate.js';
import { ManualClock } from '../support/ManualClock.js';
import { MemoryNetwork, type MemoryTransport } from '../support/MemoryTransport.js';

type Trigger =
  'startDownload' | 'downloaded' | 'fail4' | 'startUpdate' | 'ok' | 'failed' | 'reset' | 'cancel';
const fire = (m: FirmwareUpdateStateMachine, t: Trigger): void => {
  if (t === 'fail4') m.downloadFailed(4);
  else if (t === 'ok') m.updateSucceeded();
  else if (t === 'failed') m.updateFailed();
  else m[t]();
};
const reach: Record<number, Trigger[]> = {
  0: [],
  1: ['startDownload'],
  2: ['startDownload', 'downloaded'],
  3: ['startDownload', 'downloaded', 'startUpdate'],
};
// [from state, trigger, expected state and result, or 'rejected'] per the E.6.1 diagram.
const TABLE: [number, Trigger, [number, number] | 'rejected'][] = [
  [0, 'startDownload', [1, 0]],
  [0, 'downloaded', 'rejected'],
  [0, 'fail4', [0, 4]],
  [0, 'startUpdate', 'rejected'],
  [0, 'ok', 'rejected'],
  [0, 'failed', 'rejected'],
  [0, 'reset', [0, 0]],
  [0, 'cancel', 'rejected'],
  [1, 'startDownload', 'rejected'],
  [1, 'downloaded', [2, 0]],
  [1, 'fail4', [0, 4]],
  [1, 'startUpdate', 'rejected'],
  [1, 'ok', 'rejected'],
  [1, 'reset', [0, 0]],
  [1, 'cancel', [0, 10]],
  [2, 'startDownload', 'rejected'],
  [2, 'downloaded', 'rejected'],
  [2, 'fail4', 'rejected'],
  [2, 'startUpdate', [3, 0]],
  [2, 'ok', 'rejected'],
  [2, 'reset', [0, 0]],
  [2, 'cancel', [0, 10]],
  [3, 'startDownload', 'rejected'],
  [3, 'startUpdate', 'rejected'],
  [3, 'ok', [0, 1]],
  [3, 'failed', [2, 8]],
  [3, 'reset', 'rejected'],
  [3, 'cancel', 'rejected'],
];

describe('FirmwareUpdateStateMachine', () => {
  for (const [from, trigger, expected] of TABLE) {
    test(`${trigger} in state ${from} ${expected === 'rejected' ? 'is rejected with 4.05' : `leads to state ${expected[0]}, result ${expected[1]}`}`, () => {
      const m = new FirmwareUpdateStateMachine(new ManualClock());
      for (const t of reach[from]!) fire(m, t);
      assert.equal(m.state, from);
      if (expected === 'rejected') {
        assert.throws(
          () => fire(m, trigger),
          (e: unknown) => e instanceof MethodNotAllowedError && e.coapCode === 0x85,
        );
        assert.equal(m.state, from, 'a rejected trigger leaves the state alone');
      } else {
        fire(m, trigger);
        assert.deepEqual([m.state, m.result], expected);
      }
    });
  }

  test('a new download clears the previous update result', () => {
    const m = new FirmwareUpdateStateMachine(new ManualClock());
    m.downloadFailed(7);
    assert.equal(m.result, 7);
    m.startDownload();
    assert.equal(m.result, 0);
  });

  test('reports changed resources and stamps Last State Change Time with the clock', () => {
    const clock = new ManualClock();
    const m = new FirmwareUpdateStateMachine(clock, 1_700_000_000_000);
    const seen: number[][] = [];
    m.onChange((ids) => seen.push([...ids]));
    clock.advance(5000);
    m.startDownload();
    assert.deepEqual(seen, [[3, 12]]);
    assert.equal(m.lastStateChange.getTime(), 1_700_000_005_000);
    m.downloadFailed(5);
    assert.deepEqual(seen[1], [3, 5, 12]);
  });
});

const packageOf = (size: number, version = '2.0.0'): Uint8Array => {
  const body = new Uint8Array(size);
  for (let i = 0; i < size; i++) body[i] = (i * 31 + 7) & 0xff;
  return buildSimulatedPackage({ name: 'app', version, body });
};

function setup(opts: { failInstall?: boolean } = {}): {
  clock: ManualClock;
  fw: FirmwareUpdateInstance;
  changes: number[];
  updated: string[];
} {
  const clock = new ManualClock();
  const changes: number[] = [];
  const updated: string[] = [];
  const fw = firmwareUpdateInstance({
    clock,
    installer: simulatedInstaller({ clock, durationMs: 1000, failWhen: () => opts.failInstall === true }),
    onUpdated: (i) => updated.push(`${i.name} ${i.version}`),
  });
  fw.attach((id) => changes.push(id));
  return { clock, fw, changes, updated };
}
const valueAt = (fw: FirmwareUpdateInstance, id: number): unknown => {
  const r = fw.read(id);
  return r?.kind === 'resource' ? r.value.value : undefined;
};
const stateAndResult = (fw: FirmwareUpdateInstance): [unknown, unknown] => [valueAt(fw, 3), valueAt(fw, 5)];
const writePackage = (fw: FirmwareUpdateInstance, bytes: Uint8Array): void =>
  fw.write(resource(0, opaqueValue(bytes)), 'replace');

describe('Firmware Update push (Package resource)', () => {
  test('a 100 kB package written to /5/0/0 is Downloaded; Update installs it: Idle with result 1', async () => {
    const { clock, fw, changes, updated } = setup();
    writePackage(fw, packageOf(100_000));
    assert.deepEqual(stateAndResult(fw), [2, 0]);
    assert.equal(valueAt(fw, 6), 'app');
    assert.equal(valueAt(fw, 7), '2.0.0');
    fw.execute(2, undefined);
    assert.deepEqual(stateAndResult(fw), [3, 0]);
    clock.advance(1000);
    await fw.idle;
    assert.deepEqual(stateAndResult(fw), [0, 1]);
    assert.deepEqual(updated, ['app 2.0.0']);
    assert.ok(changes.filter((id) => id === 3).length >= 4, 'each state change was reported');
    assert.ok(changes.includes(5), 'the result change was reported');
  });

  test('a corrupted package ends in Idle with result 5 (integrity check failure)', () => {
    const { fw } = setup();
    const bad = packageOf(10_000);
    bad[5000] = bad[5000]! ^ 0xff;
    writePackage(fw, bad);
    assert.deepEqual(stateAndResult(fw), [0, 5]);
    assert.throws(() => fw.execute(2, undefined), MethodNotAllowedError);
  });

  test('a package of an unknown type ends in Idle with result 6', () => {
    const { fw } = setup();
    writePackage(fw, new TextEncoder().encode('#!/bin/sh\necho not a firmware image\n'));
    assert.deepEqual(stateAndResult(fw), [0, 6]);
  });

  test('a package over maxPackageBytes ends in Idle with result 2 (not enough flash)', () => {
    const fw = firmwareUpdateInstance({ clock: new ManualClock(), maxPackageBytes: 1000 });
    writePackage(fw, packageOf(2000));
    assert.deepEqual(stateAndResult(fw), [0, 2]);
  });

  test('writing an empty package or a NULL byte resets Downloaded to Idle with result 0', () => {
    const { fw } = setup();
    for (const empty of [new Uint8Array(0), new Uint8Array([0])]) {
      writePackage(fw, packageOf(100));
      assert.deepEqual(stateAndResult(fw), [2, 0]);
      writePackage(fw, empty);
      assert.deepEqual(stateAndResult(fw), [0, 0]);
    }
  });

  test('Update in Idle and a second package in Downloaded are refused with 4.05', () => {
    const { fw } = setup();
    assert.throws(
      () => fw.execute(2, undefined),
      (e: unknown) => e instanceof MethodNotAllowedError,
    );
    writePackage(fw, packageOf(100));
    assert.throws(() => writePackage(fw, packageOf(100, '3.0.0')), MethodNotAllowedError);
    assert.throws(
      () => fw.write(resource(1, stringValue('coap://127.0.0.1/fw')), 'replace'),
      MethodNotAllowedError,
    );
    assert.equal(valueAt(fw, 7), '2.0.0', 'the downloaded package stays');
  });

  test('a failed installation returns to Downloaded with result 8; a retry can succeed', async () => {
    let fail = true;
    const clock = new ManualClock();
    const fw = firmwareUpdateInstance({
      clock,
      installer: simulatedInstaller({ clock, durationMs: 10, failWhen: () => fail }),
    });
    writePackage(fw, packageOf(100));
    fw.execute(2, undefined);
    assert.throws(
      () => writePackage(fw, new Uint8Array(0)),
      MethodNotAllowedError,
      'no reset while Updating',
    );
    clock.advance(10);
    await fw.idle;
    assert.deepEqual(stateAndResult(fw), [2, 8]);
    fail = false;
    fw.execute(2, undefined);
    clock.advance(10);
    await fw.idle;
    assert.deepEqual(stateAndResult(fw), [0, 1]);
  });

  test('an onUpdated callback that throws does not break the state machine', async () => {
    const clock = new ManualClock();
    const fw = firmwareUpdateInstance({
      clock,
      installer: simulatedInstaller({ clock, durationMs: 5 }),
      onUpdated: () => {
        throw new Error('application bug');
      },
    });
    writePackage(fw, packageOf(100));
    fw.execute(2, undefined);
    clock.advance(5);
    await fw.idle;
    assert.deepEqual(stateAndResult(fw), [0, 1]);
  });

  test('Cancel (10) in Downloaded gives Idle with result 10; object version 1.0 has no Cancel', () => {
    const { fw } = setup();
    writePackage(fw, packageOf(100));
    fw.execute(10, undefined);
    assert.deepEqual(stateAndResult(fw), [0, 10]);
    const old = firmwareUpdateInstance({ clock: new ManualClock(), model: FIRMWARE_UPDATE_1_0 });
    assert.throws(() => old.execute(10, undefined));
    assert.deepEqual(old.resourceIds(), [1, 3, 5, 6, 7, 8, 9]);
  });

  test('Package (write-only) is never read back; the readable resources are listed', () => {
    const { fw } = setup();
    writePackage(fw, packageOf(100));
    assert.equal(fw.read(0), undefined);
    assert.deepEqual(fw.resourceIds(), [1, 3, 5, 6, 7, 8, 9, 12]);
    const protocols = fw.read(8);
    assert.equal(protocols?.kind, 'multipleResource');
  });
});

describe('Firmware Update through the client CoAP handling', () => {
  /** PUTs a simulated package of `size` bytes to /5/0/0 (block-wise when large); the response code. */
  async function pushPackage(
    t: { server: CoapEndpoint; peer: MemoryTransport },
    size: number,
  ): Promise<number> {
    const res = await t.server.request(t.peer.self, {
      method: 'PUT',
      path: '/5/0/0',
      contentFormat: 42,
      payload: packageOf(size),
      timeoutMs: 5000,
    });
    return res.code;
  }

  async function start(maxRequestBodyBytes?: number): Promise<{
    client: Lwm2mClient;
    server: CoapEndpoint;
    peer: MemoryTransport;
    fw: FirmwareUpdateInstance;
    close(): Promise<void>;
  }> {
    const net = new MemoryNetwork();
    const ct = net.bind('10.0.0.1');
    const fw = firmwareUpdateInstance({
      installer: { verify: verifySimulatedPackage, install: async () => undefined },
    });
    const client = new Lwm2mClient({
      endpoint: 'fw-test',
      transport: ct,
      objects: [fw],
      maxRequestBodyBytes,
    });
    await client.start();
    const server = new CoapEndpoint(net.bind('10.0.0.2')); // block-wise on by default
    return {
      client,
      server,
      peer: ct,
      fw,
      close: async () => {
        await client.stop();
        await server.close();
      },
    };
  }

  test('a Write of a one-datagram package to /5/0/0 then Execute /5/0/2 answer 2.04 and update', async () => {
    const t = await start();
    try {
      const w = await t.server.request(t.peer.self, {
        method: 'PUT',
        path: '/5/0/0',
        contentFormat: 42,
        payload: packageOf(600),
      });
      assert.equal(w.code, 0x44);
      const state = await t.server.request(t.peer.self, { method: 'GET', path: '/5/0/3' });
      assert.equal(new TextDecoder().decode(state.payload), '2');
      const x = await t.server.request(t.peer.self, { method: 'POST', path: '/5/0/2' });
      assert.equal(x.code, 0x44);
      await t.fw.idle;
      assert.deepEqual(stateAndResult(t.fw), [0, 1]);
    } finally {
      await t.close();
    }
  });

  test('a block-wise Write of a 60 kB package to /5/0/0 is reassembled by the client and Downloaded', async () => {
    const t = await start();
    try {
      assert.equal(await pushPackage(t, 60_000), 0x44);
      assert.deepEqual(stateAndResult(t.fw), [2, 0]);
      assert.equal(valueAt(t.fw, 7), '2.0.0');
    } finally {
      await t.close();
    }
  });

  test('a pushed package over maxRequestBodyBytes is refused with 4.13 and leaves the state Idle', async () => {
    const t = await start(50_000);
    try {
      assert.equal(await pushPackage(t, 100_000), 0x8d);
      assert.deepEqual(stateAndResult(t.fw), [0, 0]);
    } finally {
      await t.close();
    }
  });

  test('a block-wise Write of a 100 kB package to /5/0/0 is reassembled and Downloaded', async () => {
    const t = await start();
    try {
      assert.equal(await pushPackage(t, 100_000), 0x44);
      assert.deepEqual(stateAndResult(t.fw), [2, 0]);
    } finally {
      await t.close();
    }
  });
});
