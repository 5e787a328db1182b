import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Code,
  MessageType,
  OptionNumber as O,
  type CoapMessage,
  type CoapOption,
} from '../../src/coap/CoapMessage.js';
import {
  addOption,
  decodeUint,
  encodeUint,
  getAccept,
  getContentFormat,
  getLocationPath,
  getObserve,
  getOption,
  getOptions,
  getStringOptions,
  getUintOption,
  getUriPath,
  getUriQuery,
  isCritical,
  isNoCacheKey,
  isUnsafe,
  optionDefinition,
  rejectsWithBadOption,
  removeOption,
  setOption,
  uriPathOptions,
  uriQueryOptions,
  validateRequestOptions,
} from '../../src/coap/options.js';
import { DecodeError } from '../../src/transport/DecodeError.js';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const msg = (options: CoapOption[] = []): CoapMessage => ({
  type: MessageType.CON,
  code: Code.GET,
  messageId: 1,
  token: new Uint8Array(0),
  options,
  payload: new Uint8Array(0),
});
const numbers = (m: CoapMessage): number[] => m.options.map((o) => o.number);

test('computes critical, unsafe and NoCacheKey from the number as in the RFC 7252 table', () => {
  // [number, critical, unsafe, noCacheKey] from RFC 7252 5.10, RFC 7641, RFC 7959, RFC 9175, RFC 7967.
  const rows: [number, boolean, boolean, boolean][] = [
    [O.IF_MATCH, true, false, false],
    [O.URI_HOST, true, true, false],
    [O.ETAG, false, false, false],
    [O.OBSERVE, false, true, false],
    [O.URI_PATH, true, true, false],
    [O.CONTENT_FORMAT, false, false, false],
    [O.MAX_AGE, false, true, false],
    [O.ACCEPT, true, false, false],
    [O.BLOCK2, true, true, false],
    [O.SIZE2, false, false, true],
    [O.PROXY_URI, true, true, false],
    [O.SIZE1, false, false, true],
    [O.ECHO, false, false, true],
    [O.NO_RESPONSE, false, true, false],
    [O.REQUEST_TAG, false, false, false],
  ];
  for (const [n, c, u, nc] of rows) {
    assert.deepEqual([isCritical(n), isUnsafe(n), isNoCacheKey(n)], [c, u, nc], `option ${n}`);
  }
});

test('knows the registered options with format, lengths and repeatability', () => {
  assert.deepEqual(optionDefinition(O.URI_PATH), {
    number: 11,
    name: 'Uri-Path',
    format: 'string',
    minLength: 0,
    maxLength: 255,
    repeatable: true,
  });
  assert.equal(optionDefinition(O.ETAG)?.minLength, 1);
  assert.equal(optionDefinition(O.OBSERVE)?.maxLength, 3);
  assert.equal(optionDefinition(O.BLOCK1)?.format, 'uint');
  assert.equal(optionDefinition(O.OSCORE)?.format, 'opaque');
  assert.equal(optionDefinition(O.IF_NONE_MATCH)?.format, 'empty');
  assert.equal(optionDefinition(O.PROXY_URI)?.maxLength, 1034);
  assert.equal(optionDefinition(O.REQUEST_TAG)?.repeatable, true);
  assert.equal(optionDefinition(O.CONTENT_FORMAT)?.repeatable, false);
  assert.equal(optionDefinition(2049), undefined);
});

test('encodes uints in the fewest bytes and decodes them back', () => {
  const cases: [number, number[]][] = [
    [0, []],
    [1, [1]],
    [255, [0xff]],
    [256, [1, 0]],
    [11543, [0x2d, 0x17]],
    [0x10000, [1, 0, 0]],
    [0xffffffff, [0xff, 0xff, 0xff, 0xff]],
  ];
  for (const [n, bytes] of cases) {
    assert.deepEqual(encodeUint(n), Uint8Array.from(bytes), String(n));
    assert.equal(decodeUint(Uint8Array.from(bytes)), n);
  }
  assert.equal(decodeUint(Uint8Array.of(0, 0, 1)), 1);
  assert.throws(() => decodeUint(new Uint8Array(5)), DecodeError);
  for (const bad of [-1, 1.5, 2 ** 32]) assert.throws(() => encodeUint(bad), RangeError);
});

test('reads options through the typed accessors', () => {
  const m = msg([
    { number: O.OBSERVE, value: encodeUint(0) },
    { number: O.LOCATION_PATH, value: text('rd') },
    { number: O.LOCATION_PATH, value: text('5a3f') },
    ...uriPathOptions('/3/0/1'),
    { number: O.CONTENT_FORMAT, value: encodeUint(11543) },
    ...uriQueryOptions(['ep=node1', 'lt=300']),
    { number: O.ACCEPT, value: encodeUint(112) },
  ]);
  assert.deepEqual(getUriPath(m), ['3', '0', '1']);
  assert.deepEqual(getUriQuery(m), ['ep=node1', 'lt=300']);
  assert.deepEqual(getLocationPath(m), ['rd', '5a3f']);
  assert.equal(getContentFormat(m), 11543);
  assert.equal(getAccept(m), 112);
  assert.equal(getObserve(m), 0);
  assert.deepEqual(getOption(m, O.URI_PATH), text('3'));
  assert.equal(getOptions(m, O.URI_PATH).length, 3);
  assert.equal(getUintOption(m, O.MAX_AGE), undefined);
  assert.deepEqual(getStringOptions(msg(), O.URI_PATH), []);
  assert.throws(
    () => getUintOption(msg([{ number: O.SIZE1, value: new Uint8Array(5) }]), O.SIZE1),
    DecodeError,
  );
});

test('builds Uri-Path options from strings and segment lists', () => {
  const segs = (p: string | string[]): string[] =>
    uriPathOptions(p).map((o) => new TextDecoder().decode(o.value));
  assert.deepEqual(segs('/'), []);
  assert.deepEqual(segs(''), []);
  assert.deepEqual(segs('/rd/5a3f'), ['rd', '5a3f']);
  assert.deepEqual(segs('rd/'), ['rd', '']);
  assert.deepEqual(segs(['a b', 'ü']), ['a b', 'ü']);
  assert.throws(() => uriPathOptions(['x'.repeat(256)]), RangeError);
  assert.ok(uriPathOptions('/a').every((o) => o.number === O.URI_PATH));
});

test('addOption keeps number order and appends after equal numbers; setOption replaces', () => {
  const m = msg();
  addOption(m, O.URI_QUERY, 'b=U');
  addOption(m, O.URI_PATH, 'rd');
  addOption(m, O.CONTENT_FORMAT, 40);
  addOption(m, O.URI_PATH, 'x');
  addOption(m, O.URI_HOST, 'h');
  assert.deepEqual(numbers(m), [3, 11, 11, 12, 15]);
  assert.deepEqual(getUriPath(m), ['rd', 'x']);
  setOption(m, O.URI_PATH, 'only');
  assert.deepEqual(numbers(m), [3, 11, 12, 15]);
  assert.deepEqual(getUriPath(m), ['only']);
  setOption(m, O.BLOCK2, Uint8Array.of(0x16));
  assert.deepEqual(numbers(m), [3, 11, 12, 15, 23]);
  assert.equal(setOption(m, O.CONTENT_FORMAT, 0), m);
  assert.deepEqual(getOption(m, O.CONTENT_FORMAT), new Uint8Array(0));
  removeOption(m, O.URI_HOST);
  assert.deepEqual(numbers(m), [11, 12, 15, 23]);
});

test('finds unrecognized critical options and ignores unknown elective ones', () => {
  const v = validateRequestOptions(
    msg([
      ...uriPathOptions('/a'),
      { number: 2049, value: new Uint8Array(0) },
      { number: 2050, value: new Uint8Array(0) },
      { number: 2049, value: new Uint8Array(1) },
    ]),
  );
  assert.deepEqual(v, { unrecognizedCritical: [2049], badFormat: [] });
  assert.ok(rejectsWithBadOption(v));
  const ok = validateRequestOptions(
    msg([...uriPathOptions('/a'), { number: 2050, value: new Uint8Array(3) }]),
  );
  assert.deepEqual(ok, { unrecognizedCritical: [], badFormat: [] });
  assert.ok(!rejectsWithBadOption(ok));
});

test('treats bad lengths, invalid UTF-8 and repeats of non-repeatable options as bad format', () => {
  const bad = (options: CoapOption[]): number[] => validateRequestOptions(msg(options)).badFormat;
  assert.deepEqual(bad([{ number: O.CONTENT_FORMAT, value: new Uint8Array(3) }]), [O.CONTENT_FORMAT]);
  assert.deepEqual(bad([{ number: O.ETAG, value: new Uint8Array(0) }]), [O.ETAG]);
  assert.deepEqual(bad([{ number: O.IF_NONE_MATCH, value: new Uint8Array(1) }]), [O.IF_NONE_MATCH]);
  assert.deepEqual(bad([{ number: O.URI_HOST, value: new Uint8Array(0) }]), [O.URI_HOST]);
  assert.deepEqual(bad([{ number: O.URI_PATH, value: Uint8Array.of(0xc3, 0x28) }]), [O.URI_PATH]);
  assert.deepEqual(
    bad([
      { number: O.ACCEPT, value: encodeUint(40) },
      { number: O.ACCEPT, value: encodeUint(50) },
    ]),
    [O.ACCEPT],
  );
  assert.deepEqual(
    bad([
      { number: O.ETAG, value: Uint8Array.of(1) },
      { number: O.ETAG, value: Uint8Array.of(2) },
      { number: O.URI_PATH, value: text('ü') },
    ]),
    [],
  );
  // A bad elective option is ignored (4.02 only for critical ones).
  assert.ok(
    !rejectsWithBadOption(validateRequestOptions(msg([{ number: O.MAX_AGE, value: new Uint8Array(5) }]))),
  );
  assert.ok(
    rejectsWithBadOption(validateRequestOptions(msg([{ number: O.BLOCK2, value: new Uint8Array(4) }]))),
  );
});
