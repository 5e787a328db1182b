// LwM2M Core TS 1.1.1 section 6.1 (data model): builders, lookups and comparisons for the node tree,
// and the conversion between a tree and its leaves that record-based formats (SenML) need.
import { BadRequestError, DecodeError } from './errors.js';
import type {
  Lwm2mNode,
  MultipleResourceNode,
  ObjectInstanceNode,
  ObjectNode,
  PathNode,
  ResourceInstanceNode,
  ResourceNode,
  SingleResourceNode,
} from './Lwm2mNode.js';
import { Lwm2mPath } from './Lwm2mPath.js';
import type { Lwm2mValue, ValueType } from './Lwm2mValue.js';
import { valuesEqual } from './values.js';
import type { ModelLookup } from '../model/ObjectModel.js';

/** A single-instance resource node. */
export function resource(id: number, value: Lwm2mValue): SingleResourceNode {
  return { kind: 'resource', id, value };
}

/** One resource instance node. */
export function resourceInstance(id: number, value: Lwm2mValue): ResourceInstanceNode {
  return { kind: 'resourceInstance', id, value };
}

/** A multiple-instance resource from instance nodes or an id → value map; `valueType` defaults to the first value's. */
export function multipleResource(
  id: number,
  instances: readonly ResourceInstanceNode[] | ReadonlyMap<number, Lwm2mValue>,
  valueType?: ValueType,
): MultipleResourceNode {
  const list = Array.isArray(instances)
    ? (instances as readonly ResourceInstanceNode[]).slice()
    : [...(instances as ReadonlyMap<number, Lwm2mValue>)].map(([i, v]) => resourceInstance(i, v));
  const type = valueType ?? list[0]?.value.type;
  return type === undefined
    ? { kind: 'multipleResource', id, instances: list }
    : { kind: 'multipleResource', id, valueType: type, instances: list };
}

/** An object instance node. */
export function instance(id: number, resources: readonly ResourceNode[]): ObjectInstanceNode {
  return { kind: 'instance', id, resources: resources.slice() };
}

/** An object node. */
export function object(id: number, instances: readonly ObjectInstanceNode[]): ObjectNode {
  return { kind: 'object', id, instances: instances.slice() };
}

/** The level a path addresses: 'resource' covers both single and multiple resources. */
export type NodeLevel = 'object' | 'instance' | 'resource' | 'resourceInstance';

/** The node level a path addresses; throws BadRequestError for the root path, which holds no node. */
export function nodeKindForPath(path: Lwm2mPath): NodeLevel {
  switch (path.length) {
    case 1:
      return 'object';
    case 2:
      return 'instance';
    case 3:
      return 'resource';
    case 4:
      return 'resourceInstance';
    default:
      throw new BadRequestError('the root path holds no node');
  }
}

/** True when the node's kind and id fit the path (a resource path takes either resource kind). */
export function nodeMatchesPath(path: Lwm2mPath, node: Lwm2mNode): boolean {
  if (path.length === 0) return false;
  const level = nodeKindForPath(path);
  const kindOk =
    level === 'resource' ? node.kind === 'resource' || node.kind === 'multipleResource' : node.kind === level;
  return kindOk && node.id === path.toArray()[path.length - 1];
}

/** Throws BadRequestError unless the node's kind and id fit the path. */
export function assertNodeMatchesPath(path: Lwm2mPath, node: Lwm2mNode): void {
  if (!nodeMatchesPath(path, node)) {
    throw new BadRequestError(`a ${node.kind} node with id ${node.id} cannot sit at ${path.toString()}`);
  }
}

/** The direct children of a node (instances, resources or resource instances); none for leaves. */
export function childrenOf(node: Lwm2mNode): readonly Lwm2mNode[] {
  switch (node.kind) {
    case 'object':
      return node.instances;
    case 'instance':
      return node.resources;
    case 'multipleResource':
      return node.instances;
    default:
      return [];
  }
}

/** The node at `path` inside `root` (a PathNode, or an ObjectNode standing at its own object path). */
export function findNode(root: PathNode | ObjectNode, path: Lwm2mPath): Lwm2mNode | undefined {
  const at = 'kind' in root ? { path: Lwm2mPath.of(root.id), node: root } : root;
  if (!path.startsWith(at.path)) return undefined;
  let node: Lwm2mNode | undefined = at.node;
  for (const id of path.toArray().slice(at.path.length)) {
    node = childrenOf(node).find((c) => c.id === id);
    if (node === undefined) return undefined;
  }
  return node;
}

/**
 * The leaves under `node` at `path`, in tree order: single resources at resource paths and
 * resource instances at resource-instance paths. Empty containers yield no leaf.
 */
export function flattenToLeaves(path: Lwm2mPath, node: Lwm2mNode): PathNode[] {
  const out: PathNode[] = [];
  const walk = (p: Lwm2mPath, n: Lwm2mNode): void => {
    if (n.kind === 'resource' || n.kind === 'resourceInstance') out.push({ path: p, node: n });
    else for (const c of childrenOf(n)) walk(p.child(c.id), c);
  };
  walk(path, node);
  return out;
}

/**
 * Builds the node at `path` from leaves below or at it (the inverse of flattenToLeaves): children
 * sorted by id; a resource with instance leaves becomes a MultipleResourceNode typed from the model
 * when known. Throws DecodeError (offset 0) for a leaf outside `path`, a leaf that is not a
 * resource or resource instance at a path of that length, or two leaves at one path; decoders
 * rethrow it with their own offset.
 */
export function buildTree(path: Lwm2mPath, leaves: readonly PathNode[], models?: ModelLookup): Lwm2mNode {
  if (path.length === 0) throw new DecodeError('cannot build a node at the root path', 0);
  // One pass, grouped by numeric ids: instance id → resource id → a single resource node, or
  // resource instance id → resource instance node.
  const tree = new Map<number, Map<number, ResourceEntry>>();
  for (const leaf of leaves) {
    const p = leaf.path;
    if (!p.startsWith(path)) throw new DecodeError(`${p.toString()} lies outside ${path.toString()}`, 0);
    const isResource = p.length === 3 && leaf.node.kind === 'resource';
    const isInstance = p.length === 4 && leaf.node.kind === 'resourceInstance';
    if ((!isResource && !isInstance) || leaf.node.id !== (isResource ? p.resourceId : p.resourceInstanceId)) {
      throw new DecodeError(`a ${leaf.node.kind} leaf cannot sit at ${p.toString()}`, 0);
    }
    let resources = tree.get(p.instanceId!);
    if (!resources) tree.set(p.instanceId!, (resources = new Map()));
    const existing = resources.get(p.resourceId!);
    if (isResource) {
      if (existing !== undefined) throw new DecodeError(`two values for ${p.toString()}`, 0);
      resources.set(p.resourceId!, leaf.node as SingleResourceNode);
    } else {
      if (existing !== undefined && !(existing instanceof Map)) {
        throw new DecodeError(`two values for ${p.parent().toString()}`, 0);
      }
      const byId = existing ?? new Map<number, ResourceInstanceNode>();
      if (byId.has(leaf.node.id)) throw new DecodeError(`two values for ${p.toString()}`, 0);
      byId.set(leaf.node.id, leaf.node as ResourceInstanceNode);
      if (!existing) resources.set(p.resourceId!, byId);
    }
  }
  const objectModel = models?.getObject(path.objectId!);
  const resourceNode = (resourceId: number, entry: ResourceEntry | undefined): ResourceNode => {
    if (entry !== undefined && !(entry instanceof Map)) return entry;
    const insts = entry ? [...entry.values()].sort(byNodeId) : [];
    const modelType = objectModel?.resources.get(resourceId)?.type;
    return multipleResource(
      resourceId,
      insts,
      modelType !== undefined && modelType !== 'none' ? modelType : undefined,
    );
  };
  const instanceNode = (
    instanceId: number,
    resources: Map<number, ResourceEntry> | undefined,
  ): ObjectInstanceNode =>
    instance(
      instanceId,
      [...(resources ?? [])].sort(byKey).map(([id, entry]) => resourceNode(id, entry)),
    );

  switch (path.length) {
    case 1:
      return object(
        path.objectId!,
        [...tree].sort(byKey).map(([id, resources]) => instanceNode(id, resources)),
      );
    case 2:
      return instanceNode(path.instanceId!, tree.get(path.instanceId!));
    case 3: {
      const entry = tree.get(path.instanceId!)?.get(path.resourceId!);
      if (entry === undefined && objectModel?.resources.get(path.resourceId!)?.multiple !== true) {
        throw new DecodeError(`no value for ${path.toString()}`, 0);
      }
      return resourceNode(path.resourceId!, entry);
    }
    default: {
      const entry = tree.get(path.instanceId!)?.get(path.resourceId!);
      const leaf = entry instanceof Map ? entry.get(path.resourceInstanceId!) : undefined;
      if (!leaf) throw new DecodeError(`no value for ${path.toString()}`, 0);
      return leaf;
    }
  }
}

type ResourceEntry = SingleResourceNode | Map<number, ResourceInstanceNode>;
const byNodeId = (a: { id: number }, b: { id: number }): number => a.id - b.id;
const byKey = (a: readonly [number, unknown], b: readonly [number, unknown]): number => a[0] - b[0];

function sameIdsAndChildren(a: readonly Lwm2mNode[], b: readonly Lwm2mNode[]): boolean {
  if (a.length !== b.length) return false;
  const byId = new Map(b.map((n) => [n.id, n]));
  return a.every((n) => {
    const other = byId.get(n.id);
    return other !== undefined && nodesEqual(n, other);
  });
}

/** True when two nodes hold the same tree (children compared by id, in any order; valueType only when both state it). */
export function nodesEqual(a: Lwm2mNode, b: Lwm2mNode): boolean {
  if (a.kind !== b.kind || a.id !== b.id) return false;
  switch (a.kind) {
    case 'resource':
    case 'resourceInstance':
      return valuesEqual(a.value, (b as SingleResourceNode | ResourceInstanceNode).value);
    case 'multipleResource': {
      const m = b as MultipleResourceNode;
      if (a.valueType !== undefined && m.valueType !== undefined && a.valueType !== m.valueType) return false;
      return sameIdsAndChildren(a.instances, m.instances);
    }
    default:
      return sameIdsAndChildren(childrenOf(a), childrenOf(b));
  }
}
