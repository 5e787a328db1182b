// LwM2M Core TS 1.1.1 section 6.1 and Appendix E.1-E.3: the ClientState of an object tree (the
// Security, Server and Access Control objects whole, plus the resources the Bootstrap-Server wrote
// elsewhere) and its restoration, encoded with the SenML JSON codec (Core TS 7.4.5).
import { requireNodeCodec } from '../../content/contentCodecs.js';
import { ContentFormat } from '../../content/ContentFormat.js';
import { DecodeError } from '../../lwm2m/errors.js';
import type { ObjectInstanceNode, ResourceNode } from '../../lwm2m/Lwm2mNode.js';
import { Lwm2mPath } from '../../lwm2m/Lwm2mPath.js';
import { instance } from '../../lwm2m/nodes.js';
import type { ObjectTree } from '../ObjectTree.js';
import { bootstrapWrite } from './applyBootstrapRequest.js';
import type { ClientState } from './ClientStateStore.js';

/** Objects persisted whole: Security, Server, Access Control. */
export const PERSISTED_OBJECTS: readonly number[] = Object.freeze([0, 1, 2]);

const codec = requireNodeCodec(ContentFormat.SENML_JSON);
const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

const toRecords = (path: Lwm2mPath, node: Parameters<typeof codec.encode>[1], tree: ObjectTree): unknown[] =>
  JSON.parse(fromUtf8.decode(codec.encode(path, node, tree))) as unknown[];

/** The state of `tree`; `written` lists resource paths the Bootstrap-Server wrote in other objects. */
export function snapshotClientState(tree: ObjectTree, written: Iterable<Lwm2mPath> = []): ClientState {
  const objects: Record<string, unknown[]> = {};
  for (const oid of PERSISTED_OBJECTS) {
    if (!tree.getObject(oid)) continue;
    const node = tree.read(Lwm2mPath.of(oid));
    objects[oid] =
      node.kind === 'object' && node.instances.length > 0 ? toRecords(Lwm2mPath.of(oid), node, tree) : [];
  }
  const byInstance = new Map<string, { path: Lwm2mPath; resources: Map<number, ResourceNode> }>();
  for (const p of written) {
    if (PERSISTED_OBJECTS.includes(p.objectId!) || p.length < 3) continue;
    const inst = tree.get(p.objectId!, p.instanceId!);
    const r = inst?.read(p.resourceId!);
    if (!r) continue;
    const key = p.parent().toString();
    let group = byInstance.get(key);
    if (!group) byInstance.set(key, (group = { path: p.parent(), resources: new Map() }));
    group.resources.set(r.id, r);
  }
  const instances: Record<string, unknown[]> = {};
  for (const [key, g] of byInstance) {
    const node = instance(
      g.path.instanceId!,
      [...g.resources.values()].sort((a, b) => a.id - b.id),
    );
    instances[key] = toRecords(g.path, node, tree);
  }
  return { version: 1, objects, instances };
}

function decodeAt(path: Lwm2mPath, records: readonly unknown[], tree: ObjectTree) {
  return codec.decode(utf8.encode(JSON.stringify(records)), path, tree);
}

/**
 * Replaces the persisted objects of `tree` with the state's and rewrites the other resources it
 * holds. Throws DecodeError for a state that does not fit the tree's models.
 */
export function restoreClientState(tree: ObjectTree, state: ClientState): void {
  if (state.version !== 1 || typeof state.objects !== 'object' || typeof state.instances !== 'object')
    throw new DecodeError('not a version 1 client state', 0);
  const decoded: [number, ObjectInstanceNode[]][] = [];
  for (const [key, records] of Object.entries(state.objects)) {
    const oid = Number(key);
    if (!tree.getObject(oid) || !Array.isArray(records))
      throw new DecodeError(`client state names object ${key.slice(0, 10)} the client lacks`, 0);
    const node = records.length === 0 ? undefined : decodeAt(Lwm2mPath.of(oid), records, tree);
    decoded.push([oid, node?.kind === 'object' ? [...node.instances] : []]);
  }
  const rest: [Lwm2mPath, ObjectInstanceNode][] = [];
  for (const [key, records] of Object.entries(state.instances)) {
    const path = Lwm2mPath.parse(key);
    const node = decodeAt(path, records, tree);
    if (!path.isObjectInstance() || node.kind !== 'instance')
      throw new DecodeError(`client state entry ${key.slice(0, 20)} is not an instance`, 0);
    rest.push([path, node]);
  }
  for (const [oid, instances] of decoded) {
    for (const id of tree.instanceIds(oid)) tree.delete(oid, id);
    for (const i of instances) bootstrapWrite(tree, Lwm2mPath.of(oid, i.id), i);
  }
  for (const [path, node] of rest) bootstrapWrite(tree, path, node);
}
