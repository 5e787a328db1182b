// Value oracles for the fuzzers: whatever a decoder accepts must survive encode → decode with the
// same meaning. "No exception but DecodeError" proves only that the decoder is safe; these prove
// that what it returned is what the bytes said (or a documented normalization of it).
import assert from 'node:assert/strict';
import type { MultiNodeCodec, NodeCodec } from '../../src/content/ContentCodec.js';
import type { DecodeLimits } from '../../src/content/decodeLimits.js';
import type { Lwm2mNode, PathNode, TimestampedNodes } from '../../src/lwm2m/Lwm2mNode.js';
import type { Lwm2mPath } from '../../src/lwm2m/Lwm2mPath.js';
import { nodesEqual } from '../../src/lwm2m/nodes.js';
import type { ModelLookup } from '../../src/model/ObjectModel.js';

/** Runs after a successful decode; throws (an assertion) when the decoded value is wrong. */
export type FuzzCheck = () => void;

const describeNode = (n: Lwm2mNode): string =>
  JSON.stringify(n, (_k, v: unknown) =>
    typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v,
  );

function assertNodesEqual(a: Lwm2mNode, b: Lwm2mNode, what: string): void {
  assert.ok(nodesEqual(a, b), `${what}: ${describeNode(a)} came back as ${describeNode(b)}`);
}

function assertPathNodesEqual(a: readonly PathNode[], b: readonly PathNode[], what: string): void {
  assert.equal(b.length, a.length, `${what}: ${a.length} nodes came back as ${b.length}`);
  a.forEach((x, i) => {
    const y = b[i]!;
    assert.equal(y.path.toString(), x.path.toString(), `${what}: path #${i}`);
    assertNodesEqual(x.node, y.node, `${what}: ${x.path.toString()}`);
  });
}

/** Decodes `bytes` at `path`; the check re-encodes the node and decodes it to the same node. */
export function decodeNodeChecked(
  codec: NodeCodec,
  bytes: Uint8Array,
  path: Lwm2mPath,
  models: ModelLookup,
  limits?: DecodeLimits,
): FuzzCheck {
  const node = codec.decode(bytes, path, models, limits);
  return () => {
    const again = codec.encode(path, node, models);
    assertNodesEqual(node, codec.decode(again, path, models, limits), `format ${codec.format} at ${path}`);
  };
}

/** decodeNodes, then encodeNodes → decodeNodes gives the same paths and nodes. */
export function decodeNodesChecked(codec: MultiNodeCodec, bytes: Uint8Array, models: ModelLookup): FuzzCheck {
  const nodes = codec.decodeNodes(bytes, models);
  return () => {
    const again = codec.decodeNodes(codec.encodeNodes(nodes, models), models);
    assertPathNodesEqual(nodes, again, `format ${codec.format} decodeNodes`);
  };
}

/** decodeTimestamped, then encodeTimestamped → decodeTimestamped gives the same groups. */
export function decodeTimestampedChecked(
  codec: MultiNodeCodec,
  bytes: Uint8Array,
  models: ModelLookup,
): FuzzCheck {
  const groups = codec.decodeTimestamped(bytes, models);
  return () => {
    const again: TimestampedNodes[] = codec.decodeTimestamped(
      codec.encodeTimestamped(groups, models),
      models,
    );
    assert.equal(again.length, groups.length, `format ${codec.format}: timestamped group count`);
    groups.forEach((g, i) => {
      assert.equal(again[i]!.timestamp, g.timestamp, `format ${codec.format}: timestamp of group #${i}`);
      assertPathNodesEqual(g.nodes, again[i]!.nodes, `format ${codec.format} group #${i}`);
    });
  };
}

/** decodePaths, then encodePaths → decodePaths gives the same paths. */
export function decodePathsChecked(codec: MultiNodeCodec, bytes: Uint8Array): FuzzCheck {
  const paths = codec.decodePaths(bytes);
  return () => {
    const again = codec.decodePaths(codec.encodePaths(paths));
    assert.deepEqual(again.map(String), paths.map(String), `format ${codec.format}: paths`);
  };
}
