import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBindingMode } from '../../src/lwm2m/bindingMode.js';
import { BadRequestError } from '../../src/lwm2m/errors.js';
import {
  DEFAULT_LIFETIME_S,
  isExpired,
  NEVER_EXPIRES,
  objectVersions,
  supportsObject,
} from '../../src/lwm2m/Registration.js';
import { RegistrationPayloadCache } from '../../src/lwm2m/RegistrationPayloadCache.js';
import {
  applyUpdate,
  newRegistration,
  parseRegisterRequest,
  parseUpdateRequest,
  UnsupportedLwm2mVersionError,
} from '../../src/lwm2m/registrationRequest.js';
import { randomRegistrationIds, sequentialRegistrationIds } from '../../src/lwm2m/registrationId.js';
import { makePeer } from '../../src/transport/Peer.js';

const peer = makePeer('192.0.2.10', 56830);
const PAYLOAD = '</1/0>,</2/0>,</2/1>,</3/0>,</5>';

/** Asserts that `fn` throws BadRequestError (4.00) whose message matches `pattern`. */
function rejects(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof BadRequestError, `expected BadRequestError, got ${String(e)}`);
    assert.equal(e.coapCode, 0x80);
    assert.match(e.message, pattern);
    return true;
  });
}

const register = (query: string[], payload = PAYLOAD) => parseRegisterRequest(query, payload, peer);

test('applies the defaults of Core TS 6.2.1 when only ep is sent: lt 86400, lwm2m 1.0, b=U', () => {
  const req = register(['ep=dev-1']);
  assert.equal(req.endpoint, 'dev-1');
  assert.equal(req.lifetime, DEFAULT_LIFETIME_S);
  assert.equal(req.lifetime, 86_400);
  assert.equal(req.lwm2mVersion, '1.0');
  assert.equal(req.binding.raw, 'U');
  assert.equal(req.binding.udp, true);
  assert.equal(req.binding.sms, false);
  assert.equal(req.queueMode, false);
  assert.equal(req.smsNumber, undefined);
  assert.deepEqual(req.additionalAttributes, {});
  assert.equal(req.peer, peer);
});

test('parses every Register parameter of a 1.1 client: ep, lt, lwm2m, b, sms, Q', () => {
  const req = register([
    'ep=urn:imei:490154203237518',
    'lt=300',
    'lwm2m=1.1',
    'b=US',
    'sms=+33612345678',
    'Q',
  ]);
  assert.equal(req.endpoint, 'urn:imei:490154203237518');
  assert.equal(req.lifetime, 300);
  assert.equal(req.lwm2mVersion, '1.1');
  assert.deepEqual(
    { ...req.binding },
    { raw: 'US', udp: true, tcp: false, sms: true, nonIp: false, queue: false },
  );
  assert.equal(req.smsNumber, '+33612345678');
  assert.equal(req.queueMode, true);
});

test('parses the spec payload example into objects and instances', () => {
  const req = register(['ep=a'], PAYLOAD);
  const objs = req.objectLinks.objects;
  assert.deepEqual([...objs.keys()], [1, 2, 3, 5]);
  assert.deepEqual(objs.get(2)!.instances, [0, 1]);
  assert.deepEqual(objs.get(5)!.instances, []);
  assert.equal(req.objectLinks.rootPath, '/');
});

test('reads an alternate root path from the rt="oma.lwm2m" link', () => {
  const req = register(
    ['ep=a'],
    '</lwm2m>;rt="oma.lwm2m",</lwm2m/1/101>,</lwm2m/1/102>,</lwm2m/2/0>,</lwm2m/3/0>,</lwm2m/5>',
  );
  assert.equal(req.objectLinks.rootPath, '/lwm2m');
  assert.deepEqual(req.objectLinks.objects.get(1)!.instances, [101, 102]);
});

test('reads content formats and object versions of a 1.1 payload', () => {
  const req = register(
    ['ep=a', 'lwm2m=1.1'],
    '</>;rt="oma.lwm2m";ct="60 110 112 11542 11543",</1>;ver=1.1,</1/0>,</3/0>,</3303>;ver=1.1,</3303/0>',
  );
  assert.deepEqual(req.objectLinks.contentFormats, [60, 110, 112, 11542, 11543]);
  const reg = newRegistration(req, 'r1', 1000);
  assert.deepEqual(
    objectVersions(reg),
    new Map([
      [1, '1.1'],
      [3303, '1.1'],
    ]),
  );
  assert.equal(supportsObject(reg, 3303), true);
  assert.equal(supportsObject(reg, 4), false);
});

test('keeps parameters the spec does not define as additional attributes', () => {
  const req = register(['ep=a', 'imei=1234', 'flag', '__proto__=x']);
  assert.deepEqual(Object.entries(req.additionalAttributes), [
    ['imei', '1234'],
    ['flag', ''],
    ['__proto__', 'x'],
  ]);
  assert.equal(Object.getPrototypeOf(req.additionalAttributes), Object.prototype);
  assert.ok(Object.isFrozen(req.additionalAttributes));
});

test('rejects a Register without ep, with an empty ep, or with a control character in ep', () => {
  rejects(() => register(['lt=60']), /ep is missing/);
  rejects(() => register(['ep=']), /ep is empty/);
  rejects(() => register(['ep']), /ep is empty/);
  rejects(() => register(['ep=a\u0000b']), /control character/);
  rejects(() => register(['ep=' + 'x'.repeat(257)]), /257 characters, over the limit of 256/);
});

test('rejects a lifetime that is not a positive integer or is out of range', () => {
  rejects(() => register(['ep=a', 'lt=abc']), /lt="abc" is not a non-negative integer/);
  rejects(() => register(['ep=a', 'lt=-5']), /not a non-negative integer/);
  rejects(() => register(['ep=a', 'lt=1.5']), /not a non-negative integer/);
  rejects(() => register(['ep=a', 'lt=']), /lt needs a value/);
  rejects(() => register(['ep=a', 'lt=0']), /lt=0 is only valid for LwM2M 1.2/);
  rejects(() => register(['ep=a', 'lt=0', 'lwm2m=1.1']), /only valid for LwM2M 1.2/);
  rejects(() => register(['ep=a', 'lt=4294967296']), /over the maximum of 4294967295/);
  rejects(
    () => parseRegisterRequest(['ep=a', 'lt=61'], PAYLOAD, peer, { limits: { maxLifetime: 60 } }),
    /maximum of 60/,
  );
  assert.equal(register(['ep=a', 'lt=4294967295']).lifetime, 4294967295);
});

test('accepts lt=0 from a 1.2 client as an infinite lifetime that never expires', () => {
  const reg = newRegistration(register(['ep=a', 'lt=0', 'lwm2m=1.2']), 'r', 5);
  assert.equal(reg.lifetime, 0);
  assert.equal(reg.expiresAt, NEVER_EXPIRES);
  assert.equal(isExpired(reg, Number.MAX_SAFE_INTEGER - 1, 0), false);
});

test('answers 4.12 for a well-formed but unsupported LwM2M version, 4.00 for a malformed one', () => {
  for (const v of ['2.0', '1.3', '0.9']) {
    assert.throws(
      () => register(['ep=a', `lwm2m=${v}`]),
      (e: unknown) =>
        e instanceof UnsupportedLwm2mVersionError &&
        e.coapCode === 0x8c &&
        e.message === `LwM2M version ${v} is not supported (supported: 1.0, 1.1, 1.2)`,
    );
  }
  rejects(() => register(['ep=a', 'lwm2m=1.1.1']), /lwm2m="1.1.1" is not major.minor/);
  rejects(() => register(['ep=a', 'lwm2m=v1']), /not major.minor/);
  rejects(() => register(['ep=a', 'lwm2m=']), /lwm2m needs a value/);
  assert.equal(register(['ep=a', 'lwm2m=1.2']).lwm2mVersion, '1.2');
  assert.equal(register(['ep=a', 'lwm2m=1.0']).lwm2mVersion, '1.0');
});

test('accepts exactly the six 1.0 binding modes and derives queue mode from Q', () => {
  for (const b of ['U', 'UQ', 'S', 'SQ', 'US', 'UQS']) {
    const req = register(['ep=a', `b=${b}`]);
    assert.equal(req.binding.raw, b);
    assert.equal(req.queueMode, b.includes('Q'), b);
  }
  assert.equal(register(['ep=a', 'b=UQS']).binding.sms, true);
  rejects(() => register(['ep=a', 'b=QU']), /"QU" is not one of U, UQ, S, SQ, US, UQS/);
  rejects(() => register(['ep=a', 'b=SU']), /"SU" needs LwM2M 1.1 \(1.0 allows U, UQ, S, SQ, US, UQS\)/);
  rejects(() => register(['ep=a', 'b=T']), /"T" needs LwM2M 1.1/);
  rejects(() => register(['ep=a', 'b=UN']), /needs LwM2M 1.1/);
  rejects(() => register(['ep=a', 'b=']), /b needs a value/);
});

test('accepts 1.1 bindings U, T, S, N in any combination and rejects Q and repeats', () => {
  const tn = register(['ep=a', 'lwm2m=1.1', 'b=TN']).binding;
  assert.deepEqual([tn.udp, tn.tcp, tn.sms, tn.nonIp, tn.queue], [false, true, false, true, false]);
  assert.equal(register(['ep=a', 'lwm2m=1.1', 'b=SU']).binding.raw, 'SU');
  assert.equal(register(['ep=a', 'lwm2m=1.2', 'b=UTSN']).binding.nonIp, true);
  rejects(() => register(['ep=a', 'lwm2m=1.1', 'b=UQ']), /Q was removed in LwM2M 1.1, use the Q parameter/);
  rejects(() => register(['ep=a', 'lwm2m=1.1', 'b=UU']), /repeats "U"/);
  rejects(() => register(['ep=a', 'lwm2m=1.1', 'b=X']), /"X" is not one of U, T, S, N/);
  rejects(() => register(['ep=a', 'lwm2m=1.1', 'b=u']), /not one of U, T, S, N/);
});

test('shares one frozen binding object between registrations with the same mode', () => {
  const a = register(['ep=a', 'b=UQ']).binding;
  const b = register(['ep=b', 'b=UQ']).binding;
  assert.equal(a, b);
  assert.ok(Object.isFrozen(a));
  assert.notEqual(parseBindingMode('U', '1.0'), parseBindingMode('U', '1.1'));
});

test('rejects Q from a 1.0 client, and Q with a value', () => {
  rejects(() => register(['ep=a', 'Q']), /Q needs LwM2M 1.1 \(a 1.0 client uses b=UQ\)/);
  rejects(() => register(['ep=a', 'lwm2m=1.1', 'Q=1']), /Q takes no value/);
  assert.equal(register(['ep=a', 'lwm2m=1.1']).queueMode, false);
});

test('rejects an SMS number that is not an MSISDN', () => {
  rejects(() => register(['ep=a', 'sms=abc']), /sms="abc" is not an MSISDN/);
  rejects(() => register(['ep=a', 'sms=']), /sms needs a value/);
  assert.equal(register(['ep=a', 'sms=0612345678']).smsNumber, '0612345678');
});

test('rejects duplicated parameters and parameters without a name', () => {
  rejects(() => register(['ep=a', 'ep=b']), /ep appears more than once/);
  rejects(() => register(['ep=a', 'lt=60', 'lt=60']), /lt appears more than once/);
  rejects(() => register(['ep=a', 'x=1', 'x=2']), /x appears more than once/);
  rejects(() => register(['ep=a', '=1']), /has no name/);
});

test('rejects too many unknown parameters', () => {
  const query = ['ep=a', ...Array.from({ length: 17 }, (_, i) => `x${i}=1`)];
  rejects(() => register(query), /17 unknown query parameters, over the limit of 16/);
});

test('rejects a missing, malformed or oversized payload with the parser diagnostic', () => {
  rejects(() => register(['ep=a'], ''), /Register needs the Objects and Object Instances payload/);
  rejects(() => register(['ep=a'], '</1/0'), /invalid Objects and Object Instances payload: /);
  rejects(
    () => register(['ep=a'], '</x/0>'),
    /invalid Objects and Object Instances payload: .*not an LwM2M id/,
  );
  rejects(() => register(['ep=a'], '</1/0/1/2>'), /not an object or instance/);
  rejects(() => register(['ep=a'], '</lwm2m>;rt="oma.lwm2m",</3/0>'), /outside \/lwm2m/);
  rejects(() => register(['ep=a'], '</1>;ver=one'), /ver "one" is not major.minor/);
  const big = Array.from({ length: 3000 }, (_, i) => `</3/${i}>`).join(',');
  rejects(
    () => parseRegisterRequest(['ep=a'], big, peer, { limits: { maxPayloadLength: 1000 } }),
    new RegExp(`payload has ${big.length} characters, over the limit of 1000`),
  );
  rejects(
    () => parseRegisterRequest(['ep=a'], big.slice(0, 90), peer, { limits: { maxLinks: 5 } }),
    /invalid/,
  );
});

test('checks parameters before the payload, so the diagnostic names the first problem', () => {
  rejects(() => register(['lt=60'], '<<<'), /ep is missing/);
});

test('an Update returns only the parameters it carries', () => {
  assert.deepEqual(parseUpdateRequest([], undefined, '1.1'), {});
  assert.deepEqual(parseUpdateRequest([], '', '1.1'), {});
  const up = parseUpdateRequest(['lt=120', 'b=T', 'sms=123'], '</3/0>,</4/0>', '1.1');
  assert.equal(up.lifetime, 120);
  assert.equal(up.binding!.raw, 'T');
  assert.equal(up.smsNumber, '123');
  assert.deepEqual([...up.objectLinks!.objects.keys()], [3, 4]);
  assert.equal(up.additionalAttributes, undefined);
  assert.deepEqual(parseUpdateRequest(['foo=bar'], undefined, '1.0').additionalAttributes, { foo: 'bar' });
});

test('an Update validates bindings for the version of the registration', () => {
  assert.equal(parseUpdateRequest(['b=UQ'], undefined, '1.0').binding!.queue, true);
  rejects(() => parseUpdateRequest(['b=UQ'], undefined, '1.1'), /Q was removed/);
  rejects(() => parseUpdateRequest(['b=T'], undefined, '1.0'), /needs LwM2M 1.1/);
  rejects(() => parseUpdateRequest(['lt=0'], undefined, '1.1'), /only valid for LwM2M 1.2/);
  assert.equal(parseUpdateRequest(['lt=0'], undefined, '1.2').lifetime, 0);
});

test('an Update rejects ep, a changed lwm2m, duplicates, and bad payloads', () => {
  rejects(() => parseUpdateRequest(['ep=x'], undefined, '1.1'), /ep cannot be changed by an Update/);
  rejects(
    () => parseUpdateRequest(['lwm2m=1.0'], undefined, '1.1'),
    /lwm2m cannot be changed .*registered as 1.1/,
  );
  assert.deepEqual(parseUpdateRequest(['lwm2m=1.1'], undefined, '1.1'), {}, 'the same version is tolerated');
  rejects(() => parseUpdateRequest(['lt=1', 'lt=2'], undefined, '1.1'), /lt appears more than once/);
  rejects(() => parseUpdateRequest(['lt=x'], undefined, '1.1'), /not a non-negative integer/);
  rejects(() => parseUpdateRequest([], '</1/0>,<', '1.1'), /invalid Objects and Object Instances payload/);
});

test('an Update tolerates Q from a 1.1 client and rejects it from a 1.0 client', () => {
  assert.deepEqual(parseUpdateRequest(['Q'], undefined, '1.1'), { queueMode: true });
  rejects(() => parseUpdateRequest(['Q'], undefined, '1.0'), /Q needs LwM2M 1.1/);
  rejects(() => parseUpdateRequest(['Q=0'], undefined, '1.1'), /Q takes no value/);
  const reg = newRegistration(register(['ep=a', 'lwm2m=1.1']), 'id', 0);
  assert.equal(applyUpdate(reg, { queueMode: true }, peer, 1).queueMode, true);
});

test('newRegistration stamps times from the given clock value', () => {
  const reg = newRegistration(register(['ep=a', 'lt=60']), 'id-1', 10_000);
  assert.equal(reg.id, 'id-1');
  assert.equal(reg.registeredAt, 10_000);
  assert.equal(reg.lastUpdate, 10_000);
  assert.equal(reg.expiresAt, 70_000);
  assert.equal(isExpired(reg, 70_000), false);
  assert.equal(isExpired(reg, 70_001), true);
  assert.equal(isExpired(reg, 75_000, 5_000), false);
  assert.equal(isExpired(reg, 75_001, 5_000), true);
});

test('applyUpdate changes only what the Update carried, moves the peer and restarts the lifetime', () => {
  const reg = newRegistration(register(['ep=a', 'lt=60', 'lwm2m=1.1', 'Q', 'sms=1', 'k=v']), 'id-1', 0);
  const rebound = makePeer('198.51.100.7', 40000);
  const same = applyUpdate(reg, {}, rebound, 30_000);
  assert.equal(same.peer, rebound);
  assert.equal(same.lastUpdate, 30_000);
  assert.equal(same.expiresAt, 90_000);
  assert.equal(same.registeredAt, 0);
  assert.equal(same.objectLinks, reg.objectLinks);
  assert.equal(same.binding, reg.binding);
  assert.equal(same.smsNumber, '1');
  assert.equal(same.queueMode, true);
  assert.deepEqual(reg.peer, peer, 'the old record is untouched');

  const up = parseUpdateRequest(['lt=10', 'b=UT', 'sms=2', 'k=w', 'j=1'], '</3/0>', '1.1');
  const next = applyUpdate(reg, up, peer, 1_000);
  assert.equal(next.lifetime, 10);
  assert.equal(next.expiresAt, 11_000);
  assert.equal(next.binding.raw, 'UT');
  assert.equal(next.smsNumber, '2');
  assert.equal(next.queueMode, true, '1.1 queue mode is fixed at Register');
  assert.deepEqual([...next.objectLinks.objects.keys()], [3]);
  assert.deepEqual(next.additionalAttributes, { k: 'w', j: '1' });
});

test('applyUpdate of a 1.0 client follows queue mode in the binding letters', () => {
  const reg = newRegistration(register(['ep=a', 'b=UQ']), 'id', 0);
  assert.equal(reg.queueMode, true);
  const next = applyUpdate(reg, parseUpdateRequest(['b=U'], undefined, '1.0'), peer, 1);
  assert.equal(next.queueMode, false);
});

test('a payload cache returns one shared frozen result for identical payloads', () => {
  const cache = new RegistrationPayloadCache({ maxEntries: 2 });
  const a = parseRegisterRequest(['ep=a'], PAYLOAD, peer, { payloadCache: cache });
  const b = parseRegisterRequest(['ep=b'], PAYLOAD, peer, { payloadCache: cache });
  assert.equal(a.objectLinks, b.objectLinks);
  assert.equal(cache.hits, 1);
  assert.ok(Object.isFrozen(a.objectLinks.objects.get(2)!.instances));
  cache.parse('</3/0>');
  cache.parse('</4/0>');
  assert.equal(cache.size, 2, 'the least recently used entry is evicted');
  assert.notEqual(cache.parse(PAYLOAD), a.objectLinks);
  rejects(() => parseRegisterRequest(['ep=a'], '<', peer, { payloadCache: cache }), /invalid/);
});

test('registration ids are 80 random bits in base64url, and injectable', () => {
  const gen = randomRegistrationIds();
  const ids = new Set(Array.from({ length: 1000 }, gen));
  assert.equal(ids.size, 1000);
  for (const id of ids) assert.match(id, /^[A-Za-z0-9_-]{14}$/);
  const fixed = randomRegistrationIds((n) => new Uint8Array(n).fill(0xff));
  assert.equal(fixed(), '_____________w');
  const seq = sequentialRegistrationIds('t');
  assert.deepEqual([seq(), seq()], ['t1', 't2']);
  assert.throws(() => randomRegistrationIds(undefined, 4), RangeError);
});

test('registration ids draw random bytes in pools, each byte serving one id only', () => {
  const draws: number[] = [];
  let next = 0;
  const counting = (n: number): Uint8Array => {
    draws.push(n);
    return Uint8Array.from({ length: n }, () => next++ & 0xff);
  };
  const gen = randomRegistrationIds(counting, 10);
  const ids = Array.from({ length: 130 }, gen);
  assert.deepEqual(draws, [640, 640, 640], 'one draw per 64 ids');
  const decoded = ids.map((id) => [...Buffer.from(id, 'base64url')]);
  const expected = Array.from({ length: 130 }, (_, i) =>
    Array.from({ length: 10 }, (_, j) => (i * 10 + j) & 0xff),
  );
  assert.deepEqual(decoded, expected, 'consecutive, never reused bytes');
});
