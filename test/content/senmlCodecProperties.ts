// Round-trip property checks shared by the multi-path codecs (SenML JSON/CBOR, LwM2M JSON/CBOR):
// random valid nodes of the all-types test object, encoded and decoded back, compared exactly.
import assert from 'node:assert/strict';
import type { Lwm2mNode, PathNode, TimestampedNodes } from '../../src/lwm2m/Lwm2mNode.js';
import { Lwm2mPath } from '../../src/lwm2m/Lwm2mPath.js';
import type { Lwm2mValue, ValueType } from '../../src/lwm2m/Lwm2mValue.js';
import {
  floatValue,
  integerValue,
  objlnkValue,
  opaqueValue,
  stringValue,
  timeValue,
  unsignedValue,
} from '../../src/lwm2m/values.js';
import { buildTree, flattenToLeaves, nodesEqual, resource } from '../../src/lwm2m/nodes.js';
import type { MultiNodeCodec } from '../../src/content/ContentCodec.js';
import { Gen, prng, randomTestNode, testResourceId } from './randomNodes.js';
import { TEST_OBJECT, TEST_TYPES, testModels } from './testModels.js';

/** What a format can carry. */
export interface CodecTraits {
  /** JSON formats cannot carry NaN or infinities. */
  readonly finiteFloatsOnly: boolean;
  readonly timestamps: boolean;
}

function hasNonFinite(path: Lwm2mPath, node: Lwm2mNode): boolean {
  return flattenToLeaves(path, node).some((l) => {
    const v = (l.node as { value: { type: string; value: unknown } }).value;
    return v.type === 'float' && !Number.isFinite(v.value as number);
  });
}

/** A random node the format can carry. */
export function carriableNode(
  g: Gen,
  traits: CodecTraits,
  level: 1 | 2 | 3 | 4,
): { path: Lwm2mPath; node: Lwm2mNode } {
  for (;;) {
    const n = randomTestNode(g, level);
    if (!traits.finiteFloatsOnly || !hasNonFinite(n.path, n.node)) return n;
  }
}

/** The node as a decoder can give it back: rebuilt from its leaves (empty containers below the path vanish). */
export function normalized(path: Lwm2mPath, node: Lwm2mNode): Lwm2mNode {
  return buildTree(path, flattenToLeaves(path, node), testModels);
}

function explain(codec: MultiNodeCodec, bytes: Uint8Array): string {
  const text = codec.format === 110 || codec.format === 11543;
  return text ? new TextDecoder().decode(bytes) : Buffer.from(bytes).toString('hex');
}

/** decode(encode(node)) equals the node, for `runs` random nodes at every path level. */
export function checkNodeRoundTrip(
  codec: MultiNodeCodec,
  traits: CodecTraits,
  seed: number,
  runs: number,
): void {
  const g = new Gen(prng(seed));
  for (let i = 0; i < runs; i++) {
    const level = ((i % 4) + 1) as 1 | 2 | 3 | 4;
    const { path, node } = carriableNode(g, traits, level);
    const bytes = codec.encode(path, node, testModels);
    const back = codec.decode(bytes, path, testModels);
    assert.ok(
      nodesEqual(back, normalized(path, node)),
      `round trip #${i} at ${path}: ${explain(codec, bytes)}`,
    );
  }
}

function sortLeaves(leaves: readonly PathNode[]): PathNode[] {
  return [...leaves].sort((a, b) => a.path.compareTo(b.path));
}

function assertSameLeaves(actual: readonly PathNode[], expected: readonly PathNode[], why: string): void {
  const a = sortLeaves(actual);
  const e = sortLeaves(expected);
  assert.equal(a.length, e.length, why);
  a.forEach((l, i) => {
    assert.equal(l.path.toString(), e[i]!.path.toString(), why);
    assert.ok(nodesEqual(l.node, e[i]!.node), `${why}: ${l.path}`);
  });
}

/** Several nodes at distinct instances: decodeNodes gives back exactly their leaves. */
export function randomPathNodes(g: Gen, traits: CodecTraits): PathNode[] {
  const used = new Set<number>();
  const out: PathNode[] = [];
  for (let k = g.int(1, 4); k > 0; k--) {
    const { path, node } = carriableNode(g, traits, g.pick([2, 3, 4] as const));
    if (used.has(path.instanceId!)) continue;
    used.add(path.instanceId!);
    out.push({ path, node });
  }
  return out;
}

/** encodeNodes → decodeNodes keeps every leaf, for `runs` random multi-path payloads. */
export function checkMultiRoundTrip(
  codec: MultiNodeCodec,
  traits: CodecTraits,
  seed: number,
  runs: number,
): void {
  const g = new Gen(prng(seed));
  for (let i = 0; i < runs; i++) {
    const nodes = randomPathNodes(g, traits);
    const bytes = codec.encodeNodes(nodes, testModels);
    const expected = nodes.flatMap((n) => flattenToLeaves(n.path, n.node));
    assertSameLeaves(codec.decodeNodes(bytes, testModels), expected, `multi #${i}: ${explain(codec, bytes)}`);
  }
}

/** encodeTimestamped → decodeTimestamped keeps groups, timestamps and leaves. */
export function checkTimestampedRoundTrip(
  codec: MultiNodeCodec,
  traits: CodecTraits,
  seed: number,
  runs: number,
): void {
  const g = new Gen(prng(seed));
  for (let i = 0; i < runs; i++) {
    const groups: TimestampedNodes[] = [];
    let t = 1_600_000_000;
    for (let k = g.int(1, 4); k > 0; k--) {
      let nodes = randomPathNodes(g, traits);
      if (nodes.every((n) => flattenToLeaves(n.path, n.node).length === 0)) {
        const rid = testResourceId('integer', false);
        nodes = [{ path: Lwm2mPath.of(TEST_OBJECT, 0, rid), node: resource(rid, g.value('integer')) }];
      }
      const previous = groups[groups.length - 1];
      t += g.int(1, 1000) + (g.next() < 0.3 ? 0.5 : 0);
      const timestamp = g.next() < 0.2 && previous?.timestamp !== undefined ? undefined : t;
      groups.push(timestamp === undefined ? { nodes } : { timestamp, nodes });
    }
    const bytes = codec.encodeTimestamped(groups, testModels);
    const back = codec.decodeTimestamped(bytes, testModels);
    const why = `timestamped #${i}: ${explain(codec, bytes)}`;
    assert.equal(back.length, groups.length, why);
    back.forEach((b, k) => {
      assert.equal(b.timestamp, groups[k]!.timestamp, why);
      const expected = groups[k]!.nodes.flatMap((n) => flattenToLeaves(n.path, n.node));
      assertSameLeaves(b.nodes, expected, why);
    });
  }
}

/** Value types a format keeps without a model (the rest fall back to another type). */
export function checkSelfDescribing(
  codec: MultiNodeCodec,
  types: readonly ValueType[],
  seed: number,
  runs: number,
  traits: CodecTraits,
): void {
  const g = new Gen(prng(seed));
  const none = { getObject: () => undefined };
  for (let i = 0; i < runs; i++) {
    const type = g.pick(types);
    const rid = TEST_TYPES.indexOf(type);
    const path = Lwm2mPath.of(TEST_OBJECT, 1, rid);
    const node = resource(rid, g.value(type, traits.finiteFloatsOnly));
    const bytes = codec.encode(path, node, none);
    assert.ok(
      nodesEqual(codec.decode(bytes, path, none), node),
      `self-describing ${type}: ${explain(codec, bytes)}`,
    );
  }
}

/** Edge values of every type (64-bit extremes, empty text and bytes, the null objlnk, float specials). */
export function checkExtremes(codec: MultiNodeCodec, traits: CodecTraits): void {
  const values: [ValueType, Lwm2mValue][] = [
    ['integer', integerValue(-(2n ** 63n))],
    ['integer', integerValue(2n ** 63n - 1n)],
    ['integer', integerValue(BigInt(Number.MAX_SAFE_INTEGER) + 1n)],
    ['unsignedInteger', unsignedValue(2n ** 64n - 1n)],
    ['unsignedInteger', unsignedValue(0)],
    ['string', stringValue('')],
    ['string', stringValue('"\\\u0000\u{1f600}')],
    ['opaque', opaqueValue(new Uint8Array(0))],
    ['objlnk', objlnkValue(65535, 65535)],
    ['float', floatValue(-0)],
    ['float', floatValue(Number.MAX_VALUE)],
    ['float', floatValue(Number.MIN_VALUE)],
    ['time', timeValue(0)],
    ['time', timeValue(-1)],
    ...(traits.finiteFloatsOnly
      ? []
      : ([
          ['float', floatValue(NaN)],
          ['float', floatValue(Infinity)],
          ['float', floatValue(-Infinity)],
        ] as [ValueType, Lwm2mValue][])),
  ];
  for (const [type, value] of values) {
    const rid = testResourceId(type, false);
    const path = Lwm2mPath.of(TEST_OBJECT, 0, rid);
    const bytes = codec.encode(path, resource(rid, value), testModels);
    const back = codec.decode(bytes, path, testModels);
    assert.ok(
      nodesEqual(back, resource(rid, value)),
      `${type} ${String(value.value)}: ${explain(codec, bytes)}`,
    );
  }
}
