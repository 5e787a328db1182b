// Queue mode (Core TS 6.5) and Disable (E.2 resource 4) end to end with a manual clock: the
// client sleeps after the awake time, stores notifications while asleep, wakes with an Update
// and then delivers them; while asleep it receives nothing (its radio is off), and each message
// exchanged restarts the awake time; Disable de-registers and registers again after the Disable
// Timeout.
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CoapEndpoint } from '../../src/coap/CoapEndpoint.js';
import type { CoapResponse } from '../../src/coap/CoapResponse.js';
import { registeredResponse } from '../../src/binding/toUplinkResponse.js';
import { Lwm2mClient } from '../../src/client/Lwm2mClient.js';
import { declareInstance } from '../../src/client/declareInstance.js';
import { TEMPERATURE_1_1 } from '../../src/model/core/temperature.js';
import { makePeer } from '../../src/transport/Peer.js';
import { updateDelayMs } from '../../src/client/planRegistrationUpdate.js';
import { ManualClock } from '../support/ManualClock.js';
import { MemoryNetwork } from '../support/MemoryTransport.js';

const CLIENT = makePeer('10.0.0.1', 5683);
const text = (b: Uint8Array): string => new TextDecoder().decode(b);
const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

describe('queue mode and disable', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of closers.splice(0).reverse()) await c();
  });

  async function setup() {
    const net = new MemoryNetwork();
    const clock = new ManualClock();
    const server = new CoapEndpoint(net.bind('10.0.0.2'));
    const uplinks: string[] = [];
    const queries: string[][] = [];
    server.router.use('rd', (req) => {
      queries.push(req.query);
      uplinks.push(`${req.method === 4 ? 'DELETE' : 'POST'} /${req.path.join('/')}`);
      if (req.path.length === 1) return registeredResponse('q1');
      return { code: req.method === 4 ? 0x42 : 0x44 };
    });
    const client = new Lwm2mClient({
      endpoint: 'sleepy',
      transport: net.bind('10.0.0.1'),
      clock,
      queueMode: true,
      awakeTimeMs: 10_000,
      servers: [{ uri: 'coap://10.0.0.2:5683', ssid: 1, lifetime: 3600, disableTimeoutS: 30 }],
      objects: [declareInstance(TEMPERATURE_1_1, 0, { 5700: 20 })],
    });
    closers.push(async () => {
      await client.stop();
      await server.close();
    });
    await client.start();
    await settle();
    return { client, server, clock, uplinks, queries, net };
  }

  test('registers with Q, sleeps after the awake time, and delivers a stored notification after waking', async () => {
    const { client, server, clock, uplinks, queries } = await setup();
    assert.deepEqual(uplinks, ['POST /rd']);
    assert.deepEqual(queries[0], ['ep=sleepy', 'lt=3600', 'lwm2m=1.1', 'b=U', 'Q']);
    const obs = server.observe(CLIENT, { method: 'GET', path: '/3303/0/5700', accept: 0 });
    const it = obs[Symbol.asyncIterator]();
    assert.equal(text(((await it.next()).value as CoapResponse).payload), '20');
    const sleeping = new Promise<void>((r) => client.on('sleeping', () => r()));
    clock.advance(10_000);
    await sleeping;
    assert.equal(client.status()[0]!.reachable, false);
    client.set('/3303/0/5700', 25);
    await settle();
    assert.deepEqual(
      uplinks,
      ['POST /rd', 'POST /rd/q1'],
      'the stored notification woke the client with an Update',
    );
    const next = await it.next();
    assert.equal(text((next.value as CoapResponse).payload), '25');
    await obs.cancel();
  });

  test('Disable de-registers, then registers again after the Disable Timeout', async () => {
    const { server, clock, uplinks } = await setup();
    const res = await server.request(CLIENT, { method: 'POST', path: '/1/0/4' });
    assert.equal(res.code, 0x44);
    await settle();
    assert.deepEqual(uplinks, ['POST /rd', 'DELETE /rd/q1']);
    clock.advance(29_000);
    await settle();
    assert.equal(uplinks.length, 2);
    clock.advance(1_000);
    await settle();
    assert.deepEqual(uplinks, ['POST /rd', 'DELETE /rd/q1', 'POST /rd']);
  });

  test('a request arriving while asleep gets no answer and is not executed; after the next Update it is served', async () => {
    const { client, server, clock, uplinks, net } = await setup();
    const served: string[] = [];
    client.on('request', (e) => served.push(e.request?.kind ?? '?'));
    clock.advance(10_000);
    assert.equal(client.status()[0]!.reachable, false);
    const sentBefore = net.log.filter((d) => d.from.key === CLIENT.key).length;
    const abort = new AbortController();
    const write = server
      .request(CLIENT, {
        method: 'PUT',
        path: '/3303/0/5701',
        payload: new TextEncoder().encode('Cel'),
        contentFormat: 0,
        signal: abort.signal,
      })
      .catch(() => 'aborted');
    await settle();
    assert.equal(
      net.log.filter((d) => d.from.key === CLIENT.key).length,
      sentBefore,
      'no answer, not even an ACK',
    );
    assert.deepEqual(served, []);
    abort.abort();
    assert.equal(await write, 'aborted');
    // The lifetime Update wakes the client (Core TS 6.5); then the server's requests are served.
    clock.advance(updateDelayMs(3600)! - 10_000);
    await settle();
    assert.deepEqual(uplinks, ['POST /rd', 'POST /rd/q1']);
    assert.equal(client.status()[0]!.reachable, true);
    const res = await server.request(CLIENT, { method: 'GET', path: '/3303/0/5700', accept: 0 });
    assert.equal(text(res.payload), '20');
    assert.deepEqual(served, ['read']);
  });

  test('each message exchanged with the server restarts the awake time', async () => {
    const { client, server, clock } = await setup();
    let slept = 0;
    client.on('sleeping', () => slept++);
    clock.advance(6_000);
    const res = await server.request(CLIENT, { method: 'GET', path: '/3303/0/5700', accept: 0 });
    assert.equal(text(res.payload), '20');
    clock.advance(9_999);
    assert.equal(slept, 0, 'awake: under 10 s since the read');
    assert.equal(client.status()[0]!.reachable, true);
    clock.advance(1);
    assert.equal(slept, 1);
    assert.equal(client.status()[0]!.reachable, false);
  });
});
