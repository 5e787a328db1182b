import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tlvNodeCodec } from '../../src/content/tlv/TlvNodeCodec.js';
import { decodeTlvRecords, encodeTlvRecords } from '../../src/content/tlv/tlvRecords.js';
import { NO_INSTANCE_ID, type Lwm2mNode } from '../../src/lwm2m/Lwm2mNode.js';
import { Lwm2mPath } from '../../src/lwm2m/Lwm2mPath.js';
import {
  instance,
  multipleResource,
  nodesEqual,
  object,
  resource,
  resourceInstance,
} from '../../src/lwm2m/nodes.js';
import {
  booleanValue,
  floatValue,
  integerValue,
  objlnkValue,
  opaqueValue,
  stringValue,
  timeValue,
  unsignedValue,
} from '../../src/lwm2m/values.js';
import { createCoreRegistry } from '../../src/model/core/index.js';
import { DecodeError } from '../../src/transport/DecodeError.js';
import { DEFAULT_DECODE_LIMITS } from '../../src/content/decodeLimits.js';
import { hex, noModels, testModels, toHex } from './testModels.js';

const ints = (m: Record<number, number>) =>
  new Map(Object.entries(m).map(([k, v]) => [Number(k), integerValue(v)]));

// Core TS 1.0 section 6.4.3.1 example: Read /3/0 on the Device object (resources only).
const DEVICE_RESOURCES =
  'c800144f70656e204d6f62696c6520416c6c69616e6365c801164c69676874776569676874204d324d20436c69656e74' +
  'c80209333435303030313233c303312e30860641000141010588070842000ed842011388870841007d42010384c10964' +
  'c10a0f830b410000c40d5182428fc60e2b30323a3030c11055';
const DEVICE = instance(0, [
  resource(0, stringValue('Open Mobile Alliance')),
  resource(1, stringValue('Lightweight M2M Client')),
  resource(2, stringValue('345000123')),
  resource(3, stringValue('1.0')),
  multipleResource(6, ints({ 0: 1, 1: 5 })),
  multipleResource(7, ints({ 0: 3800, 1: 5000 })),
  multipleResource(8, ints({ 0: 125, 1: 900 })),
  resource(9, integerValue(100)),
  resource(10, integerValue(15)),
  multipleResource(11, ints({ 0: 0 })),
  resource(13, timeValue(1367491215)),
  resource(14, stringValue('+02:00')),
  resource(16, stringValue('U')),
]);
// Core TS 1.0 section 6.4.3.2 example B: Read /2 on two Access Control instances.
const ACL_HEX = '08000ec10001c101008302417f07c1037f080212c10003c101008702417f0761013601c1037f';
const ACL = object(2, [
  instance(0, [
    resource(0, integerValue(1)),
    resource(1, integerValue(0)),
    multipleResource(2, ints({ 127: 7 })),
    resource(3, integerValue(127)),
  ]),
  instance(2, [
    resource(0, integerValue(3)),
    resource(1, integerValue(0)),
    multipleResource(2, ints({ 127: 7, 310: 1 })),
    resource(3, integerValue(127)),
  ]),
]);
// Example C: Read /1 on one Server instance.
const SERVER_HEX = '08000fc10001c40100015180c10601c10755';
const SERVER = object(1, [
  instance(0, [
    resource(0, integerValue(1)),
    resource(1, integerValue(86400)),
    resource(6, booleanValue(true)),
    resource(7, stringValue('U')),
  ]),
]);
// Core TS 1.0 section 6.4.3.3: objlnk examples with objects 65 and 66.
const OBJ65_HEX = '88000c440000420000440100420001c8010d38363133383030373535353030c40212345678';
const OBJ65 = instance(0, [
  multipleResource(
    0,
    new Map([
      [0, objlnkValue(66, 0)],
      [1, objlnkValue(66, 1)],
    ]),
  ),
  resource(1, stringValue('8613800755500')),
  resource(2, integerValue(0x12345678)),
]);
const OBJ66_HEX =
  '080026c8000b6d79536572766963652031c8010f496e7465726e65742e31352e323334c40200430000' +
  '080126c8000b6d79536572766963652032c8010f496e7465726e65742e31352e323335c402ffffffff';
const OBJ66 = object(66, [
  instance(0, [
    resource(0, stringValue('myService 1')),
    resource(1, stringValue('Internet.15.234')),
    resource(2, objlnkValue(67, 0)),
  ]),
  instance(1, [
    resource(0, stringValue('myService 2')),
    resource(1, stringValue('Internet.15.235')),
    resource(2, objlnkValue(65535, 65535)),
  ]),
]);

const golden: { name: string; path: string; hex: string; node: Lwm2mNode }[] = [
  { name: 'Device object instance as resources', path: '/3/0', hex: DEVICE_RESOURCES, node: DEVICE },
  {
    name: 'Device object with one instance TLV',
    path: '/3',
    hex: '080079' + DEVICE_RESOURCES,
    node: object(3, [DEVICE]),
  },
  { name: 'two Access Control instances', path: '/2', hex: ACL_HEX, node: ACL },
  { name: 'one Server instance', path: '/1', hex: SERVER_HEX, node: SERVER },
  { name: 'object 65 instance with an objlnk multiple resource', path: '/65/0', hex: OBJ65_HEX, node: OBJ65 },
  { name: 'object 66 instances with objlnk and the null link', path: '/66', hex: OBJ66_HEX, node: OBJ66 },
  {
    name: 'multiple resource /3/0/6',
    path: '/3/0/6',
    hex: '860641000141010 5'.replace(' ', ''),
    node: multipleResource(6, ints({ 0: 1, 1: 5 })),
  },
  { name: 'single resource /3/0/9', path: '/3/0/9', hex: 'c10964', node: resource(9, integerValue(100)) },
  {
    name: 'resource instance /3/0/7/1',
    path: '/3/0/7/1',
    hex: '42011388',
    node: resourceInstance(1, integerValue(5000)),
  },
];

for (const g of golden) {
  test(`encodes and decodes the spec example: ${g.name}`, () => {
    const path = Lwm2mPath.parse(g.path);
    assert.equal(toHex(tlvNodeCodec.encode(path, g.node, testModels)), g.hex);
    const decoded = tlvNodeCodec.decode(hex(g.hex), path, testModels);
    assert.ok(
      nodesEqual(decoded, g.node),
      `decoded ${g.path} differs: ${JSON.stringify(decoded, (_k, v) => (typeof v === 'bigint' ? String(v) : v))}`,
    );
  });
}

test('decodes the Device instance wrapped in its object instance TLV at the instance path', () => {
  const node = tlvNodeCodec.decode(hex('080079' + DEVICE_RESOURCES), Lwm2mPath.parse('/3/0'), testModels);
  assert.ok(nodesEqual(node, DEVICE));
  assert.throws(
    () => tlvNodeCodec.decode(hex('080179' + DEVICE_RESOURCES), Lwm2mPath.parse('/3/0'), testModels),
    DecodeError,
  );
});

test('decodes a Create payload of bare resources at an object path as one instance without id', () => {
  const node = tlvNodeCodec.decode(hex('c10001c10755'), Lwm2mPath.parse('/1'), testModels);
  assert.ok(
    nodesEqual(
      node,
      object(1, [instance(NO_INSTANCE_ID, [resource(0, integerValue(1)), resource(7, stringValue('U'))])]),
    ),
  );
  assert.equal(toHex(tlvNodeCodec.encode(Lwm2mPath.parse('/1'), node, testModels)), 'c10001c10755');
});

test('decodes unknown objects as opaque and uses the model for known ones', () => {
  const unknown = tlvNodeCodec.decode(hex('c10964'), Lwm2mPath.parse('/3/0/9'), noModels);
  assert.ok(nodesEqual(unknown, resource(9, opaqueValue(Uint8Array.of(100)))));
});

test('encodes integers in the shortest of 1, 2, 4, 8 bytes and 64-bit values exactly', () => {
  const enc = (v: number | bigint) =>
    toHex(tlvNodeCodec.encode(Lwm2mPath.parse('/9999/0/1'), resource(1, integerValue(v)), testModels));
  assert.equal(enc(-128), 'c101' + '80');
  assert.equal(enc(128), 'c2010080');
  assert.equal(enc(-32769), 'c401ffff7fff');
  assert.equal(enc(2 ** 31), 'c8010800000000' + '80000000');
  assert.equal(enc(-(2n ** 63n)), 'c80108' + '8000000000000000');
  const big = tlvNodeCodec.decode(hex('c801087fffffffffffffff'), Lwm2mPath.parse('/9999/0/1'), testModels);
  assert.ok(nodesEqual(big, resource(1, integerValue(2n ** 63n - 1n))));
  const u = tlvNodeCodec.decode(hex('c80208ffffffffffffffff'), Lwm2mPath.parse('/9999/0/2'), testModels);
  assert.ok(nodesEqual(u, resource(2, unsignedValue(2n ** 64n - 1n))));
});

test('encodes floats as 8 bytes and decodes 4-byte floats', () => {
  const p = Lwm2mPath.parse('/9999/0/3');
  assert.equal(
    toHex(tlvNodeCodec.encode(p, resource(3, floatValue(1.5)), testModels)),
    'c803083ff8000000000000',
  );
  assert.ok(
    nodesEqual(tlvNodeCodec.decode(hex('c4033fc00000'), p, testModels), resource(3, floatValue(1.5))),
  );
  assert.throws(() => tlvNodeCodec.decode(hex('c3033fc000'), p, testModels), DecodeError);
});

test('rejects malformed TLV with DecodeError at the right offset', () => {
  const cases: [string, string, number][] = [
    ['/3/0', 'c800', 0], // header cut
    ['/3/0', 'c80005414243', 0], // length runs past the end
    ['/3/0', 'c10964c80a', 3], // second record truncated
    ['/3/0', '410001', 0], // resource instance directly in an instance
    ['/3', '0400c10964c1', 5], // object instance whose length cuts its child
    ['/3/0', 'c10964c10965', 3], // duplicate resource id
    ['/3/0/9', 'c20a0064', 0], // id does not match the path
    ['/9999/0/4', 'c10402', 0], // boolean 2
    ['/9999/0/0', 'c100ff', 0], // invalid UTF-8
    ['/9999/0/1', 'c30101020 3'.replace(' ', ''), 0], // 3-byte integer
    ['/3/0/6', '8606410001c10105', 5], // resource TLV inside a multiple resource
  ];
  for (const [path, h, offset] of cases) {
    assert.throws(
      () => tlvNodeCodec.decode(hex(h), Lwm2mPath.parse(path), testModels),
      (e: unknown) => e instanceof DecodeError && e.offset === offset,
      `${path} ${h}`,
    );
  }
});

test('enforces record and value limits', () => {
  const many = hex('c10001'.repeat(20));
  assert.throws(
    () => decodeTlvRecords(many, { maxDepth: 8, maxRecords: 10, maxValueBytes: 100 }),
    (e: unknown) => e instanceof DecodeError && e.kind === 'limit',
  );
  assert.throws(
    () => decodeTlvRecords(hex('c80005' + '41'.repeat(5)), { maxDepth: 8, maxRecords: 10, maxValueBytes: 4 }),
    (e: unknown) => e instanceof DecodeError && e.kind === 'limit',
  );
});

test('uses 16-bit ids and 16/24-bit lengths when needed', () => {
  const long = new Uint8Array(70_000).fill(0x61);
  const bytes = encodeTlvRecords([{ type: 'resource', id: 300, value: long }]);
  assert.equal(toHex(bytes.subarray(0, 6)), 'f8012c011170');
  const back = decodeTlvRecords(bytes, { maxDepth: 8, maxRecords: 10, maxValueBytes: 100_000 });
  assert.equal(back[0]?.id, 300);
  assert.equal(back[0] && 'value' in back[0] ? back[0].value.length : -1, 70_000);
  assert.equal(
    toHex(encodeTlvRecords([{ type: 'resource', id: 1, value: new Uint8Array(300) }]).subarray(0, 4)),
    'd001012c',
  );
});

test('decodes the spec examples the same with the core object registry', () => {
  const registry = createCoreRegistry();
  for (const g of golden.filter((x) => !x.path.startsWith('/6'))) {
    const decoded = tlvNodeCodec.decode(hex(g.hex), Lwm2mPath.parse(g.path), registry);
    assert.ok(nodesEqual(decoded, g.node), g.name);
  }
});

// Core TS 1.1.1 7.4.3: the length field is the shortest that fits. Bits 4-3 of the type byte
// give its size: 00 = the length itself in bits 2-0 (0-7), 01 = 8 bits, 10 = 16 bits, 11 = 24
// bits; bit 5 says whether the identifier takes 8 or 16 bits.
const LENGTH_BOUNDARIES: [length: number, header: string][] = [
  [0, 'c0'],
  [7, 'c7'],
  [8, 'c8 08'],
  [255, 'c8 ff'],
  [256, 'd0 0100'],
  [65_535, 'd0 ffff'],
  [65_536, 'd8 010000'],
  [70_000, 'd8 011170'],
];
/** Decode limits that let 70,000-byte values through (the default stops at 65,535). */
const LARGE = { ...DEFAULT_DECODE_LIMITS, maxValueBytes: 100_000 };
const filled = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 7 + 1) & 0xff);
const headerOf = (id: string, spec: string): string => {
  const [typeByte, ...lengthBytes] = spec.split(' ');
  return typeByte + id + lengthBytes.join('');
};

for (const [length, header] of LENGTH_BOUNDARIES) {
  test(`a ${length}-byte value has the ${header.split(' ')[0]} type byte and the exact length bytes`, () => {
    const value = filled(length);
    const expected = headerOf('00', header);
    const bytes = encodeTlvRecords([{ type: 'resource', id: 0, value }]);
    assert.equal(bytes.length, expected.length / 2 + length);
    assert.equal(toHex(bytes.subarray(0, expected.length / 2)), expected);
    assert.deepEqual(bytes.subarray(expected.length / 2), value);
    const [decoded] = decodeTlvRecords(bytes, LARGE);
    assert.ok(decoded && 'value' in decoded);
    assert.deepEqual(decoded.value, value);

    // The same through the node codec, as the Package resource of Firmware Update (opaque).
    const path = Lwm2mPath.parse('/5/0/0');
    const encoded = tlvNodeCodec.encode(path, resource(0, opaqueValue(value)), testModels);
    assert.deepEqual(encoded, bytes);
    assert.ok(
      nodesEqual(tlvNodeCodec.decode(encoded, path, testModels, LARGE), resource(0, opaqueValue(value))),
    );
  });
}

test('16-bit identifiers combine with every length size: ids 256 and 65535', () => {
  // Resource instance (01), 16-bit id (bit 5): 0x60 | length type << 3 | short length.
  const cases: [id: number, length: number, header: string][] = [
    [256, 7, '67 0100'],
    [256, 8, '68 0100 08'],
    [65_535, 255, '68 ffff ff'],
    [65_535, 256, '70 ffff 0100'],
    [256, 65_535, '70 0100 ffff'],
    [256, 65_536, '78 0100 010000'],
  ];
  for (const [id, length, header] of cases) {
    const expected = header.replaceAll(' ', '');
    const bytes = encodeTlvRecords([{ type: 'resourceInstance', id, value: filled(length) }]);
    assert.equal(toHex(bytes.subarray(0, expected.length / 2)), expected, `id ${id}, length ${length}`);
    const [r] = decodeTlvRecords(bytes, LARGE);
    assert.equal(r?.id, id);
    assert.ok(r && 'value' in r && r.value.length === length);
  }
});

test('containers use the same length rules for their content: 255 and 256 bytes of children', () => {
  for (const [content, header] of [
    [255, '08 03 ff'],
    [256, '10 03 0100'],
    [65_536, '18 03 010000'],
  ] as const) {
    // One resource child whose record (type, id, 8- or 16-bit length, value) fills it exactly.
    const childHeader = content <= 0xff + 3 ? 3 : 4;
    const value = filled(content - childHeader);
    const bytes = encodeTlvRecords([
      { type: 'objectInstance', id: 3, children: [{ type: 'resource', id: 1, value }] },
    ]);
    const expected = header.replaceAll(' ', '');
    assert.equal(toHex(bytes.subarray(0, expected.length / 2)), expected, `${content} bytes of children`);
    assert.equal(bytes.length, expected.length / 2 + content);
    const [inst] = decodeTlvRecords(bytes, LARGE);
    assert.ok(inst && 'children' in inst);
    assert.deepEqual((inst.children[0] as { value: Uint8Array }).value, value);
  }
});

test('a longer length field than needed is accepted when decoding (liberal), never produced', () => {
  // 3 bytes announced in a 16-bit length field instead of in the type byte.
  const [r] = decodeTlvRecords(hex('d0 05 0003 616263'.replaceAll(' ', '')));
  assert.ok(r && 'value' in r);
  assert.equal(r.id, 5);
  assert.deepEqual([...r.value], [0x61, 0x62, 0x63]);
  assert.equal(toHex(encodeTlvRecords([r])), 'c305616263');
});
