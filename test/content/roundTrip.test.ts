// Round-trip property tests: random valid nodes encode and decode back equal, for each format of
// this module (seeded, so a failure names its seed and repeats).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cborCodec } from '../../src/content/cbor/CborCodec.js';
import type { NodeCodec } from '../../src/content/ContentCodec.js';
import { opaqueCodec } from '../../src/content/opaque/OpaqueCodec.js';
import { textCodec } from '../../src/content/text/TextCodec.js';
import { tlvNodeCodec } from '../../src/content/tlv/TlvNodeCodec.js';
import { Lwm2mPath } from '../../src/lwm2m/Lwm2mPath.js';
import type { ValueType } from '../../src/lwm2m/Lwm2mValue.js';
import { nodesEqual, resource, resourceInstance } from '../../src/lwm2m/nodes.js';
import { Gen, prng, randomTestNode, testResourceId } from './randomNodes.js';
import { TEST_OBJECT, TEST_TYPES, testModels } from './testModels.js';

const show = (x: unknown) =>
  JSON.stringify(x, (_k, v: unknown) =>
    typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? [...v] : v,
  );

test('TLV round-trips random objects, instances, resources and resource instances', () => {
  for (let seed = 1; seed <= 400; seed++) {
    const g = new Gen(prng(seed));
    const { path, node } = randomTestNode(g, ((seed % 4) + 1) as 1 | 2 | 3 | 4);
    const bytes = tlvNodeCodec.encode(path, node, testModels);
    const back = tlvNodeCodec.decode(bytes, path, testModels);
    assert.ok(nodesEqual(back, node), `seed ${seed} at ${path.toString()}: ${show(node)} != ${show(back)}`);
  }
});

function singleValueRoundTrip(codec: NodeCodec, types: readonly ValueType[], finiteFloats: boolean): void {
  for (let seed = 1; seed <= 500; seed++) {
    const g = new Gen(prng(seed));
    const type = g.pick(types);
    const asInstance = g.next() < 0.3;
    const value = g.value(type, finiteFloats);
    const path = asInstance
      ? Lwm2mPath.of(TEST_OBJECT, 0, testResourceId(type, true), g.int(0, 100))
      : Lwm2mPath.of(TEST_OBJECT, 0, testResourceId(type, false));
    const node = asInstance
      ? resourceInstance(path.resourceInstanceId!, value)
      : resource(path.resourceId!, value);
    const back = codec.decode(codec.encode(path, node, testModels), path, testModels);
    assert.ok(nodesEqual(back, node), `seed ${seed} ${type}: ${show(node)} != ${show(back)}`);
  }
}

test('text round-trips random single values of every type', () => {
  singleValueRoundTrip(textCodec, TEST_TYPES, true);
});

test('CBOR round-trips random single values of every type, including NaN and infinities', () => {
  singleValueRoundTrip(cborCodec, TEST_TYPES, false);
});

test('opaque round-trips random byte strings', () => {
  singleValueRoundTrip(opaqueCodec, ['opaque'], false);
});
