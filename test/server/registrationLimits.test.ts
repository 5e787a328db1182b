// Issue 12, item 1: registrations cannot exhaust memory. Hostile Registers from raw UDP peers (not
// our client) meet each bound: the right CoAP code (5.03 + Max-Age, or 4.13) and nothing changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OptionNumber, formatCode, type CoapMessage } from '../../src/coap/CoapMessage.js';
import { decodeUint, getOption } from '../../src/coap/options.js';
import type { LimitEvent } from '../../src/binding/LimitCounters.js';
import type { ServerLimitName } from '../../src/server/ServerLimits.js';
import { Code } from '../../src/coap/CoapMessage.js';
import { decodeMessage, encodeMessage } from '../../src/coap/messageCodec.js';
import { contentFormat, requestMessage, ScriptedClient } from '../support/ScriptedClient.js';
import { RawCoapPeer } from '../support/RawCoapPeer.js';
import { settle, startServer } from './serverFixture.js';
import { MemoryRegistrationStore } from '../../src/store/memory/MemoryRegistrationStore.js';
import type { Registration } from '../../src/lwm2m/Registration.js';
import type { RegistrationAddResult } from '../../src/store/RegistrationStore.js';

const maxAge = (m: CoapMessage): number | undefined => {
  const v = getOption(m, OptionNumber.MAX_AGE);
  return v === undefined ? undefined : decodeUint(v);
};
const code = (m: CoapMessage): string => formatCode(m.code);

async function limited(limits: Parameters<typeof startServer>[0]) {
  const s = await startServer(limits);
  const limitEvents: LimitEvent<ServerLimitName>[] = [];
  s.server.on('limit', (e) => void limitEvents.push(e));
  return { ...s, limitEvents };
}

test('a Register over maxRegistrations gets 5.03 with Max-Age and changes nothing; a re-Register passes', async () => {
  const s = await limited({ limits: { maxRegistrations: 2, registrationRetryAfterS: 30 } });
  assert.equal(code((await s.client.register(['ep=a'])).res), '2.01');
  assert.equal(code((await s.client.register(['ep=b'])).res), '2.01');
  const { res } = await s.client.register(['ep=c']);
  assert.equal(code(res), '5.03');
  assert.equal(maxAge(res), 30);
  assert.equal(await s.server.config.store.size(), 2);
  assert.equal(await s.server.getRegistration('c'), undefined);
  // The same endpoint registering again replaces its registration: no growth, accepted.
  assert.equal(code((await s.client.register(['ep=a'])).res), '2.01');
  await settle();
  assert.equal(s.named('registered').length, 3);
  assert.deepEqual(s.server.limits().registrations, { max: 2, usage: 2, hits: 1 });
  assert.deepEqual(
    s.limitEvents.map((e) => [e.limit, e.hits, e.total, e.source]),
    [['registrations', 1, 1, '127.0.0.1']],
  );
});

/** A memory store whose writes take 20 ms to land (as a durable store's wait for its disk). */
class SlowStore extends MemoryRegistrationStore {
  override async add(reg: Registration): Promise<RegistrationAddResult> {
    await new Promise((resolve) => setTimeout(resolve, 20));
    return super.add(reg);
  }
}

test('concurrent Registers still waiting for their writes count against maxRegistrations', async () => {
  const withoutSizeNow = new SlowStore();
  // the path of a store that can only count asynchronously
  (withoutSizeNow as { sizeNow?: unknown }).sizeNow = undefined;
  for (const [what, store] of [
    ['sizeNow', new SlowStore()],
    ['size() only', withoutSizeNow],
  ] as const) {
    const s = await limited({ store, limits: { maxRegistrations: 2 } });
    const clients = await Promise.all([0, 1, 2, 3, 4].map(() => ScriptedClient.open(s.target)));
    try {
      const answers = await Promise.all(clients.map((c, i) => c.register([`ep=c${i}`])));
      assert.deepEqual(
        answers.map((a) => code(a.res)).sort(),
        ['2.01', '2.01', '5.03', '5.03', '5.03'],
        what,
      );
      assert.equal(await store.size(), 2, what);
      assert.equal(s.server.limits().registrations.hits, 3, what);
    } finally {
      for (const c of clients) await c.close();
      await s.close();
    }
  }
});

test('Registers per source address are rate limited (token bucket): 5.03 with the wait as Max-Age', async () => {
  const s = await limited({
    limits: { registrationsPerSecondPerSource: 0.5, registrationBurstPerSource: 2 },
  });
  assert.equal(code((await s.client.register(['ep=a'])).res), '2.01');
  assert.equal(code((await s.client.register(['ep=b'])).res), '2.01');
  const { res } = await s.client.register(['ep=c']);
  assert.equal(code(res), '5.03');
  assert.equal(maxAge(res), 2, 'one token comes back in 2 s');
  assert.equal(await s.server.getRegistration('c'), undefined);
  // Another source address is not affected.
  const other = await RawCoapPeer.open('127.0.0.2');
  try {
    const register = requestMessage(Code.POST, '/rd', ['ep=d'], '</1/0>', [contentFormat(40)]);
    await other.send(encodeMessage(register), s.target);
    assert.equal(code(decodeMessage((await other.next()).bytes)), '2.01');
  } finally {
    await other.close();
  }
  s.clock.advance(2_000);
  assert.equal(code((await s.client.register(['ep=c'])).res), '2.01');
  assert.equal(s.server.limits().registrationRate.hits, 1);
});

test('a Register that would keep more than maxRegistrationBytes gets 4.13, and so does such an Update', async () => {
  const s = await limited({ limits: { maxRegistrationBytes: 4_000 } });
  const many = Array.from({ length: 60 }, (_, i) => `</${1000 + i}/0>`).join(',');
  const { res } = await s.client.register(['ep=big'], many);
  assert.equal(code(res), '4.13');
  assert.equal(await s.server.config.store.size(), 0);
  const { id } = await s.client.register(['ep=small'], '</1/0>,</3/0>');
  const before = await s.server.getRegistration('small');
  assert.equal(code(await s.client.update(id!, [], many)), '4.13');
  assert.equal(await s.server.getRegistration('small'), before, 'the registration stays as it was');
  assert.equal(s.server.limits().registrationBytes.hits, 2);
});

test('limit events are rate limited: one per limit per interval, carrying the hits since the last', async () => {
  const s = await limited({ limits: { maxRegistrations: 1 } });
  await s.client.register(['ep=a']);
  for (let i = 0; i < 10; i++) assert.equal(code((await s.client.register([`ep=x${i}`])).res), '5.03');
  assert.equal(s.limitEvents.length, 1);
  s.clock.advance(1_000);
  await s.client.register(['ep=y']);
  assert.deepEqual(
    s.limitEvents.map((e) => [e.hits, e.total]),
    [
      [1, 1],
      [10, 11],
    ],
  );
  assert.equal(s.server.limits().registrations.hits, 11);
});

test('limits() lists every bound with its maximum, usage and hits', async () => {
  const s = await limited({});
  const limits = s.server.limits();
  assert.deepEqual(Object.keys(limits).sort(), [
    'blockwiseBytes',
    'blockwisePerSource',
    'notificationRate',
    'observationsPerClient',
    'peers',
    'registrationBytes',
    'registrationRate',
    'registrations',
    'udpReceiveBuffer',
  ]);
  assert.equal(limits.registrations.max, 100_000);
  assert.equal(limits.blockwiseBytes.max, 32 * 1024 * 1024);
  assert.ok(Object.values(limits).every((l) => l.hits === 0));
});
