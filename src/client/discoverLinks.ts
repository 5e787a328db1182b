// LwM2M Core TS 1.1.1 section 5.4.2 (Discover, and 1.2's depth): the links a client answers for an
// object, an instance or a resource, each with the attributes attached at that level for the
// asking server; an object link carries `ver` when not 1.0, a multiple resource carries `dim`.
// A resource discovered on its own also shows the attributes it inherits (section 5.1.2).
// Executable resources hold no value but are resources of the instance: they are listed too.
import type { Attributes } from '../lwm2m/attributes.js';
import type { DiscoverLink } from '../lwm2m/linkFormat.js';
import type { Lwm2mPath } from '../lwm2m/Lwm2mPath.js';
import { NotFoundError } from '../lwm2m/errors.js';
import type { ObjectInstance } from './ObjectInstance.js';
import type { ObjectTree } from './ObjectTree.js';

/** Builds the Discover answer for `path` (object, instance or resource) up to `depth` levels. */
export function discoverLinks(
  tree: ObjectTree,
  path: Lwm2mPath,
  attributesAt: (p: Lwm2mPath) => Attributes | undefined,
  inherited: (p: Lwm2mPath) => Attributes,
  depth?: number,
): DiscoverLink[] {
  const model = tree.getObject(path.objectId!);
  if (!model) throw new NotFoundError(`no object ${path.objectId}`);
  const links: DiscoverLink[] = [];
  const link = (p: Lwm2mPath, extra: Attributes = {}, own = attributesAt(p) ?? {}): void =>
    void links.push({ path: p, attributes: { ...extra, ...own }, otherParams: [] });
  // 1.2 depth: how many levels below the target are listed (default: object 2, instance 1, resource 0).
  const maxLength = path.length + (depth ?? (path.isObject() ? 2 : path.isObjectInstance() ? 1 : 0));
  const resources = (ip: Lwm2mPath): void => {
    const inst = tree.require(ip.objectId!, ip.instanceId!);
    for (const rid of resourceIdsOf(inst)) {
      const rp = ip.child(rid);
      const node = inst.read(rid);
      link(rp, node?.kind === 'multipleResource' ? { dim: node.instances.length } : {});
      if (maxLength >= 4 && node?.kind === 'multipleResource')
        for (const ri of node.instances) link(rp.child(ri.id));
    }
  };
  if (path.isObject()) {
    link(path, model.version !== '1.0' ? { ver: model.version } : {});
    if (maxLength >= 2)
      for (const iid of tree.instanceIds(model.id)) {
        const ip = path.child(iid);
        link(ip);
        if (maxLength >= 3) resources(ip);
      }
  } else if (path.isObjectInstance()) {
    tree.require(path.objectId!, path.instanceId!);
    link(path);
    if (maxLength >= 3) resources(path);
  } else if (isExecutable(tree.require(path.objectId!, path.instanceId!), path)) {
    if (!path.isResource()) throw new NotFoundError(`no resource instance at ${path}`);
    link(path); // an executable has no value: no dim, and value attributes do not apply
  } else {
    const node = tree.read(path);
    const dim = node.kind === 'multipleResource' ? { dim: node.instances.length } : {};
    link(path, dim, inherited(path));
    if (maxLength >= 4 && node.kind === 'multipleResource')
      for (const ri of node.instances) link(path.child(ri.id));
  }
  return links;
}

/** The readable and the executable resources of an instance, ascending. */
function resourceIdsOf(inst: ObjectInstance): number[] {
  const executable = inst.executableIds?.() ?? [];
  if (executable.length === 0) return [...inst.resourceIds()];
  return [...new Set([...inst.resourceIds(), ...executable])].sort((a, b) => a - b);
}

function isExecutable(inst: ObjectInstance, path: Lwm2mPath): boolean {
  return inst.executableIds?.().includes(path.resourceId!) ?? false;
}
