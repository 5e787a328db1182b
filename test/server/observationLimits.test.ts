// Issue 12, item 4: observations per client and notifications per second are bounded. The client
// is a raw UDP peer sending exact notifications.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Code, OptionNumber } from '../../src/coap/CoapMessage.js';
import { encodeUint, getObserve } from '../../src/coap/options.js';
import { ContentFormat } from '../../src/content/ContentFormat.js';
import type { Lwm2mServerOptions } from '../../src/server/Lwm2mServerOptions.js';
import { contentFormat } from '../support/ScriptedClient.js';
import { settle, startServer } from './serverFixture.js';

const observeOpt = (n: number) => ({ number: OptionNumber.OBSERVE, value: encodeUint(n) });

async function observing(options: Lwm2mServerOptions) {
  const s = await startServer(options);
  await s.client.register(['ep=obs', 'lt=300', 'lwm2m=1.1'], '</1/0>,</3/0>,</3303/0>,</3303/1>');
  return s;
}

test('observations per client are bounded: one more is refused locally, nothing is sent', async () => {
  const s = await observing({ limits: { maxObservationsPerClient: 1 } });
  const first = s.server.observe('obs', '/3303/0/5700');
  const req = await s.client.nextRequest();
  assert.equal(getObserve(req), 0);
  // Refused while the first is still being established, and after it was accepted.
  const early = await s.server.observe('obs', '/3303/1/5700').response;
  assert.deepEqual([early.ok, early.failure], [false, 'limit']);
  await s.client.respond(req, Code.CONTENT, '20.5', [observeOpt(1), contentFormat(ContentFormat.TEXT)]);
  assert.equal((await first.response).ok, true);
  const late = await s.server.observe('obs', '/3303/1/5700').response;
  assert.equal(late.failure, 'limit');
  await settle();
  assert.equal(s.client.peer.pending, 0, 'no Observe went out for the refused ones');
  assert.deepEqual(s.server.limits().observationsPerClient, { max: 1, usage: 1, hits: 2 });
  // Once the first ends, there is room again.
  await first.cancel();
  s.server.observe('obs', '/3303/1/5700');
  assert.equal(getObserve(await s.client.nextRequest()), 0);
});

test('notifications over maxNotificationsPerSecond are dropped undecoded; the relation stands', async () => {
  const s = await observing({ limits: { maxNotificationsPerSecond: 3 } });
  const obs = s.server.observe('obs', '/3303/0/5700');
  const req = await s.client.nextRequest();
  await s.client.respond(req, Code.CONTENT, '20', [observeOpt(1), contentFormat(ContentFormat.TEXT)]);
  await obs.response;
  for (let i = 2; i < 12; i++) await s.client.notify(req.token, i, String(20 + i), ContentFormat.TEXT);
  for (let i = 0; i < 50 && s.server.limits().notificationRate.hits < 7; i++) await settle();
  assert.equal(s.named('notification').length, 3);
  assert.equal(s.server.limits().notificationRate.hits, 7);
  // A second later the bucket has refilled: the next notification is delivered.
  s.clock.advance(1_000);
  await s.client.notify(req.token, 12, '32', ContentFormat.TEXT);
  for (let i = 0; i < 50 && s.named('notification').length < 4; i++) await settle();
  assert.equal(s.named('notification').length, 4);
});
