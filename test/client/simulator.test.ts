// Device simulator (issue 5 item 6): with a ManualClock and a seeded random source the values of a
// real client's objects move plausibly: battery drains and refills on reboot, time ticks, the
// location walks a little, temperature drifts with its min/max, signal strength wanders.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Lwm2mClient } from '../../src/client/Lwm2mClient.js';
import {
  connectivityMonitoringInstance,
  locationInstance,
} from '../../src/client/objects/connectivityInstances.js';
import { lightControlInstance } from '../../src/client/objects/lightControlInstance.js';
import { temperatureSensor } from '../../src/client/objects/temperatureInstance.js';
import { seededRandom } from '../../src/client/simulator/seededRandom.js';
import {
  drainBattery,
  driftTemperature,
  walkLocation,
  wanderSignal,
} from '../../src/client/simulator/simulationSteps.js';
import { startSimulation } from '../../src/client/simulator/startSimulation.js';
import { Lwm2mPath } from '../../src/lwm2m/Lwm2mPath.js';
import { ManualClock } from '../support/ManualClock.js';

function device(): { client: Lwm2mClient; clock: ManualClock; changes: string[] } {
  const clock = new ManualClock();
  const sensor = temperatureSensor({ value: 21 });
  const client = new Lwm2mClient({
    endpoint: 'sim',
    clock,
    device: { batteryLevel: 100 },
    objects: [
      connectivityMonitoringInstance({ signalStrength: -80 }),
      locationInstance({ latitude: 48.85, longitude: 2.29 }),
      sensor.instance,
    ],
  });
  const changes: string[] = [];
  client.tree.onChange((c) => changes.push(c.path.toString()));
  return { client, clock, changes };
}
const num = (c: Lwm2mClient, path: string): number => {
  const n = c.tree.read(Lwm2mPath.parse(path));
  assert.ok(n.kind === 'resource');
  return Number(n.value.value);
};
const time = (c: Lwm2mClient, path: string): number => {
  const n = c.tree.read(Lwm2mPath.parse(path));
  assert.ok(n.kind === 'resource' && n.value.value instanceof Date);
  return n.value.value.getTime();
};

describe('startSimulation', () => {
  test('battery drains with time and is full again after a reboot', () => {
    const { client, clock } = device();
    const sim = startSimulation(client, {
      clock,
      random: seededRandom(1),
      intervalMs: 1000,
      batteryDrainPerMinute: 1,
    });
    clock.advance(10 * 60_000);
    assert.equal(num(client, '/3/0/9'), 90);
    sim.reboot();
    assert.equal(num(client, '/3/0/9'), 100);
    sim.stop();
  });

  test('current time ticks with the clock, from the given epoch', () => {
    const { client, clock } = device();
    const sim = startSimulation(client, {
      clock,
      random: seededRandom(2),
      intervalMs: 5000,
      epochMs: 1_700_000_000_000,
    });
    clock.advance(5000);
    assert.equal(time(client, '/3/0/13'), 1_700_000_005_000);
    clock.advance(5000);
    assert.equal(time(client, '/3/0/13'), 1_700_000_010_000);
    sim.stop();
  });

  test('location moves a little each step and stays near its start; its timestamp follows', () => {
    const { client, clock } = device();
    const sim = startSimulation(client, {
      clock,
      random: seededRandom(3),
      intervalMs: 1000,
      locationStepDeg: 0.0002,
    });
    let lat = num(client, '/6/0/0');
    let moves = 0;
    for (let i = 0; i < 100; i++) {
      clock.advance(1000);
      const next = num(client, '/6/0/0');
      assert.ok(Math.abs(next - lat) <= 0.0002 + 1e-9, 'one step is small');
      if (next !== lat) moves++;
      lat = next;
    }
    assert.ok(moves > 90, 'it moves');
    assert.ok(Math.abs(lat - 48.85) < 0.02 && Math.abs(num(client, '/6/0/1') - 2.29) < 0.02);
    assert.ok(time(client, '/6/0/5') > 0);
    sim.stop();
  });

  test('temperature drifts around its first value and min/max measured bracket every reading', () => {
    const { client, clock } = device();
    const sim = startSimulation(client, { clock, random: seededRandom(4), intervalMs: 1000 });
    const seen: number[] = [];
    for (let i = 0; i < 200; i++) {
      clock.advance(1000);
      seen.push(num(client, '/3303/0/5700'));
    }
    assert.ok(new Set(seen).size > 50, 'the value changes');
    assert.ok(
      seen.every((t) => t > 15 && t < 27),
      'the value stays plausible',
    );
    assert.equal(num(client, '/3303/0/5601'), Math.min(21, ...seen));
    assert.equal(num(client, '/3303/0/5602'), Math.max(21, ...seen));
    sim.stop();
  });

  test('Reset Min and Max (5605) brings both extremes back to the current value', async () => {
    const { client, clock } = device();
    const sim = startSimulation(client, { clock, random: seededRandom(5), intervalMs: 1000 });
    clock.advance(50_000);
    sim.stop();
    await client.tree.require(3303, 0).execute(5605, undefined);
    const now = num(client, '/3303/0/5700');
    assert.equal(num(client, '/3303/0/5601'), now);
    assert.equal(num(client, '/3303/0/5602'), now);
  });

  test('signal strength wanders within -110..-50 dBm; changes reach the tree listeners (observers)', () => {
    const { client, clock, changes } = device();
    const sim = startSimulation(client, { clock, random: seededRandom(6), intervalMs: 1000 });
    const values = new Set<number>();
    for (let i = 0; i < 100; i++) {
      clock.advance(1000);
      values.add(num(client, '/4/0/2'));
    }
    assert.ok(values.size > 5);
    assert.ok([...values].every((v) => v >= -110 && v <= -50));
    for (const p of ['/3/0/9', '/3/0/13', '/6/0/0', '/3303/0/5700', '/4/0/2'])
      assert.ok(changes.includes(p), p);
    sim.stop();
  });

  test('stop() ends the ticking, and the same seed gives the same values', () => {
    const run = (): number[] => {
      const { client, clock } = device();
      const sim = startSimulation(client, { clock, random: seededRandom(42), intervalMs: 1000 });
      clock.advance(10_000);
      sim.stop();
      const at = [num(client, '/3303/0/5700'), num(client, '/6/0/0'), num(client, '/4/0/2')];
      clock.advance(10_000);
      assert.deepEqual([num(client, '/3303/0/5700'), num(client, '/6/0/0'), num(client, '/4/0/2')], at);
      assert.equal(clock.pendingTimers, 0);
      return at;
    };
    assert.deepEqual(run(), run());
  });
});

describe('Light Control (3311) in the simulation', () => {
  test('a light that is on counts On Time and energy; off it stands still; writing 0 restarts On Time', () => {
    const clock = new ManualClock();
    const client = new Lwm2mClient({
      endpoint: 'light',
      clock,
      objects: [lightControlInstance({ on: true, dimmer: 50 })],
    });
    const sim = startSimulation(client, { clock, random: seededRandom(1), intervalMs: 500, lightPowerW: 20 });
    clock.advance(3_600_000);
    assert.equal(num(client, '/3311/0/5852'), 3600);
    assert.ok(Math.abs(num(client, '/3311/0/5805') - 10) < 1e-3, 'half of 20 W for one hour is 10 Wh');
    client.set('/3311/0/5850', false);
    clock.advance(60_000);
    assert.equal(num(client, '/3311/0/5852'), 3600);
    client.set('/3311/0/5850', true);
    client.set('/3311/0/5852', 0);
    clock.advance(10_000);
    assert.equal(num(client, '/3311/0/5852'), 10);
    sim.stop();
  });
});

describe('simulation steps', () => {
  test('drainBattery: a full battery at 0.5 %/min loses 30 % in an hour; empty is swapped', () => {
    assert.equal(drainBattery(100, 3_600_000, 0.5), 70);
    assert.equal(drainBattery(0.1, 60_000, 0.5), 100);
  });
  test('walkLocation clamps latitude and wraps longitude', () => {
    const r = walkLocation({ latitude: 90, longitude: 180 }, 1, () => 0.999);
    assert.ok(r.latitude <= 90 && r.longitude < -179);
  });
  test('driftTemperature is pulled toward the mean', () => {
    assert.equal(
      driftTemperature(30, 20, () => 0.5),
      29.5,
    );
  });
  test('wanderSignal stays within bounds', () => {
    assert.equal(
      wanderSignal(-50, () => 0.99),
      -50,
    );
    assert.equal(
      wanderSignal(-110, () => 0),
      -110,
    );
  });
  test('seededRandom is deterministic and in [0, 1)', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const xs = Array.from({ length: 1000 }, () => a());
    assert.deepEqual(
      xs.slice(0, 5),
      Array.from({ length: 5 }, () => b()),
    );
    assert.ok(xs.every((x) => x >= 0 && x < 1));
    assert.notDeepEqual(xs.slice(0, 5), Array.from({ length: 5 }, seededRandom(8)));
  });
});
