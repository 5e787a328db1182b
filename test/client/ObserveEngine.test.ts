import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ObserveEngine, type ObservedContent } from '../../src/client/ObserveEngine.js';
import { AttributeStore } from '../../src/client/attributeInheritance.js';
import { ObjectTree } from '../../src/client/ObjectTree.js';
import { declareInstance } from '../../src/client/declareInstance.js';
import { Lwm2mPath } from '../../src/lwm2m/Lwm2mPath.js';
import type { Attributes } from '../../src/lwm2m/attributes.js';
import { TEMPERATURE_1_1 } from '../../src/model/core/temperature.js';
import { ManualClock } from '../support/ManualClock.js';

const SENSOR = Lwm2mPath.parse('/3303/0/5700');

function setup(attrs: Attributes = {}, opts: { reachable?: () => boolean; store?: boolean } = {}) {
  const clock = new ManualClock();
  const tree = new ObjectTree();
  const inst = declareInstance(TEMPERATURE_1_1, 0, { 5700: 20 });
  tree.add(inst);
  const store = new AttributeStore();
  store.write(1, SENSOR, attrs);
  const woken: number[] = [];
  const engine = new ObserveEngine({
    clock,
    read: (p) => tree.read(p),
    attributes: (ssid, p) => store.effective(ssid, p),
    isReachable: () => opts.reachable?.() ?? true,
    storesWhenOffline: () => opts.store ?? true,
    wake: (ssid) => woken.push(ssid),
  });
  tree.onChange((c) => engine.changed(c.path));
  const sent: { at: number; value: number; con: boolean }[] = [];
  const send = (c: ObservedContent, con: boolean): void => {
    const node = c as { kind: string; value: { value: number } };
    sent.push({ at: clock.now(), value: node.value.value, con });
  };
  const ended: string[] = [];
  engine.add({ key: 'k', ssid: 1, paths: [SENSOR], composite: false, send, gone: () => ended.push('k') }, [
    tree.read(SENSOR),
  ]);
  return { clock, inst, engine, sent, woken, store, tree, ended };
}

describe('ObserveEngine', () => {
  test('a changed value is notified at once without attributes', () => {
    const { inst, sent } = setup();
    inst.set(5700, 21);
    assert.deepEqual(sent, [{ at: 0, value: 21, con: false }]);
  });

  test('pmin delays a change and then sends the latest value', () => {
    const { clock, inst, sent } = setup({ pmin: 10 });
    clock.advance(3_000);
    inst.set(5700, 21);
    inst.set(5700, 22);
    assert.equal(sent.length, 0);
    clock.advance(7_000);
    assert.deepEqual(sent, [{ at: 10_000, value: 22, con: false }]);
  });

  test('pmax sends the unchanged value periodically', () => {
    const { clock, sent } = setup({ pmax: 30 });
    clock.advance(95_000);
    assert.deepEqual(
      sent.map((s) => s.at),
      [30_000, 60_000, 90_000],
    );
  });

  test('st suppresses small steps and notifies a big one', () => {
    const { inst, sent } = setup({ st: 5 });
    inst.set(5700, 23);
    inst.set(5700, 24.9);
    assert.equal(sent.length, 0);
    inst.set(5700, 25);
    assert.deepEqual(
      sent.map((s) => s.value),
      [25],
    );
  });

  test('gt notifies crossings only', () => {
    const { inst, sent } = setup({ gt: 30 });
    inst.set(5700, 29);
    inst.set(5700, 31);
    inst.set(5700, 35);
    inst.set(5700, 28);
    assert.deepEqual(
      sent.map((s) => s.value),
      [31, 28],
    );
  });

  test('epmin defers evaluation of changes that come too fast', () => {
    const { clock, inst, sent } = setup({ epmin: 5 });
    clock.advance(1_000);
    inst.set(5700, 21);
    assert.equal(sent.length, 0);
    clock.advance(4_000);
    assert.deepEqual(sent, [{ at: 5_000, value: 21, con: false }]);
  });

  test('con=1 sends confirmable notifications', () => {
    const { inst, sent } = setup({ con: true });
    inst.set(5700, 21);
    assert.equal(sent[0]?.con, true);
  });

  test('notifications to an unreachable server are stored, the client woken, and flushed in order', () => {
    let online = false;
    const { inst, engine, sent, woken } = setup({}, { reachable: () => online });
    inst.set(5700, 21);
    inst.set(5700, 22);
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

  test('hqmax bounds the stored notifications, keeping the newest', () => {
    const { inst, engine } = setup({ hqmax: 2 }, { reachable: () => false });
    for (const v of [21, 22, 23]) inst.set(5700, v);
    assert.equal(engine.storedCount(1), 2);
  });

  test('without notification storing, offline notifications are dropped', () => {
    const { inst, engine } = setup({}, { reachable: () => false, store: false });
    inst.set(5700, 21);
    assert.equal(engine.storedCount(1), 0);
  });

  test('removed observations stop their timers', () => {
    const { clock, engine, sent } = setup({ pmax: 10 });
    engine.remove('k');
    clock.advance(60_000);
    assert.equal(sent.length, 0);
    assert.equal(clock.pendingTimers, 0);
  });

  test('deleting the observed instance ends the observation (gone)', () => {
    const { tree, engine, ended, sent } = setup();
    tree.delete(3303, 0);
    assert.deepEqual(ended, ['k']);
    assert.equal(engine.size, 0);
    assert.equal(sent.length, 0);
  });

  test('a pmax written after the observation started arms its timer', () => {
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

  test('a composite observation notifies all its paths when one changes', () => {
    const { inst, engine, tree } = setup();
    engine.remove('k');
    const got: ObservedContent[] = [];
    const paths = [SENSOR, Lwm2mPath.parse('/3303/0/5701')];
    inst.set(5701, 'Cel');
    engine.add(
      { key: 'c', ssid: 1, paths, composite: true, send: (c) => got.push(c) },
      paths.map((p) => tree.read(p)),
    );
    inst.set(5700, 30);
    assert.equal(got.length, 1);
    const nodes = got[0] as readonly { path: Lwm2mPath }[];
    assert.deepEqual(
      nodes.map((n) => n.path.toString()),
      ['/3303/0/5700', '/3303/0/5701'],
    );
  });
});
