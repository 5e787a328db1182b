// Issue 13 item 1 (server), Queue Mode over DTLS (Core TS 1.1.1 6.5): a read for a sleeping
// client registered over DTLS waits in the server's queue and goes out over the same DTLS session
// once the client is heard from again (here its Update for a new instance), without a new handshake.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { declareInstance } from '../../src/client/declareInstance.js';
import { ResponseCode } from '../../src/lwm2m/responses.js';
import { TEMPERATURE_1_1 } from '../../src/model/core/temperature.js';
import { valueOf } from '../integration/support/notifications.js';
import { dtlsClient, KEY1, registeredClient, securedServer } from './dtlsFixture.js';

test('a read queued for a sleeping DTLS client goes out over its session once it updates', async () => {
  const { server, dtlsPort } = await securedServer({ awakeWindowMs: 300 });
  const transport = await dtlsClient('id1', KEY1);
  const asleep = new Promise<void>((r) => server.once('sleeping', () => r()));
  const client = await registeredClient(server, 'dev1', transport, dtlsPort, {
    queueMode: true,
    awakeTimeMs: 300,
  });
  assert.equal((await server.getRegistration('dev1'))?.queueMode, true);
  await asleep;
  let answered = false;
  const read = server.read('dev1', '/3/0/0', { timeoutMs: 10_000 }).then((r) => ((answered = true), r));
  await new Promise((r) => setImmediate(r));
  assert.equal(answered, false, 'queued while the client sleeps');
  client.tree.add(declareInstance(TEMPERATURE_1_1, 1, { 5700: 5 })); // an Update: the client wakes
  const res = await read;
  assert.equal(res.code, ResponseCode.CONTENT);
  assert.equal(valueOf(res.content), 'lwm2m-ts');
  assert.equal(transport.stats.handshakesCompleted, 1, 'the queued read used the existing session');
});
