// Issue 5 end to end: Information Reporting (LwM2M Core TS 1.1.1 sections 5.5 and 5.1.2) between
// our server and our client over UDP: notifications of client-side changes, the pmin / pmax /
// gt / lt / st rules driven by a ManualClock on the client (the network keeps real time), passive
// and active cancel (RFC 7641 section 3.6), Observe-Composite, and the observation's lifetime
// across a registration Update and a De-register.
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ContentFormat } from '../../src/content/ContentFormat.js';
import { validFormats } from '../../src/content/formatSelection.js';
import { declareInstance } from '../../src/client/declareInstance.js';
import type { Lwm2mNode, PathNode } from '../../src/lwm2m/Lwm2mNode.js';
import { ResponseCode } from '../../src/lwm2m/responses.js';
import { TEMPERATURE_1_1 } from '../../src/model/core/temperature.js';
import { ManualClock } from '../support/ManualClock.js';
import {
  startPair,
  until,
  VERSIONS,
  withTimeout,
  type Pair,
  type PairOptions,
  assertNoOpenHandles,
} from './support/e2e.js';

after(assertNoOpenHandles);
import { clientObservations, iterate, nextNotification, settle, valueOf } from './support/notifications.js';
import { NotificationCounter } from './support/notificationCounter.js';
import { TEST_OBJECT_ID as T } from './support/testObject.js';

const float = (value: number) => ({ type: 'float' as const, value });

describe('observations between our server and our client', () => {
  let pair: Pair | undefined;
  afterEach(async () => {
    await pair?.close();
    pair = undefined;
  });
  const start = async (o: PairOptions = {}): Promise<Pair> => (pair = await startPair(o));

  test('client-side changes arrive as decoded notifications', async () => {
    const { server, client, ep } = await start();
    const obs = server.observe(ep, '/3303/0/5700');
    const first = await obs.response;
    assert.equal(first.code, ResponseCode.CONTENT);
    assert.equal(valueOf(first.content), 21.5);
    const it = await iterate(obs);
    client.set('/3303/0/5700', float(23.25));
    assert.equal(valueOf(await nextNotification(it)), 23.25);
    client.set('/3303/0/5700', float(-4));
    const n = await nextNotification(it);
    assert.equal(valueOf(n), -4);
    assert.ok(n !== 'none' && typeof n.sequence === 'number');
  });

  test('pmin delays a change and pmax repeats an unchanged value (client ManualClock)', async () => {
    const clock = new ManualClock(Date.now());
    const counter = await NotificationCounter.bind();
    const { server, client, ep } = await start({ clientClock: clock, client: { transport: counter } });
    const wa = await server.writeAttributes(ep, '/3303/0/5700', { pmin: 10, pmax: 30 });
    assert.equal(wa.code, ResponseCode.CHANGED);
    const obs = server.observe(ep, '/3303/0/5700');
    assert.equal((await obs.response).code, ResponseCode.CONTENT);
    const it = await iterate(obs);
    const initial = counter.sent;
    clock.advance(2_000);
    client.set('/3303/0/5700', float(22));
    await settle();
    assert.equal(counter.sent, initial, 'held back until pmin');
    clock.advance(8_000);
    assert.equal(valueOf(await nextNotification(it)), 22, 'sent once pmin passed');
    clock.advance(29_000);
    await settle();
    assert.equal(counter.sent, initial + 1, 'nothing before pmax');
    clock.advance(1_000);
    assert.equal(valueOf(await nextNotification(it)), 22, 'pmax repeats the unchanged value');
    assert.equal(counter.sent, initial + 2);
  });

  test('st: only a change by at least the step notifies', async () => {
    const counter = await NotificationCounter.bind();
    const { server, client, ep } = await start({ client: { transport: counter } });
    await server.writeAttributes(ep, '/3303/0/5700', { st: 2 });
    const obs = server.observe(ep, '/3303/0/5700');
    await obs.response;
    const it = await iterate(obs);
    const initial = counter.sent;
    client.set('/3303/0/5700', float(22.5));
    await settle();
    assert.equal(counter.sent, initial, 'a step of 1 is below st');
    client.set('/3303/0/5700', float(23.6));
    assert.equal(valueOf(await nextNotification(it)), 23.6, 'a step of 2.1 from the last notified value');
  });

  test('gt / lt: only crossing a threshold notifies', async () => {
    const counter = await NotificationCounter.bind();
    const { server, client, ep } = await start({ client: { transport: counter } });
    await server.writeAttributes(ep, `/${T}/0/2`, { gt: 10, lt: 0 });
    const obs = server.observe(ep, `/${T}/0/2`);
    assert.equal(valueOf((await obs.response).content), 2.5);
    const it = await iterate(obs);
    const initial = counter.sent;
    client.set(`/${T}/0/2`, 5);
    await settle();
    assert.equal(counter.sent, initial, 'no threshold crossed');
    client.set(`/${T}/0/2`, 11);
    assert.equal(valueOf(await nextNotification(it)), 11, 'rose above gt');
    client.set(`/${T}/0/2`, 12);
    await settle();
    assert.equal(counter.sent, initial + 1, 'still above gt');
    client.set(`/${T}/0/2`, -1);
    assert.equal(valueOf(await nextNotification(it)), -1, 'fell below lt (and gt)');
  });

  test('passive cancel: the next notification is answered with RST and the client forgets the relation', async () => {
    const counter = await NotificationCounter.bind();
    const { server, client, ep } = await start({ client: { transport: counter } });
    const obs = server.observe(ep, '/3303/0/5700');
    await obs.response;
    assert.equal(clientObservations(client), 1);
    await obs.cancel();
    let notified = 0;
    server.on('notification', () => notified++);
    client.set('/3303/0/5700', float(30));
    await until(() => clientObservations(client) === 0, 2_000, 'client drops the observation after RST');
    const beforeForgotten = counter.sent;
    client.set('/3303/0/5700', float(31));
    await settle();
    assert.equal(counter.sent, beforeForgotten, 'a forgotten relation sends nothing');
    assert.equal(notified, 0);
  });

  test('active cancel: the client ends the relation at once', async () => {
    const { server, client, ep } = await start();
    const obs = server.observe(ep, '/3303/0/5700');
    await obs.response;
    assert.equal(clientObservations(client), 1);
    await obs.cancel({ active: true });
    assert.equal(obs.isEnded, true);
    await until(() => clientObservations(client) === 0, 2_000, 'client drops the observation');
  });

  test('observe-composite notifies changes of any of its paths', async () => {
    const { server, client, ep } = await start();
    const obs = server.observeComposite(ep, ['/3303/0/5700', `/${T}/0/1`], {
      format: ContentFormat.SENML_CBOR,
      requestFormat: ContentFormat.SENML_CBOR,
    });
    const first = await obs.response;
    assert.equal(first.code, ResponseCode.CONTENT, first.diagnostic);
    const it = await iterate(obs);
    client.set(`/${T}/0/1`, 77);
    const n = await nextNotification(it);
    assert.ok(n !== 'none' && Array.isArray(n.content), 'a composite notification');
    const at = (p: string) => (n.content as readonly PathNode[]).find((x) => x.path.toString() === p);
    assert.equal(valueOf(at(`/${T}/0/1`)?.node), 77);
    assert.equal(valueOf(at('/3303/0/5700')?.node), 21.5);
  });

  test('notifications continue after a registration Update', async () => {
    const { server, client, ep } = await start();
    const obs = server.observe(ep, '/3303/0/5700');
    await obs.response;
    const it = await iterate(obs);
    const updated = new Promise((r) => server.once('updated', r));
    client.tree.add(declareInstance(TEMPERATURE_1_1, 7, { 5700: 1 }));
    await updated;
    client.set('/3303/0/5700', float(40));
    assert.equal(valueOf(await nextNotification(it)), 40);
  });

  test('de-registration ends the observation on the server', async () => {
    const { server, client, ep } = await start();
    const obs = server.observe(ep, '/3303/0/5700');
    await obs.response;
    const it = await iterate(obs);
    const gone = new Promise<{ droppedObservations: readonly unknown[] }>((r) =>
      server.once('deregistered', r),
    );
    await client.stop();
    const e = await gone;
    assert.equal(e.droppedObservations.length, 1);
    assert.equal(obs.isEnded, true);
    assert.equal((await withTimeout(it.next(), 3_000, 'the ended iterator')).done, true);
  });
});

for (const version of VERSIONS) {
  describe(`notifications of a LwM2M ${version} client in every format`, () => {
    let pair: Pair;
    before(async () => {
      pair = await startPair({ version });
    });
    after(async () => pair.close());

    const targets = [
      { path: `/${T}/0/1`, shape: { level: 'resource', valueType: 'integer' } as const, instance: false },
      { path: `/${T}/0`, shape: { level: 'instance' } as const, instance: true },
      { path: `/${T}`, shape: { level: 'object' } as const, instance: true },
    ];
    for (const { path, shape, instance } of targets) {
      for (const format of validFormats(version, shape)) {
        test(`observe ${path} in ${format}: the notification is decoded`, async () => {
          const obs = pair.server.observe(pair.ep, path, { format });
          const first = await obs.response;
          assert.equal(first.code, ResponseCode.CONTENT, first.diagnostic);
          assert.equal(first.format, format);
          const it = await iterate(obs);
          pair.client.set(`/${T}/0/1`, 1000 + format);
          const n = await nextNotification(it);
          assert.ok(n !== 'none', 'a notification');
          assert.equal(n.format, format);
          const node = n.content as Lwm2mNode;
          const inst = node.kind === 'object' ? node.instances.find((i) => i.id === 0) : node;
          const leaf = instance && inst?.kind === 'instance' ? inst.resources.find((r) => r.id === 1) : node;
          assert.equal(valueOf(leaf), 1000 + format);
          await obs.cancel({ active: true });
        });
      }
    }
  });
}
