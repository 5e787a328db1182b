import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ByteWriter } from '../../src/coap/ByteWriter.js';
import { Code, MessageType, type CoapMessage, type CoapOption } from '../../src/coap/CoapMessage.js';
import {
  CoapEncodeError,
  decodeMessage,
  encodeMessage,
  isEmptyCode,
  isRequestCode,
  isReservedClassCode,
  isResponseCode,
  peekHeader,
} from '../../src/coap/messageCodec.js';
import { DecodeError } from '../../src/transport/DecodeError.js';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s/g, ''), 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const opt = (number: number, value: Uint8Array | string = new Uint8Array(0)): CoapOption => ({
  number,
  value: typeof value === 'string' ? text(value) : value,
});
const msg = (m: Partial<CoapMessage>): CoapMessage => ({
  type: MessageType.CON,
  code: Code.GET,
  messageId: 0,
  token: new Uint8Array(0),
  options: [],
  payload: new Uint8Array(0),
  ...m,
});

// Golden vectors built by hand from the RFC 7252 section 3 layout (Appendix A-style exchanges).
const vectors: { name: string; hex: string; msg: CoapMessage }[] = [
  {
    name: 'CON GET /temperature, no token (Appendix A.1 shape)',
    hex: '40 01 7d34 bb 74656d7065726174757265',
    msg: msg({ messageId: 0x7d34, options: [opt(11, 'temperature')] }),
  },
  {
    name: 'piggybacked ACK 2.05 with payload',
    hex: '60 45 7d34 ff 32322e332043',
    msg: msg({ type: MessageType.ACK, code: Code.CONTENT, messageId: 0x7d34, payload: text('22.3 C') }),
  },
  {
    name: 'CON GET with a 1-byte token',
    hex: '41 01 7d35 20 bb 74656d7065726174757265',
    msg: msg({ messageId: 0x7d35, token: hex('20'), options: [opt(11, 'temperature')] }),
  },
  {
    name: 'NON 2.05 with an 8-byte token (largest TKL)',
    hex: '58 45 ffff 0102030405060708 ff 41',
    msg: msg({
      type: MessageType.NON,
      code: Code.CONTENT,
      messageId: 0xffff,
      token: hex('0102030405060708'),
      payload: text('A'),
    }),
  },
  { name: 'Empty ACK', hex: '60 00 1234', msg: msg({ type: MessageType.ACK, code: 0, messageId: 0x1234 }) },
  { name: 'RST', hex: '70 00 0001', msg: msg({ type: MessageType.RST, code: 0, messageId: 1 }) },
  { name: 'CON ping', hex: '40 00 0000', msg: msg({ code: 0 }) },
  {
    name: 'repeated Uri-Path then an empty Content-Format (uint 0)',
    hex: '42 02 0102 abcd b1 33 01 30 10',
    msg: msg({
      code: Code.POST,
      messageId: 0x0102,
      token: hex('abcd'),
      options: [opt(11, '3'), opt(11, '0'), opt(12)],
    }),
  },
  {
    name: 'Observe, Uri-Path, Block2 (delta 12), Size1 (delta 37 -> 13+24)',
    hex: '40 01 0001 61 00 51 61 c1 06 d1 18 40',
    msg: msg({
      messageId: 1,
      options: [opt(6, hex('00')), opt(11, 'a'), opt(23, hex('06')), opt(60, hex('40'))],
    }),
  },
];

test('encodes and decodes the golden vectors byte for byte', () => {
  for (const v of vectors) {
    assert.equal(toHex(encodeMessage(v.msg)), v.hex.replace(/\s/g, ''), v.name);
    assert.deepEqual(decodeMessage(hex(v.hex)), v.msg, v.name);
  }
});

test('encodes option deltas at the 12/13/268/269/65535 boundaries', () => {
  const cases: [number, string][] = [
    [12, 'c0'],
    [13, 'd000'],
    [268, 'd0ff'],
    [269, 'e00000'],
    [270, 'e00001'],
    [65535, 'e0fef2'],
  ];
  for (const [number, optHex] of cases) {
    const m = msg({ options: [opt(number)] });
    assert.equal(toHex(encodeMessage(m)), '40010000' + optHex, `option ${number}`);
    assert.deepEqual(decodeMessage(encodeMessage(m)), m);
  }
});

test('encodes option lengths at the 12/13/268/269/65804 boundaries', () => {
  const cases: [number, string][] = [
    [12, '1c'],
    [13, '1d00'],
    [268, '1dff'],
    [269, '1e0000'],
    [65804, '1effff'],
  ];
  for (const [len, head] of cases) {
    const value = new Uint8Array(len).fill(0xaa);
    const bytes = encodeMessage(msg({ options: [opt(1, value)] }));
    assert.equal(toHex(bytes.subarray(0, 4 + head.length / 2)), '40010000' + head, `length ${len}`);
    assert.equal(bytes.length, 4 + head.length / 2 + len);
    assert.equal(decodeMessage(bytes).options[0]!.value.length, len);
  }
});

test('writes the payload marker only for a non-empty payload', () => {
  assert.equal(toHex(encodeMessage(msg({ code: Code.CONTENT }))), '40450000');
  assert.equal(toHex(encodeMessage(msg({ code: Code.CONTENT, payload: hex('00') }))), '40450000ff00');
});

test('sorts unsorted options stably without touching the caller array', () => {
  const options = [opt(11, 'a'), opt(3, 'h'), opt(11, 'b'), opt(1, 'x')];
  const m = msg({ options });
  assert.equal(toHex(encodeMessage(m)), '40010000' + '11 78 21 68 81 61 01 62'.replace(/\s/g, ''));
  assert.deepEqual(
    options.map((o) => o.number),
    [11, 3, 11, 1],
  );
});

test('encodes into a reused writer, returning its view', () => {
  const w = new ByteWriter(4);
  const a = encodeMessage(vectors[0]!.msg, w);
  assert.equal(toHex(a), vectors[0]!.hex.replace(/\s/g, ''));
  assert.equal(a.buffer, w.buffer.buffer);
  const b = encodeMessage(vectors[4]!.msg, w);
  assert.equal(toHex(b), '60001234');
  assert.equal(w.length, 4);
});

test('rejects messages it cannot encode with CoapEncodeError', () => {
  const bad: [string, Partial<CoapMessage>][] = [
    ['9-byte token', { token: new Uint8Array(9) }],
    ['negative MID', { messageId: -1 }],
    ['MID 65536', { messageId: 65536 }],
    ['fractional MID', { messageId: 1.5 }],
    ['type 4', { type: 4 as MessageType }],
    ['code 256', { code: 256 }],
    ['option value of 65805 bytes', { options: [opt(1, new Uint8Array(65805))] }],
    ['option number 65536', { options: [opt(65536)] }],
    ['negative option number', { options: [opt(-1)] }],
    ['Empty message with payload', { code: 0, payload: hex('01') }],
    ['Empty message with token', { code: 0, token: hex('01') }],
    ['Empty message with option', { code: 0, options: [opt(4, hex('01'))] }],
  ];
  for (const [name, m] of bad) assert.throws(() => encodeMessage(msg(m)), CoapEncodeError, name);
});

test('decode errors carry kind and offset of the faulty part', () => {
  const cases: [string, string, 'truncated' | 'invalid', number][] = [
    ['empty datagram', '', 'truncated', 0],
    ['3-byte header', '400100', 'truncated', 0],
    ['version 0', '00010000', 'invalid', 0],
    ['version 2', '80010000', 'invalid', 0],
    ['version 3', 'c0010000', 'invalid', 0],
    ['TKL 9', '49010000 010203040506070809', 'invalid', 0],
    ['TKL 15', '4f010000', 'invalid', 0],
    ['token runs past the end', '44010000 aabbcc', 'truncated', 4],
    ['option delta nibble 15', '42010000 aabb f1 00', 'invalid', 6],
    ['option length nibble 15', '40010000 b1 61 0f', 'invalid', 6],
    ['payload marker without payload', '40010000 ff', 'invalid', 4],
    ['payload marker after options without payload', '40010000 b1 61 ff', 'invalid', 6],
    ['Empty message with a token', '41000000 aa', 'invalid', 0],
    ['Empty message with a payload', '40000000 ff 00', 'invalid', 4],
    ['Empty message with an option', '40000000 10', 'invalid', 4],
    ['1-byte delta extension missing', '40010000 d0', 'truncated', 4],
    ['2-byte delta extension cut', '40010000 e0 00', 'truncated', 4],
    ['1-byte length extension missing', '40010000 0d', 'truncated', 4],
    ['2-byte length extension cut', '40010000 0e 00', 'truncated', 4],
    ['option value runs past the end', '40010000 b3 6162', 'truncated', 4],
    ['extended length runs past the end', '40010000 0d 00 010203', 'truncated', 4],
    ['option number over 65535', '40010000 e0fef2 10', 'invalid', 7],
    ['single delta over 65535', '40010000 e0ffff', 'invalid', 4],
  ];
  for (const [name, h, kind, offset] of cases) {
    assert.throws(
      () => decodeMessage(hex(h)),
      (e: unknown) => e instanceof DecodeError && e.kind === kind && e.offset === offset,
      name,
    );
  }
});

test('decodes codes of the reserved classes 1, 6 and 7 for the layer above to judge', () => {
  for (const c of [0x20, 0xc1, 0xe1]) {
    const m = decodeMessage(hex(`40${c.toString(16)}0007 ff 01`));
    assert.equal(m.code, c);
    assert.ok(isReservedClassCode(c) && !isRequestCode(c) && !isResponseCode(c) && !isEmptyCode(c));
  }
});

test('classifies request, response and Empty codes', () => {
  assert.ok(isEmptyCode(0) && !isRequestCode(0) && !isResponseCode(0));
  for (const c of [Code.GET, Code.IPATCH, 0x1f]) assert.ok(isRequestCode(c) && !isResponseCode(c), String(c));
  for (const c of [Code.CONTENT, Code.CONTINUE, Code.NOT_FOUND, Code.PROXYING_NOT_SUPPORTED, 0xbf])
    assert.ok(isResponseCode(c) && !isRequestCode(c) && !isReservedClassCode(c), String(c));
});

test('decoded fields are plain Uint8Array views into a Buffer input', () => {
  const buf = Buffer.from('41450001aa b1 61 ff 7a'.replace(/\s/g, ''), 'hex');
  const m = decodeMessage(buf);
  for (const f of [m.token, m.options[0]!.value, m.payload]) {
    assert.equal(Object.getPrototypeOf(f), Uint8Array.prototype);
    assert.equal(f.buffer, buf.buffer);
  }
  assert.equal(m.payload[0], 0x7a);
});

test('peekHeader reads type, code and MID of a malformed CON so it can be reset', () => {
  assert.deepEqual(peekHeader(hex('4f01abcd')), { type: MessageType.CON, code: 1, messageId: 0xabcd });
  assert.deepEqual(peekHeader(hex('50450102 ff')), { type: MessageType.NON, code: 0x45, messageId: 0x0102 });
  assert.equal(peekHeader(hex('400100')), undefined);
  assert.equal(peekHeader(hex('80010000')), undefined);
});
