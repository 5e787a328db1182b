// A Create without an instance id (Core TS 1.1.1 6.3.6): TLV carries it as bare resources
// (7.4.3); SenML JSON/CBOR, LwM2M JSON and LwM2M CBOR have no id-less form, so their encoders
// refuse it with UnsupportedContentFormatError and their decoders refuse an invented one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MultiNodeCodec } from '../../src/content/ContentCodec.js';
import { ContentFormat } from '../../src/content/ContentFormat.js';
import { carriesIdlessCreate, createFormat, isIdlessCreate } from '../../src/content/idlessCreate.js';
import { lwm2mCborCodec } from '../../src/content/lwm2mCbor/lwm2mCborCodec.js';
import { lwm2mJsonCodec } from '../../src/content/lwm2mJson/lwm2mJsonCodec.js';
import { senmlCborCodec } from '../../src/content/senml/senmlCborCodec.js';
import { senmlJsonCodec } from '../../src/content/senml/senmlJsonCodec.js';
import { tlvNodeCodec } from '../../src/content/tlv/TlvNodeCodec.js';
import { UnsupportedContentFormatError } from '../../src/lwm2m/errors.js';
import { NO_INSTANCE_ID } from '../../src/lwm2m/Lwm2mNode.js';
import { Lwm2mPath } from '../../src/lwm2m/Lwm2mPath.js';
import { instance, object, resource } from '../../src/lwm2m/nodes.js';
import { floatValue } from '../../src/lwm2m/values.js';
import { DecodeError } from '../../src/transport/DecodeError.js';
import { noModels } from './testModels.js';

const OBJ = Lwm2mPath.parse('/3303');
const temp = resource(5700, floatValue(21.5));
const idless = object(3303, [instance(NO_INSTANCE_ID, [temp])]);
const withId = object(3303, [instance(0, [temp])]);
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const utf8 = (b: Uint8Array): string => new TextDecoder().decode(b);
const fromHex = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h.replace(/ /g, ''), 'hex'));

const RECORD_CODECS: readonly MultiNodeCodec[] = [
  senmlJsonCodec,
  senmlCborCodec,
  lwm2mJsonCodec,
  lwm2mCborCodec,
];

const refusesIdless = (format: number) => (e: unknown) =>
  e instanceof UnsupportedContentFormatError &&
  e.code === 'LWM2M_UNSUPPORTED_CONTENT_FORMAT' &&
  e.message.startsWith(`content format ${format} cannot carry a Create without an instance id`) &&
  e.message.includes('use TLV');

test('TLV encodes a Create without id as bare resource TLVs at the top level (7.4.3)', () => {
  // e8: resource, 16-bit id, 8-bit length; 1644 = 5700; 08 bytes of float64 21.5.
  assert.equal(hex(tlvNodeCodec.encode(OBJ, idless, noModels)), 'e8164408' + '4035800000000000');
});

test('TLV decodes bare resources at an object path as one instance with NO_INSTANCE_ID', () => {
  const node = tlvNodeCodec.decode(fromHex('e8 1644 08 4035800000000000'), OBJ, noModels);
  assert.equal(node.kind, 'object');
  assert.deepEqual(node.kind === 'object' ? node.instances.map((i) => i.id) : [], [NO_INSTANCE_ID]);
});

for (const codec of RECORD_CODECS) {
  test(`format ${codec.format} refuses to encode a Create without id, naming the format and TLV`, () => {
    assert.throws(() => codec.encode(OBJ, idless, noModels), refusesIdless(codec.format));
    assert.throws(
      () => codec.encodeNodes([{ path: OBJ, node: idless }], noModels),
      refusesIdless(codec.format),
    );
    assert.throws(
      () => codec.encodeTimestamped([{ nodes: [{ path: OBJ, node: idless }] }], noModels),
      refusesIdless(codec.format),
    );
  });

  test(`format ${codec.format} refuses an id-less instance among others too`, () => {
    const mixed = object(3303, [instance(1, [temp]), instance(NO_INSTANCE_ID, [temp])]);
    assert.throws(() => codec.encode(OBJ, mixed, noModels), refusesIdless(codec.format));
  });
}

test('a Create with an id still encodes with the instance in every record name', () => {
  assert.equal(utf8(senmlJsonCodec.encode(OBJ, withId, noModels)), '[{"bn":"/3303/","n":"0/5700","v":21.5}]');
  assert.equal(
    hex(senmlCborCodec.encode(OBJ, withId, noModels)),
    '81a3' +
      '21' +
      '66' +
      hex(new TextEncoder().encode('/3303/')) +
      '00' +
      '66' +
      hex(new TextEncoder().encode('0/5700')) +
      '02' +
      'f94d60',
  );
  assert.equal(
    utf8(lwm2mJsonCodec.encode(OBJ, withId, noModels)),
    '{"bn":"/3303/","e":[{"n":"0/5700","v":21.5}]}',
  );
  assert.equal(hex(lwm2mCborCodec.encode(OBJ, withId, noModels)), 'a1190ce7a100a1191644f94d60');
});

// A form some have proposed (base name the object, names the resource ids) is what Wakaama reads
// as instance 5700: our decoders refuse it rather than guess.
const INVENTED: readonly [MultiNodeCodec, Uint8Array][] = [
  [senmlJsonCodec, new TextEncoder().encode('[{"bn":"/3303/","n":"5700","v":21.5}]')],
  [senmlCborCodec, fromHex('81 a3 21 66 2f333330332f 00 64 35373030 02 f94d60')],
  [lwm2mJsonCodec, new TextEncoder().encode('{"bn":"/3303/","e":[{"n":"5700","v":21.5}]}')],
  [lwm2mCborCodec, fromHex('a1 190ce7 a1 191644 f94d60')],
];

for (const [codec, bytes] of INVENTED) {
  test(`format ${codec.format} rejects records naming /3303/5700 at an object path`, () => {
    assert.throws(
      () => codec.decode(bytes, OBJ, noModels),
      (e: unknown) => e instanceof DecodeError && /\/3303\/5700"? is not a resource path/.test(e.message),
    );
  });
}

test('isIdlessCreate is true only for an object at an object path holding NO_INSTANCE_ID', () => {
  assert.equal(isIdlessCreate(OBJ, idless), true);
  assert.equal(isIdlessCreate(OBJ, withId), false);
  assert.equal(isIdlessCreate(Lwm2mPath.parse('/3303/0'), instance(0, [temp])), false);
});

test('only TLV (11542 and legacy 1542) carries a Create without id', () => {
  assert.deepEqual([11542, 1542, 110, 112, 11543, 1543, 11544, 60, 0].filter(carriesIdlessCreate), [
    ContentFormat.TLV,
    ContentFormat.LEGACY_TLV,
  ]);
});

test('createFormat keeps the wanted format unless the Create leaves the id out', () => {
  const cases: [wanted: number, node: typeof idless, expected: number][] = [
    [ContentFormat.SENML_JSON, withId, ContentFormat.SENML_JSON],
    [ContentFormat.LWM2M_CBOR, withId, ContentFormat.LWM2M_CBOR],
    [ContentFormat.SENML_CBOR, idless, ContentFormat.TLV],
    [ContentFormat.LWM2M_JSON, idless, ContentFormat.TLV],
    [ContentFormat.SENML_JSON, idless, ContentFormat.TLV],
    [ContentFormat.LEGACY_TLV, idless, ContentFormat.LEGACY_TLV],
  ];
  for (const [wanted, node, expected] of cases) {
    assert.equal(createFormat(wanted, OBJ, node), expected, String(wanted));
  }
});
