// LwM2M Core TS 1.2 (Bootstrap Interface: Bootstrap-Pack-Request Operation), client side: what a
// client does with the pack its Bootstrap-Pack-Request got. Every object the pack names is
// replaced: its existing instances are deleted, except the Bootstrap-Server account and the
// Device instance, which no Delete affects, then the pack's instances are written with the
// Bootstrap-Server's rights (as a Bootstrap-Write). Objects the pack does not name are kept.
// Resources (and, liberal in what we accept, objects) the client does not know are not an
// error: they are left out. The pack is fitted to the models and its result checked before the
// tree changes, since an unsuccessful pack must leave the client as it was (Core TS 1.2,
// Client Initiated Bootstrap, step 3) and be followed by a Bootstrap-Request.
import type { ObjectInstanceNode, ObjectNode } from '../../lwm2m/Lwm2mNode.js';
import { Lwm2mPath } from '../../lwm2m/Lwm2mPath.js';
import { instance, object } from '../../lwm2m/nodes.js';
import { assertResourceMatchesModel } from '../declareInstance.js';
import type { ObjectTree } from '../ObjectTree.js';
import { bootstrapDelete, bootstrapWrite, survivesBootstrapDelete } from './applyBootstrapRequest.js';

/** A pack fitted to a client: what it will write, and the paths it names that the client lacks. */
export interface FittedPack {
  readonly objects: readonly ObjectNode[];
  /** '/4242' or '/1/0/999': left out, not an error (Core TS 1.2). */
  readonly ignored: readonly string[];
}

/**
 * Leaves out the objects and resources of `objects` that `tree` does not know; throws
 * BadRequestError for a value that does not fit its resource's type.
 */
export function fitBootstrapPack(tree: ObjectTree, objects: readonly ObjectNode[]): FittedPack {
  const ignored: string[] = [];
  const fitted: ObjectNode[] = [];
  for (const o of objects) {
    const model = tree.getObject(o.id);
    if (!model) {
      ignored.push(`/${o.id}`);
      continue;
    }
    const instances = o.instances.map((i) => {
      const known = i.resources.filter((r) => {
        const rm = model.resources.get(r.id);
        if (!rm) ignored.push(Lwm2mPath.of(o.id, i.id, r.id).toString());
        else assertResourceMatchesModel(r, rm);
        return rm !== undefined;
      });
      return known.length === i.resources.length ? i : instance(i.id, known);
    });
    fitted.push(object(o.id, instances));
  }
  return { objects: fitted, ignored };
}

/** The instances object `objectId` of `tree` would have once `objects` (fitted) is applied. */
export function instancesAfterPack(
  tree: ObjectTree,
  objects: readonly ObjectNode[],
  objectId: number,
): ObjectInstanceNode[] {
  if (!tree.getObject(objectId)) return [];
  const ids = tree.instanceIds(objectId);
  const named = objects.find((o) => o.id === objectId);
  if (!named) return ids.map((i) => tree.readInstance(objectId, i));
  const written = new Set(named.instances.map((i) => i.id));
  const kept = ids.filter((i) => !written.has(i) && survivesBootstrapDelete(tree.get(objectId, i)!));
  return [...kept.map((i) => tree.readInstance(objectId, i)), ...named.instances];
}

/** Applies `objects` (fitted) to `tree`; returns the resource paths written. */
export function applyBootstrapPack(tree: ObjectTree, objects: readonly ObjectNode[]): Lwm2mPath[] {
  const written: Lwm2mPath[] = [];
  for (const o of objects) {
    bootstrapDelete(tree, Lwm2mPath.of(o.id));
    bootstrapWrite(tree, Lwm2mPath.of(o.id), o);
    for (const i of o.instances) for (const r of i.resources) written.push(Lwm2mPath.of(o.id, i.id, r.id));
  }
  return written;
}
