// LwM2M Core TS 1.1.1 sections 5.2.7.2-5.2.7.5 (Bootstrap-Discover, -Read, -Write, -Delete), client
// side: the operations a Bootstrap-Server runs with its own rights. It may write any object,
// including Security (object 0) and read-only resources, creating the instances it names; it may
// delete every instance but the Bootstrap-Server account; it reads only objects 1 and 2.
// Bootstrap-Finish (5.2.7.6) is the ClientBootstrapper's.
import { BadRequestError, NotFoundError } from '../../lwm2m/errors.js';
import type { Lwm2mNode, ObjectInstanceNode } from '../../lwm2m/Lwm2mNode.js';
import { Lwm2mPath } from '../../lwm2m/Lwm2mPath.js';
import type { DiscoverLink } from '../../lwm2m/linkFormat.js';
import type { Attributes } from '../../lwm2m/attributes.js';
import type { BootstrapDownlinkRequest } from '../../lwm2m/requests.js';
import { assertResourceMatchesModel } from '../declareInstance.js';
import type { ObjectInstance } from '../ObjectInstance.js';
import type { ObjectTree } from '../ObjectTree.js';

/** What a bootstrap operation answers: 2.04, 2.02, 2.05 with links or with a node. */
export type BootstrapResult =
  | { readonly kind: 'changed' }
  | { readonly kind: 'deleted' }
  | { readonly kind: 'links'; readonly links: readonly DiscoverLink[] }
  | { readonly kind: 'node'; readonly path: Lwm2mPath; readonly content: Lwm2mNode };

const SECURITY = 0;
const SERVER = 1;

/** True for the Security instance of the Bootstrap-Server account (resource 1 true). */
export function isBootstrapAccount(inst: ObjectInstance): boolean {
  if (inst.model.id !== SECURITY) return false;
  const r = inst.read(1);
  return r?.kind === 'resource' && r.value.value === true;
}

/** Runs a Bootstrap-Write, -Delete, -Discover or -Read on `tree`; throws Lwm2mError (4.xx). */
export function applyBootstrapRequest(
  tree: ObjectTree,
  req: Exclude<BootstrapDownlinkRequest, { kind: 'bootstrapFinish' }>,
  lwm2mVersion: string,
): BootstrapResult {
  switch (req.kind) {
    case 'bootstrapWrite':
      bootstrapWrite(tree, req.path, req.node);
      return { kind: 'changed' };
    case 'bootstrapDelete':
      bootstrapDelete(tree, req.path);
      return { kind: 'deleted' };
    case 'bootstrapDiscover':
      return { kind: 'links', links: bootstrapDiscoverLinks(tree, req.path, lwm2mVersion) };
    case 'bootstrapRead':
      return { kind: 'node', path: req.path, content: tree.read(req.path) };
  }
}

/** Bootstrap-Write (5.2.7.4): writes an object, instance or resource, creating absent instances. */
export function bootstrapWrite(tree: ObjectTree, path: Lwm2mPath, node: Lwm2mNode): void {
  const model = tree.getObject(path.objectId!);
  if (!model) throw new NotFoundError(`object ${path.objectId} is not supported`);
  if (path.isObject()) {
    if (node.kind !== 'object') throw new BadRequestError(`expected an object at ${path}`);
    for (const i of node.instances) writeInstance(tree, path.objectId!, i);
    return;
  }
  if (path.isObjectInstance()) {
    if (node.kind !== 'instance') throw new BadRequestError(`expected an instance at ${path}`);
    return writeInstance(tree, path.objectId!, { ...node, id: path.instanceId! });
  }
  if (node.kind !== 'resource' && node.kind !== 'multipleResource')
    throw new BadRequestError(`expected a resource at ${path}`);
  writeInstance(tree, path.objectId!, { kind: 'instance', id: path.instanceId!, resources: [node] });
}

function writeInstance(tree: ObjectTree, objectId: number, node: ObjectInstanceNode): void {
  const model = tree.getObject(objectId)!;
  for (const r of node.resources) {
    const rm = model.resources.get(r.id);
    if (!rm) throw new NotFoundError(`object ${objectId} has no resource ${r.id}`);
    assertResourceMatchesModel(r, rm);
  }
  const existing = tree.get(objectId, node.id);
  if (existing) {
    const base = Lwm2mPath.of(objectId, node.id);
    for (const r of node.resources) tree.writeResource(base.child(r.id), r, 'replace');
    return;
  }
  const inst = tree.instantiate(objectId, node.id);
  for (const r of node.resources) inst.write(r, 'replace');
  tree.add(inst);
}

/** Instances a Bootstrap-Delete of '/' or of an object keeps: the Bootstrap-Server account, and the
 * instance of a mandatory single-instance object (the Device object), which is never deleted. */
export function survivesBootstrapDelete(inst: ObjectInstance): boolean {
  return isBootstrapAccount(inst) || (inst.model.mandatory && !inst.model.multiple);
}

/** Bootstrap-Delete (5.2.7.5) of '/', an object or an instance. */
export function bootstrapDelete(tree: ObjectTree, path: Lwm2mPath): void {
  if (path.isRoot()) {
    for (const oid of tree.objectIds()) deleteObject(tree, oid);
    return;
  }
  const oid = path.objectId!;
  if (!tree.getObject(oid)) throw new NotFoundError(`object ${oid} is not supported`);
  if (path.isObject()) return deleteObject(tree, oid);
  const inst = tree.get(oid, path.instanceId!);
  if (!inst) return; // already absent: nothing to do, as the Bootstrap-Server asked
  if (survivesBootstrapDelete(inst))
    throw new BadRequestError(`${path} cannot be deleted by the Bootstrap-Server`);
  tree.delete(oid, inst.id);
}

function deleteObject(tree: ObjectTree, objectId: number): void {
  for (const id of tree.instanceIds(objectId)) {
    const inst = tree.get(objectId, id)!;
    if (!survivesBootstrapDelete(inst)) tree.delete(objectId, id);
  }
}

/**
 * Bootstrap-Discover (5.2.7.2): `</>;lwm2m=..` for '/', then per object its instances, Security
 * instances with `ssid` (LwM2M Server accounts) and `uri`, Server instances with `ssid`; an object
 * without instances, or with a version other than 1.0, is listed itself too.
 */
export function bootstrapDiscoverLinks(
  tree: ObjectTree,
  path: Lwm2mPath,
  lwm2mVersion: string,
): DiscoverLink[] {
  const links: DiscoverLink[] = [];
  const link = (p: Lwm2mPath, attributes: Attributes = {}): void =>
    void links.push({ path: p, attributes, otherParams: [] });
  if (path.isRoot()) link(path, { lwm2m: lwm2mVersion });
  else if (!tree.getObject(path.objectId!))
    throw new NotFoundError(`object ${path.objectId} is not supported`);
  const objectIds = path.isRoot() ? tree.objectIds() : [path.objectId!];
  for (const oid of objectIds) {
    const model = tree.getObject(oid)!;
    const ids = tree.instanceIds(oid);
    if (model.version !== '1.0') link(Lwm2mPath.of(oid), { ver: model.version });
    else if (ids.length === 0) link(Lwm2mPath.of(oid));
    for (const iid of ids) {
      const inst = tree.get(oid, iid)!;
      const attrs: { ssid?: number; uri?: string } = {};
      if (oid === SECURITY || oid === SERVER) {
        const ssid = inst.read(oid === SECURITY ? 10 : 0);
        if (ssid?.kind === 'resource' && !isBootstrapAccount(inst)) attrs.ssid = Number(ssid.value.value);
      }
      if (oid === SECURITY) {
        const uri = inst.read(0);
        if (uri?.kind === 'resource' && typeof uri.value.value === 'string') attrs.uri = uri.value.value;
      }
      link(Lwm2mPath.of(oid, iid), attrs);
    }
  }
  return links;
}
