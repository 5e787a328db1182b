import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ObserveEngine, type ObservedContent } from '../../src/client/ObserveEngine.js';
import { AttributeStore } from '../../src/client/attributeInheritance.js';
import { ObjectTree } from '../../src/client/ObjectTree.js';
import { declareInstance } from '../../src/client/declareInstance.js';
import { Lwm2mPath } from '../../src/lwm2m/Lwm2mPath.js';
import type { Attributes } from '../../src/lwm2m/attributes.js';
import { TEMPERATURE_1_1 } from '../../src/model/core/temperature.js';
import { LIGHT_CONTROL_1_0 } from '../../src/model/core/lightControl.js';
import type { Lwm2mNode } from '../../src/lwm2m/Lwm2mNode.js';
import { UnauthorizedError } from '../../src/lwm2m/errors.js';
import { ManualClock } from '../support/ManualClock.js';

const SENSOR = Lwm2mPath.parse('/3303/0/5700');
/** Lets the engine evaluate the changes of the run that just ended (it does so in a microtask). */
const tick = (): Promise<void> => Promise.resolve();

interface SetupOptions {
  reachable?: () => boolean;
  store?: boolean;
  /** Replaces the tree read (e.g. to deny access). */
  read?: (p: Lwm2mPath) => Lwm2mNode;
  maxStored?: number;
}

function setup(attrs: Attributes = {}, opts: SetupOptions = {}) {
  const clock = new ManualClock();
  const tree = new ObjectTree();
  const inst = declareInstance(TEMPERATURE_1_1, 0, { 5700: 20 });
  tree.add(inst);
  const store = new AttributeStore();
  store.write(1, SENSOR, attrs);
  const woken: number[] = [];
  const lost: number[] = [];
  const engine = new ObserveEngine({
    clock,
    read: (_ssid, p) => (opts.read ?? ((x: Lwm2mPath) => tree.read(x)))(p),
    attributes: (ssid, p) => store.effective(ssid, p),
    isReachable: () => opts.reachable?.() ?? true,
    storesWhenOffline: () => opts.store ?? true,
    wake: (ssid) => woken.push(ssid),
    lost: (ssid) => lost.push(ssid),
    ...(opts.maxStored === undefined ? {} : { maxStoredNotifications: opts.maxStored }),
  });
  tree.onChange((c) => engine.changed(c.path));
  const sent: { at: number; value: number; con: boolean }[] = [];
  const send = (c: ObservedContent, con: boolean): void => {
    const node = c as { kind: string; value: { value: number } };
    sent.push({ at: clock.now(), value: node.value.value, con });
  };
  const ended: string[] = [];
  const gone = (code: number): void => void ended.push(`k ${code.toString(16)}`);
  engine.add({ key: 'k', ssid: 1, paths: [SENSOR], composite: false, send, gone }, [tree.read(SENSOR)]);
  return { clock, inst, engine, sent, woken, lost, store, tree, ended };
}

describe('ObserveEngine', () => {
  test('a changed value is notified at once without attributes', async () => {
    const { inst, sent } = setup();
    inst.set(5700, 21);
    await tick();
    assert.deepEqual(sent, [{ at: 0, value: 21, con: false }]);
  });

  test('pmin delays a change and then sends the latest value', async () => {
    const { clock, inst, sent } = setup({ pmin: 10 });
    clock.advance(3_000);
    inst.set(5700, 21);
    await tick();
    inst.set(5700, 22);
    await tick();
    assert.equal(sent.length, 0);
    clock.advance(7_000);
    assert.deepEqual(sent, [{ at: 10_000, value: 22, con: false }]);
  });

  test('pmax sends the unchanged value periodically', async () => {
    const { clock, sent } = setup({ pmax: 30 });
    clock.advance(95_000);
    assert.deepEqual(
      sent.map((s) => s.at),
      [30_000, 60_000, 90_000],
    );
  });

  test('st suppresses small steps and notifies a big one', async () => {
    const { inst, sent } = setup({ st: 5 });
    inst.set(5700, 23);
    await tick();
    inst.set(5700, 24.9);
    await tick();
    assert.equal(sent.length, 0);
    inst.set(5700, 25);
    await tick();
    assert.deepEqual(
      sent.map((s) => s.value),
      [25],
    );
  });

  test('gt notifies crossings only', async () => {
    const { inst, sent } = setup({ gt: 30 });
    inst.set(5700, 29);
    await tick();
    inst.set(5700, 31);
    await tick();
    inst.set(5700, 35);
    await tick();
    inst.set(5700, 28);
    await tick();
    assert.deepEqual(
      sent.map((s) => s.value),
      [31, 28],
    );
  });

  test('epmin defers evaluation of changes that come too fast', async () => {
    const { clock, inst, sent } = setup({ epmin: 5 });
    clock.advance(1_000);
    inst.set(5700, 21);
    await tick();
    assert.equal(sent.length, 0);
    clock.advance(4_000);
    assert.deepEqual(sent, [{ at: 5_000, value: 21, con: false }]);
  });

  test('con=1 sends confirmable notifications', async () => {
    const { inst, sent } = setup({ con: true });
    inst.set(5700, 21);
    await tick();
    assert.equal(sent[0]?.con, true);
  });

  test('notifications to an unreachable server are stored, the client woken, and flushed in order', async () => {
    let online = false;
    const { inst, engine, sent, woken } = setup({}, { reachable: () => online });
    inst.set(5700, 21);
    await tick();
    inst.set(5700, 22);
    await tick();
    assert.equal(sent.length, 0);
    assert.equal(engine.storedCount(1), 2);
    assert.deepEqual(woken, [1, 1]);
    online = true;
    engine.flush(1);
    assert.deepEqual(
      sent.map((s) => s.value),
      [21, 22],
    );
    assert.equal(engine.storedCount(1), 0);
  });

  test('hqmax bounds the stored notifications, keeping the newest', async () => {
    const { inst, engine } = setup({ hqmax: 2 }, { reachable: () => false });
    for (const v of [21, 22, 23]) {
      inst.set(5700, v);
      await tick();
    }
    assert.equal(engine.storedCount(1), 2);
  });

  test('without notification storing, offline notifications are dropped', async () => {
    const { inst, engine } = setup({}, { reachable: () => false, store: false });
    inst.set(5700, 21);
    await tick();
    assert.equal(engine.storedCount(1), 0);
  });

  test('removed observations stop their timers', async () => {
    const { clock, engine, sent } = setup({ pmax: 10 });
    engine.remove('k');
    clock.advance(60_000);
    assert.equal(sent.length, 0);
    assert.equal(clock.pendingTimers, 0);
  });

  test('deleting the observed instance ends the observation (gone)', async () => {
    const { tree, engine, ended, sent } = setup();
    tree.delete(3303, 0);
    await tick();
    assert.deepEqual(ended, ['k 84']);
    assert.equal(engine.size, 0);
    assert.equal(sent.length, 0);
  });

  test('a pmax written after the observation started arms its timer', async () => {
    const { clock, engine, sent, store } = setup();
    clock.advance(5_000);
    store.write(1, SENSOR, { pmax: 10 });
    engine.attributesChanged(1, SENSOR);
    clock.advance(5_000);
    assert.deepEqual(
      sent.map((s) => s.at),
      [10_000],
    );
  });

  test('a composite observation notifies all its paths when one changes', async () => {
    const { inst, engine, tree } = setup();
    engine.remove('k');
    const got: ObservedContent[] = [];
    const paths = [SENSOR, Lwm2mPath.parse('/3303/0/5701')];
    inst.set(5701, 'Cel');
    await tick();
    engine.add(
      { key: 'c', ssid: 1, paths, composite: true, send: (c) => got.push(c) },
      paths.map((p) => tree.read(p)),
    );
    inst.set(5700, 30);
    await tick();
    assert.equal(got.length, 1);
    const nodes = got[0] as readonly { path: Lwm2mPath }[];
    assert.deepEqual(
      nodes.map((n) => n.path.toString()),
      ['/3303/0/5700', '/3303/0/5701'],
    );
  });

  test('an observed instance gets one notification for changes made in one run', async () => {
    const { inst, engine, tree } = setup();
    engine.remove('k');
    const got: ObservedContent[] = [];
    const path = Lwm2mPath.parse('/3303/0');
    engine.add({ key: 'i', ssid: 1, paths: [path], composite: false, send: (c) => got.push(c) }, [
      tree.read(path),
    ]);
    // A new maximum: the sensor value and Max Measured Value change together.
    inst.set(5700, 30);
    inst.set(5602, 30);
    await tick();
    assert.equal(got.length, 1);
    const node = got[0] as Lwm2mNode;
    assert.ok(node.kind === 'instance');
    const ids = node.resources.map((r) => r.id);
    assert.ok(ids.includes(5700) && ids.includes(5602), 'the one notification holds both values');
    inst.set(5700, 31);
    await tick();
    assert.equal(got.length, 2, 'a later change is a new notification');
  });

  test('edge=1 notifies every rising edge, also after a suppressed falling one (1.2)', async () => {
    const clock = new ManualClock();
    const tree = new ObjectTree();
    const lamp = declareInstance(LIGHT_CONTROL_1_0, 0, { 5850: false });
    tree.add(lamp);
    const store = new AttributeStore();
    const ON = Lwm2mPath.parse('/3311/0/5850');
    store.write(1, ON, { edge: true });
    const engine = new ObserveEngine({
      clock,
      read: (_ssid, p) => tree.read(p),
      attributes: (ssid, p) => store.effective(ssid, p),
      isReachable: () => true,
      storesWhenOffline: () => true,
      wake: () => undefined,
      lost: () => undefined,
    });
    tree.onChange((c) => engine.changed(c.path));
    const got: boolean[] = [];
    const send = (c: ObservedContent): void => {
      const n = c as Lwm2mNode;
      if (n.kind === 'resource') got.push(n.value.value as boolean);
    };
    engine.add({ key: 'e', ssid: 1, paths: [ON], composite: false, send }, [tree.read(ON)]);
    for (const v of [true, false, true, false, true]) {
      lamp.set(5850, v);
      await tick();
    }
    assert.deepEqual(got, [true, true, true]);
  });

  test('a notification the server may no longer read ends the observation with its code', async () => {
    let denied = false;
    const { inst, ended, sent, engine } = setup(
      {},
      {
        read: (p) => {
          if (denied) throw new UnauthorizedError('access denied');
          return new ObjectTree().add(declareInstance(TEMPERATURE_1_1, 0, { 5700: 20 })).read(p);
        },
      },
    );
    denied = true;
    inst.set(5700, 21);
    await tick();
    assert.deepEqual(sent, []);
    assert.deepEqual(ended, ['k 81']);
    assert.equal(engine.size, 0);
  });

  test('an unacknowledged CON notification keeps the observation, marks the server lost and stores it', async () => {
    let online = true;
    const { inst, engine, sent, lost } = setup({ con: true }, { reachable: () => online });
    inst.set(5700, 21);
    await tick();
    assert.equal(sent.length, 1);
    online = false;
    engine.undelivered('k');
    assert.deepEqual(lost, [1]);
    assert.equal(engine.size, 1, 'the observation is kept');
    inst.set(5700, 22);
    await tick();
    assert.equal(engine.storedCount(1), 2);
    online = true;
    engine.flush(1);
    assert.deepEqual(
      sent.map((s) => [s.value, s.con]),
      [
        [21, true],
        [21, false],
        [22, true],
      ],
      'older stored ones go NON so the newest CON does not replace them (RFC 7641 4.5.2)',
    );
  });

  test('the store is bounded by maxStoredNotifications, hqmax cannot raise it, drops are counted', async () => {
    const { inst, engine } = setup({ hqmax: 1000 }, { reachable: () => false, maxStored: 2 });
    for (const v of [21, 22, 23, 24]) {
      inst.set(5700, v);
      await tick();
    }
    assert.equal(engine.storedCount(1), 2);
    assert.equal(engine.droppedCount(1), 2);
  });

  test('without notification storing, offline notifications are dropped and counted', async () => {
    const { inst, engine } = setup({}, { reachable: () => false, store: false });
    inst.set(5700, 21);
    await tick();
    assert.equal(engine.droppedCount(1), 1);
  });
});
