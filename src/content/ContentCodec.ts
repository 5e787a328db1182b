// The two interfaces every content-format codec implements (STYLE.md 6), registered by format
// number in contentCodecs.ts.
import type { Lwm2mNode, PathNode, TimestampedNodes } from '../lwm2m/Lwm2mNode.js';
import type { Lwm2mPath } from '../lwm2m/Lwm2mPath.js';
import type { ModelLookup } from '../model/ObjectModel.js';
import type { DecodeLimits } from './decodeLimits.js';

/**
 * Encodes and decodes one node at one path (Read, Write, Create, Notify payloads).
 * `decode` returns a node of the kind the path implies: an ObjectNode at an object path
 * (a Create payload without an instance id yields one instance with id NO_INSTANCE_ID),
 * an ObjectInstanceNode at an instance path, a resource node at a resource path,
 * a ResourceInstanceNode at a resource-instance path.
 * Decoding is model-directed: value types come from `models`; unknown resources fall back to
 * what the format itself tells (e.g. opaque for TLV, the SenML value field for SenML).
 */
export interface NodeCodec {
  readonly format: number;
  /** Throws UnsupportedContentFormatError when the format cannot carry this node. */
  encode(path: Lwm2mPath, node: Lwm2mNode, models: ModelLookup): Uint8Array;
  /** Throws DecodeError for malformed input; never anything else for any byte string. */
  decode(bytes: Uint8Array, path: Lwm2mPath, models: ModelLookup, limits?: DecodeLimits): Lwm2mNode;
}

/**
 * Formats that carry many paths in one payload (SenML JSON/CBOR, LwM2M CBOR, LwM2M JSON):
 * composite Read/Write/Observe, Send, and timestamped (historical) notifications.
 */
export interface MultiNodeCodec extends NodeCodec {
  /** Encodes nodes at their paths (composite read response, write-composite body). */
  encodeNodes(nodes: readonly PathNode[], models: ModelLookup): Uint8Array;
  /** Decodes records into one node per leaf path (resource or resource instance). */
  decodeNodes(bytes: Uint8Array, models: ModelLookup, limits?: DecodeLimits): PathNode[];
  /** Encodes groups of nodes with timestamps (Send, historical notifications). */
  encodeTimestamped(data: readonly TimestampedNodes[], models: ModelLookup): Uint8Array;
  /** Decodes records grouped by timestamp, in payload order. */
  decodeTimestamped(bytes: Uint8Array, models: ModelLookup, limits?: DecodeLimits): TimestampedNodes[];
  /** Encodes a list of paths with no values (composite Read/Observe request body). */
  encodePaths(paths: readonly Lwm2mPath[]): Uint8Array;
  /** Decodes a list of paths (composite Read/Observe request body). */
  decodePaths(bytes: Uint8Array, limits?: DecodeLimits): Lwm2mPath[];
}
