// LwM2M Core TS 1.1.1 section 6.1 (data model) and Appendix C (data types) as readable JSON for the
// REST API. Values: integers as JSON numbers when safe, else decimal strings; floats as numbers
// ("NaN", "Infinity", "-Infinity" as strings); opaque as standard base64 (RFC 4648 section 4); time
// as an ISO 8601 UTC string; objlnk as "objectId:instanceId"; corelnk as its link text.
import type { Lwm2mNode, PathNode, TimestampedNodes } from '../lwm2m/Lwm2mNode.js';
import type { Lwm2mValue, ValueType } from '../lwm2m/Lwm2mValue.js';
import { formatObjlnk, toBase64 } from '../lwm2m/values.js';

/** A value as it appears in JSON. */
export type JsonScalar = string | number | boolean;

/** A resource instance: `{ kind, id, type, value }`. */
export interface ResourceInstanceJson {
  readonly kind: 'resourceInstance';
  readonly id: number;
  readonly type: ValueType;
  readonly value: JsonScalar;
}
/** A single-instance resource: `{ kind, id, type, value }`. */
export interface ResourceJson {
  readonly kind: 'resource';
  readonly id: number;
  readonly type: ValueType;
  readonly value: JsonScalar;
}
/** A multiple-instance resource with its instances. */
export interface MultipleResourceJson {
  readonly kind: 'multipleResource';
  readonly id: number;
  readonly type?: ValueType;
  readonly instances: readonly ResourceInstanceJson[];
}
/** An object instance with its resources. */
export interface InstanceJson {
  readonly kind: 'instance';
  readonly id: number;
  readonly resources: readonly (ResourceJson | MultipleResourceJson)[];
}
/** An object with its instances. */
export interface ObjectJson {
  readonly kind: 'object';
  readonly id: number;
  readonly instances: readonly InstanceJson[];
}
/** Any node as JSON. */
export type NodeJson = ObjectJson | InstanceJson | ResourceJson | MultipleResourceJson | ResourceInstanceJson;

/** A node at its path as JSON (composite operations, Send, notifications). */
export interface PathNodeJson {
  readonly path: string;
  readonly node: NodeJson;
}

/** The JSON form of a value (see the module comment for each type). */
export function valueToJson(value: Lwm2mValue): JsonScalar {
  switch (value.type) {
    case 'string':
    case 'corelnk':
    case 'boolean':
      return value.value;
    case 'integer':
    case 'unsignedInteger':
      return typeof value.value === 'number' && Number.isSafeInteger(value.value)
        ? value.value
        : value.value.toString();
    case 'float':
      return Number.isFinite(value.value) ? value.value : String(value.value);
    case 'opaque':
      return toBase64(value.value);
    case 'time':
      return Number.isNaN(value.value.getTime()) ? 'Invalid Date' : value.value.toISOString();
    case 'objlnk':
      return formatObjlnk(value.value);
  }
}

/** The JSON form of a node. */
export function nodeToJson(node: Lwm2mNode): NodeJson {
  switch (node.kind) {
    case 'object':
      return { kind: 'object', id: node.id, instances: node.instances.map((i) => instanceToJson(i)) };
    case 'instance':
      return instanceToJson(node);
    case 'resource':
      return { kind: 'resource', id: node.id, type: node.value.type, value: valueToJson(node.value) };
    case 'resourceInstance':
      return { kind: 'resourceInstance', id: node.id, type: node.value.type, value: valueToJson(node.value) };
    case 'multipleResource': {
      const instances = node.instances.map((ri): ResourceInstanceJson => ({
        kind: 'resourceInstance',
        id: ri.id,
        type: ri.value.type,
        value: valueToJson(ri.value),
      }));
      const type = node.valueType ?? node.instances[0]?.value.type;
      return type === undefined
        ? { kind: 'multipleResource', id: node.id, instances }
        : { kind: 'multipleResource', id: node.id, type, instances };
    }
  }
}

function instanceToJson(node: Extract<Lwm2mNode, { kind: 'instance' }>): InstanceJson {
  return {
    kind: 'instance',
    id: node.id,
    resources: node.resources.map((r) => nodeToJson(r) as ResourceJson | MultipleResourceJson),
  };
}

/** Nodes at their paths as JSON, in the given order. */
export function pathNodesToJson(nodes: readonly PathNode[]): PathNodeJson[] {
  return nodes.map((n) => ({ path: n.path.toString(), node: nodeToJson(n.node) }));
}

/** Timestamped groups (Send, historical notifications) as JSON; `timestamp` in seconds since the epoch. */
export function timestampedToJson(
  groups: readonly TimestampedNodes[],
): { timestamp?: number; nodes: PathNodeJson[] }[] {
  return groups.map((g) =>
    g.timestamp === undefined
      ? { nodes: pathNodesToJson(g.nodes) }
      : { timestamp: g.timestamp, nodes: pathNodesToJson(g.nodes) },
  );
}
