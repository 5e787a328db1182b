// Core TS 1.1.1 6.1 and 6.2.1.1: a client whose Bootstrap-Request is refused or unanswered, with
// no server account to fall back on, is not stranded: each failed attempt is reported (code,
// diagnostic or timeout, and when the next is due) and the request is sent again with back-off.
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { registeredResponse } from '../../../src/binding/toUplinkResponse.js';
import { toCoapRequest } from '../../../src/binding/toCoapRequest.js';
import type { AttemptFailure } from '../../../src/client/attemptFailure.js';
import { Lwm2mClient, type Lwm2mClientOptions } from '../../../src/client/Lwm2mClient.js';
import { CoapEndpoint } from '../../../src/coap/CoapEndpoint.js';
import { securityInstanceNode, serverInstanceNode } from '../../../src/lwm2m/bootstrapNodes.js';
import { bootstrapFinish, bootstrapWrite } from '../../../src/lwm2m/requests.js';
import { createCoreRegistry } from '../../../src/model/core/coreModels.js';
import { makePeer } from '../../../src/transport/Peer.js';
import { ManualClock } from '../../support/ManualClock.js';
import { flush, MemoryNetwork } from '../../support/MemoryTransport.js';

const CLIENT = makePeer('10.0.0.1', 5683);
const models = createCoreRegistry();

describe('Bootstrap-Request retry', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of closers.splice(0).reverse()) await c();
  });

  async function setup(extra: Partial<Lwm2mClientOptions> = {}) {
    const clock = new ManualClock(0);
    const net = new MemoryNetwork();
    const bs = new CoapEndpoint(net.bind('10.0.0.5', 5783));
    const state = { answer: 0xa3, requests: 0 };
    bs.router.use('bs', () => {
      state.requests++;
      return state.answer === 0x44
        ? { code: 0x44 }
        : { code: state.answer, payload: new TextEncoder().encode('maintenance') };
    });
    const lwm2m = new CoapEndpoint(net.bind('10.0.0.2'));
    lwm2m.router.use('rd', (req) => (req.method === 0x02 ? registeredResponse('r1') : { code: 0x42 }));
    const client = new Lwm2mClient({
      clock,
      endpoint: 'bs-retry',
      transport: net.bind('10.0.0.1'),
      bootstrapServer: { uri: 'coap://10.0.0.5:5783' },
      ...extra,
    });
    const failures: AttemptFailure[] = [];
    client.on('bootstrapAttemptFailed', (f) => void failures.push(f));
    closers.push(async () => {
      await client.stop();
      await bs.close();
      await lwm2m.close();
    });
    return { clock, net, client, state, failures, bs };
  }

  const until = async (pred: () => boolean): Promise<void> => {
    for (let i = 0; i < 100 && !pred(); i++) await flush();
    assert.ok(pred(), 'condition reached');
  };

  test('a refused Bootstrap-Request is reported and sent again after 60 s, then 120 s', async () => {
    const { clock, client, state, failures, bs } = await setup();
    await client.start();
    await until(() => failures.length === 1);
    assert.deepEqual(failures[0], {
      operation: 'bootstrap',
      reason: 'Bootstrap-Request answered 5.03: maintenance',
      code: 0xa3,
      diagnostic: 'maintenance',
      retryInMs: 60_000,
    });
    await clock.advanceAsync(59_999);
    assert.equal(state.requests, 1);
    await clock.advanceAsync(1);
    await until(() => failures.length === 2);
    assert.equal(state.requests, 2);
    assert.equal(failures[1]!.retryInMs, 120_000);
    state.answer = 0x44; // the Bootstrap-Server is back
    await clock.advanceAsync(120_000);
    await until(() => client.bootstrapState === 'running');
    const security = securityInstanceNode(1, {
      uri: 'coap://10.0.0.2:5683',
      bootstrapServer: false,
      securityMode: 'nosec',
      shortServerId: 7,
    });
    const send = (r: Parameters<typeof toCoapRequest>[0]) =>
      bs.request(CLIENT, toCoapRequest(r, { models, lwm2mVersion: '1.1' }));
    assert.equal((await send(bootstrapWrite('/0/1', security))).code, 0x44);
    const server = serverInstanceNode(0, { shortServerId: 7, lifetime: 300, binding: 'U' });
    assert.equal((await send(bootstrapWrite('/1/0', server))).code, 0x44);
    const registered = new Promise<void>((r) => client.on('registered', () => r()));
    assert.equal((await send(bootstrapFinish())).code, 0x44);
    await registered;
    assert.equal(state.requests, 3);
  });

  test('an unanswered Bootstrap-Request is reported as a timeout and retried', async () => {
    const { clock, client, net, state, failures } = await setup({ requestTimeoutMs: 5_000 });
    net.fate = () => 'drop';
    await client.start();
    await flush();
    await clock.advanceAsync(5_000, 1_000);
    await until(() => failures.length === 1);
    assert.equal(failures[0]!.timedOut, true);
    assert.equal(failures[0]!.retryInMs, 60_000);
    assert.match(failures[0]!.reason, /^Bootstrap-Request got no answer/);
    net.fate = () => 'deliver';
    state.answer = 0x44;
    await clock.advanceAsync(60_000, 10_000);
    await until(() => state.requests === 1);
    assert.equal(client.bootstrapState, 'running');
  });

  test('gives up when the configured retries are exhausted', async () => {
    const { clock, client, state, failures } = await setup({
      bootstrapRetry: { retryCount: 2, retryTimerS: 10, sequenceRetryCount: 1 },
    });
    await client.start();
    await until(() => failures.length === 1);
    await clock.advanceAsync(10_000);
    await until(() => failures.length === 2);
    assert.equal(failures[1]!.retryInMs, undefined, 'no further attempt');
    await clock.advanceAsync(1_000_000, 100_000);
    assert.equal(state.requests, 2);
    assert.equal(client.bootstrapState, 'failed');
  });
});
