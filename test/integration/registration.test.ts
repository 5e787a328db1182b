// Issue 5 end to end: the Client Registration Interface (LwM2M Core TS 1.1.1 section 6.2) between
// our server and our client over UDP: Register with objects and versions, Update on a new
// instance, expiry when Updates stop (server ManualClock), re-Register after an Update answered
// 4.04, De-register on stop, and Queue Mode (Transport TS 1.1.1 section 6.5 / Core TS 6.2.2)
// with a request queued while the client sleeps and delivered when it next updates.
import { after, afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { declareInstance } from '../../src/client/declareInstance.js';
import { ResponseCode } from '../../src/lwm2m/responses.js';
import { TEMPERATURE_1_1 } from '../../src/model/core/temperature.js';
import type { RegistrationEndedEvent, UpdatedEvent } from '../../src/server/Lwm2mServerEvents.js';
import { ManualClock } from '../support/ManualClock.js';
import { waitUntil } from '../support/waitUntil.js';
import { startPair, withTimeout, type Pair, type PairOptions, assertNoOpenHandles } from './support/e2e.js';

after(assertNoOpenHandles);
import { TEST_OBJECT_ID as T } from './support/testObject.js';

const once = <E>(emitter: { once(name: string, fn: (e: E) => void): unknown }, name: string, ms = 3_000) =>
  withTimeout(new Promise<E>((r) => emitter.once(name, r)), ms, `event ${name}`);

describe('registration between our server and our client', () => {
  let pair: Pair | undefined;
  afterEach(async () => {
    await pair?.close();
    pair = undefined;
  });
  const start = async (o: PairOptions = {}): Promise<Pair> => (pair = await startPair(o));

  for (const version of ['1.0', '1.1', '1.2'] as const) {
    test(`a ${version} client registers with its objects, instances and versions`, async () => {
      const { server, ep } = await start({ version });
      const reg = (await server.getRegistration(ep))!;
      assert.equal(reg.lwm2mVersion, version);
      assert.equal(reg.lifetime, 300);
      const objects = reg.objectLinks.objects;
      assert.deepEqual(objects.get(3)?.instances, [0]);
      assert.deepEqual(objects.get(3303)?.instances, [0]);
      assert.deepEqual(objects.get(T)?.instances, [0]);
      // A 1.0 client sends no `ver` (object versioning is 1.1's): every object reads as 1.0.
      const announced = version === '1.0' ? '1.0' : TEMPERATURE_1_1.version;
      assert.equal(objects.get(3303)?.version ?? '1.0', announced);
      if (version !== '1.0') assert.ok(reg.objectLinks.contentFormats.length > 0, 'ct announced');
    });
  }

  test('a new client-side instance causes an Update with the new object list', async () => {
    const { server, client, ep } = await start();
    const updated = once<UpdatedEvent>(server, 'updated');
    client.tree.add(declareInstance(TEMPERATURE_1_1, 4, { 5700: 3 }));
    const e = await updated;
    assert.deepEqual(e.registration.objectLinks.objects.get(3303)?.instances, [0, 4]);
    assert.equal((await server.read(ep, '/3303/4/5700')).code, ResponseCode.CONTENT);
  });

  test('the registration expires when the client stops updating (server ManualClock)', async () => {
    const serverClock = new ManualClock(Date.now());
    // The client's own clock never moves, so it never sends an Update.
    const { server, ep } = await start({
      lifetime: 60,
      clientClock: new ManualClock(0),
      server: { clock: serverClock, expiryGraceMs: 5_000, expirySweepIntervalMs: 1_000 },
    });
    const expired = once<RegistrationEndedEvent>(server, 'expired');
    // Step by step, so each sweep's (promise-only) store work ends before the next timer and
    // before the assertion: no real-time wait is needed to know the sweeps have run.
    await serverClock.advanceAsync(60_000, 1_000);
    assert.ok(await server.getRegistration(ep), 'still registered within lifetime + grace');
    await serverClock.advanceAsync(7_000, 1_000);
    const e = await expired;
    assert.equal(e.registration.endpoint, ep);
    assert.equal(await server.getRegistration(ep), undefined);
  });

  test('an Update answered 4.04 makes the client Register again', async () => {
    const { server, client, ep } = await start();
    const first = (await server.getRegistration(ep))!;
    await server.config.store.remove(first.id);
    const again = once<{ registration: { id: string; endpoint: string } }>(server, 'registered');
    client.tree.add(declareInstance(TEMPERATURE_1_1, 5, { 5700: 3 }));
    const e = await again;
    assert.equal(e.registration.endpoint, ep);
    assert.notEqual(e.registration.id, first.id);
    assert.equal((await server.read(ep, '/3303/5/5700')).code, ResponseCode.CONTENT);
  });

  test('client.stop() de-registers', async () => {
    const { server, client, ep } = await start();
    const gone = once<RegistrationEndedEvent>(server, 'deregistered');
    await client.stop();
    assert.equal((await gone).registration.endpoint, ep);
    assert.equal(await server.getRegistration(ep), undefined);
  });

  test('queue mode: a read for a sleeping client is delivered after its next Update', async () => {
    const { server, client, ep } = await start({
      client: { queueMode: true, awakeTimeMs: 150 },
      server: { awakeWindowMs: 150 },
    });
    const reg = (await server.getRegistration(ep))!;
    assert.equal(reg.queueMode, true);
    await once(server, 'sleeping');
    assert.equal(server.isAwake((await server.getRegistration(ep))!), false);
    // Order of what happens, not elapsed time: the read is queued, and settles only after the
    // client has been heard from again.
    const order: string[] = [];
    const read = server.read(ep, '/3/0/0').finally(() => order.push('read settled'));
    const queue = (server as unknown as { queue: { queuedFor(id: string): number } }).queue;
    await waitUntil(() => queue.queuedFor(reg.id) === 1 || order.length > 0, 'the read to be queued');
    assert.equal(order.join(), '', 'the read waits while the client sleeps');
    assert.equal(queue.queuedFor(reg.id), 1);
    const awake = once<unknown>(server, 'awake').then(() => order.push('awake'));
    client.tree.add(declareInstance(TEMPERATURE_1_1, 6, { 5700: 3 }));
    await awake;
    const res = await withTimeout(read, 3_000, 'queued read');
    assert.equal(res.code, ResponseCode.CONTENT, res.diagnostic);
    assert.deepEqual(order, ['awake', 'read settled']);
  });
});
