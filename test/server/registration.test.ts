// Registration interface (Core TS 6.2, Transport TS 6.3) against a raw CoAP client sending exact bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Code, formatCode } from '../../src/coap/CoapMessage.js';
import { decodeMessage } from '../../src/coap/messageCodec.js';
import { getLocationPath } from '../../src/coap/options.js';
import { sequentialRegistrationIds } from '../../src/lwm2m/registrationId.js';
import type {
  RegisteredEvent,
  RegistrationEndedEvent,
  UpdatedEvent,
} from '../../src/server/Lwm2mServerEvents.js';
import { hex, matchesHex, toHexString } from '../support/RawCoapPeer.js';
import { ScriptedClient, contentFormat, requestMessage } from '../support/ScriptedClient.js';
import { settle, startServer } from './serverFixture.js';

const text = (b: Uint8Array): string => new TextDecoder().decode(b);
const ascii = (s: string): string => Buffer.from(s).toString('hex');

test('answers a Register sent as exact bytes with 2.01 and Location-Path rd/{id}', async () => {
  const s = await startServer();
  // CON POST, MID 0x1234, token 0xabcd; Uri-Path "rd"; Content-Format 40; Uri-Query ep, lt, lwm2m, b.
  const request =
    '4202 1234 abcd' +
    'b2' +
    ascii('rd') +
    '11 28' +
    '38' +
    ascii('ep=node1') +
    '05' +
    ascii('lt=60') +
    '09' +
    ascii('lwm2m=1.1') +
    '03' +
    ascii('b=U') +
    'ff' +
    ascii('</1/0>,</3/0>');
  await s.client.peer.send(hex(request), s.target);
  const reply = await s.client.peer.next();
  // ACK 2.01, same MID and token, Location-Path "rd" then the 14-character id (length 13 + 1).
  assert.ok(
    matchesHex(reply.bytes, '6241 1234 abcd 82' + ascii('rd') + '0d01' + '..'.repeat(14)),
    toHexString(reply.bytes),
  );
  const id = getLocationPath(decodeMessage(reply.bytes))[1]!;
  assert.match(id, /^[A-Za-z0-9_-]{14}$/);
  await settle();
  const [e] = s.named('registered') as RegisteredEvent[];
  assert.equal(e?.registration.id, id);
  assert.equal(e?.registration.endpoint, 'node1');
  assert.equal(e?.registration.lifetime, 60);
  assert.equal(e?.registration.lwm2mVersion, '1.1');
  assert.deepEqual([...e!.registration.objectLinks.objects.keys()], [1, 3]);
  assert.equal((await s.server.getRegistration('node1'))?.id, id);
  await s.close();
});

test('gives every registration a different unguessable id', async () => {
  const s = await startServer();
  const ids = new Set<string>();
  for (let i = 0; i < 5; i++) {
    const { id } = await s.client.register([`ep=n${i}`, 'lt=60', 'lwm2m=1.1']);
    assert.match(id!, /^[A-Za-z0-9_-]{14}$/);
    ids.add(id!);
  }
  assert.equal(ids.size, 5);
  await s.close();
});

test('keeps the alternate root path, content formats and object versions of the payload', async () => {
  const s = await startServer();
  const links =
    '</lwm2m>;rt="oma.lwm2m";ct="60 110 112 11542",</lwm2m/1/0>,</lwm2m/3/0>,</lwm2m/3303>;ver=1.1';
  const { res } = await s.client.register(['ep=rooted', 'lt=300', 'lwm2m=1.1', 'b=U', 'Q'], links);
  assert.equal(res.code, Code.CREATED);
  const reg = await s.server.getRegistration('rooted');
  assert.equal(reg?.objectLinks.rootPath, '/lwm2m');
  assert.deepEqual(reg?.objectLinks.contentFormats, [60, 110, 112, 11542]);
  assert.equal(reg?.objectLinks.objects.get(3303)?.version, '1.1');
  assert.equal(reg?.queueMode, true);
  await s.close();
});

const malformed: {
  name: string;
  query: string[];
  payload: string | Uint8Array;
  code: number;
  diagnostic: RegExp;
}[] = [
  {
    name: 'a missing ep',
    query: ['lt=60', 'lwm2m=1.1'],
    payload: '</1/0>',
    code: Code.BAD_REQUEST,
    diagnostic: /ep is missing/,
  },
  {
    name: 'a non-numeric lifetime',
    query: ['ep=x', 'lt=abc', 'lwm2m=1.1'],
    payload: '</1/0>',
    code: Code.BAD_REQUEST,
    diagnostic: /lifetime/,
  },
  {
    name: 'lifetime 0 from a 1.1 client',
    query: ['ep=x', 'lt=0', 'lwm2m=1.1'],
    payload: '</1/0>',
    code: Code.BAD_REQUEST,
    diagnostic: /lt=0/,
  },
  {
    name: 'a bad link format',
    query: ['ep=x', 'lt=60', 'lwm2m=1.1'],
    payload: '</1/0,</3/0>',
    code: Code.BAD_REQUEST,
    diagnostic: /payload/,
  },
  {
    name: 'no payload',
    query: ['ep=x', 'lt=60', 'lwm2m=1.1'],
    payload: '',
    code: Code.BAD_REQUEST,
    diagnostic: /payload/,
  },
  {
    name: 'an unknown LwM2M version',
    query: ['ep=x', 'lwm2m=9.9'],
    payload: '</1/0>',
    code: Code.PRECONDITION_FAILED, // Transport TS 1.1.1 Table 6.7-2
    diagnostic: /version/,
  },
  {
    name: 'a payload that is not UTF-8',
    query: ['ep=x', 'lwm2m=1.1'],
    payload: Uint8Array.of(0x3c, 0xff, 0xfe, 0x3e),
    code: Code.BAD_REQUEST,
    diagnostic: /UTF-8/,
  },
  {
    name: 'a huge payload',
    query: ['ep=x', 'lwm2m=1.1'],
    payload: '</1/0>,'.repeat(200) + '</3/0>',
    code: Code.REQUEST_ENTITY_TOO_LARGE,
    diagnostic: /limit/,
  },
];

for (const m of malformed) {
  test(`answers a Register with ${m.name} with ${formatCode(m.code)} and a diagnostic, changing nothing`, async () => {
    const s = await startServer({ registrationLimits: { maxPayloadLength: 1000 } });
    await s.client.register(['ep=keep', 'lt=60', 'lwm2m=1.1']);
    const before = await s.server.config.store.size();
    const res = await s.client.exchange(
      requestMessage(Code.POST, '/rd', m.query, m.payload, [contentFormat(40)]),
    );
    assert.equal(formatCode(res.code), formatCode(m.code));
    assert.match(text(res.payload), m.diagnostic);
    assert.deepEqual(getLocationPath(res), []);
    await settle();
    assert.equal(await s.server.config.store.size(), before);
    assert.equal(s.named('registered').length, 1);
    await s.close();
  });
}

test('applies an Update with only the changed parameters and answers 2.04', async () => {
  const s = await startServer();
  const { id } = await s.client.register(['ep=up', 'lt=60', 'lwm2m=1.1', 'b=U']);
  s.clock.advance(10_000);
  const res = await s.client.update(id!, ['lt=120']);
  assert.equal(res.code, Code.CHANGED);
  const reg = await s.server.getRegistration('up');
  assert.equal(reg?.lifetime, 120);
  assert.equal(reg?.binding.raw, 'U');
  assert.equal(reg?.expiresAt, s.clock.now() + 120_000);
  await settle();
  const [e] = s.named('updated') as UpdatedEvent[];
  assert.equal(e?.previous.lifetime, 60);
  assert.deepEqual(Object.keys(e!.update), ['lifetime']);
  await s.close();
});

test('takes the new address of an Update sent after a NAT rebinding', async () => {
  const s = await startServer();
  const { id } = await s.client.register(['ep=nat', 'lt=60', 'lwm2m=1.1']);
  const moved = await ScriptedClient.open(s.target);
  assert.equal((await moved.update(id!)).code, Code.CHANGED);
  const reg = await s.server.getRegistration('nat');
  assert.equal(reg?.peer.port, moved.peer.address.port);
  assert.notEqual(reg?.peer.port, s.client.peer.address.port);
  await moved.close();
  await s.close();
});

test('answers an Update or De-register of an unknown id with 4.04', async () => {
  const s = await startServer();
  assert.equal((await s.client.update('nope')).code, Code.NOT_FOUND);
  assert.equal((await s.client.deregister('nope')).code, Code.NOT_FOUND);
  await s.close();
});

test('answers a malformed Update with 4.00 and keeps the registration as it was', async () => {
  const s = await startServer();
  const { id } = await s.client.register(['ep=mal', 'lt=60', 'lwm2m=1.1']);
  const before = await s.server.getRegistration('mal');
  const res = await s.client.update(id!, ['lt=-5']);
  assert.equal(res.code, Code.BAD_REQUEST);
  assert.match(text(res.payload), /lifetime/);
  assert.deepEqual(await s.server.getRegistration('mal'), before);
  await s.close();
});

test('de-registers with 2.02, emits deregistered and forgets the client', async () => {
  const s = await startServer();
  const { id } = await s.client.register(['ep=bye', 'lt=60', 'lwm2m=1.1']);
  assert.equal((await s.client.deregister(id!)).code, Code.DELETED);
  await settle();
  assert.equal(await s.server.getRegistration('bye'), undefined);
  const [e] = s.named('deregistered') as RegistrationEndedEvent[];
  assert.equal(e?.registration.id, id);
  assert.equal((await s.client.deregister(id!)).code, Code.NOT_FOUND);
  await s.close();
});

test('replaces the registration of an endpoint that registers again', async () => {
  const s = await startServer({ registrationIds: sequentialRegistrationIds('r') });
  const first = await s.client.register(['ep=again', 'lt=60', 'lwm2m=1.1']);
  const second = await s.client.register(['ep=again', 'lt=90', 'lwm2m=1.1']);
  assert.equal(first.id, 'r1');
  assert.equal(second.id, 'r2');
  await settle();
  const events = s.named('registered') as RegisteredEvent[];
  assert.equal(events[1]?.previous?.id, 'r1');
  assert.equal((await s.server.getRegistration('again'))?.lifetime, 90);
  assert.equal((await s.client.update('r1')).code, Code.NOT_FOUND);
  assert.equal(await s.server.config.store.size(), 1);
  await s.close();
});

test('expires a registration once its lifetime and the grace period have passed', async () => {
  const s = await startServer({ expiryGraceMs: 5_000 });
  await s.client.register(['ep=old', 'lt=60', 'lwm2m=1.1']);
  await s.client.register(['ep=young', 'lt=600', 'lwm2m=1.1']);
  await s.clock.advanceAsync(64_000, 1_000);
  assert.ok(await s.server.getRegistration('old'), 'still inside the grace period');
  await s.clock.advanceAsync(2_000, 1_000);
  await settle();
  assert.equal(await s.server.getRegistration('old'), undefined);
  assert.ok(await s.server.getRegistration('young'));
  const expired = s.named('expired') as RegistrationEndedEvent[];
  assert.deepEqual(
    expired.map((e) => e.registration.endpoint),
    ['old'],
  );
  await s.close();
});

test('the grace period applies to each registration, not only to the earliest to expire', async () => {
  // Lifetimes end at staggered times; each is removed only once its own lifetime plus the grace
  // period has passed, even when a sweep that removes an earlier one runs inside its grace period.
  const s = await startServer({ expiryGraceMs: 5_000, expirySweepIntervalMs: 250 });
  await s.client.register(['ep=first', 'lt=60', 'lwm2m=1.1']);
  await s.client.register(['ep=second', 'lt=62', 'lwm2m=1.1']);
  await s.client.register(['ep=third', 'lt=66', 'lwm2m=1.1']);
  const present = async (): Promise<string[]> => {
    await settle();
    const eps = ['first', 'second', 'third'];
    const regs = await Promise.all(eps.map((ep) => s.server.getRegistration(ep)));
    return eps.filter((_, i) => regs[i] !== undefined);
  };
  await s.clock.advanceAsync(64_750, 250); // 60 + 5 s of grace have not passed yet for anyone
  assert.deepEqual(await present(), ['first', 'second', 'third']);
  await s.clock.advanceAsync(1_000, 250); // 65.75 s: only the first is past lifetime + grace
  assert.deepEqual(await present(), ['second', 'third']);
  await s.clock.advanceAsync(1_000, 250); // 66.75 s: the second is still inside its grace period
  assert.deepEqual(await present(), ['second', 'third']);
  await s.clock.advanceAsync(1_000, 250); // 67.75 s
  assert.deepEqual(await present(), ['third']);
  await s.clock.advanceAsync(3_000, 250); // 70.75 s: the third expires at 66 + 5 s
  assert.deepEqual(await present(), ['third']);
  await s.clock.advanceAsync(500, 250); // 71.25 s
  assert.deepEqual(await present(), []);
  assert.deepEqual(
    (s.named('expired') as RegistrationEndedEvent[]).map((e) => e.registration.endpoint),
    ['first', 'second', 'third'],
  );
  await s.close();
});

test('an Update before expiry restarts the lifetime', async () => {
  const s = await startServer({ expiryGraceMs: 0 });
  const { id } = await s.client.register(['ep=kept', 'lt=60', 'lwm2m=1.1']);
  await s.clock.advanceAsync(50_000, 1_000);
  assert.equal((await s.client.update(id!)).code, Code.CHANGED);
  await s.clock.advanceAsync(50_000, 1_000);
  assert.ok(await s.server.getRegistration('kept'));
  assert.equal(s.named('expired').length, 0);
  await s.close();
});

test('answers other methods on /rd with 4.05', async () => {
  const s = await startServer();
  const res = await s.client.exchange(requestMessage(Code.GET, '/rd'));
  assert.equal(res.code, Code.METHOD_NOT_ALLOWED);
  await s.close();
});
