// LwM2M Core TS 1.2 (Bootstrap Interface: Bootstrap-Pack), client side: what a client does with
// the pack its Bootstrap-Pack-Request got. Every object the pack names is replaced: its existing
// instances are deleted, except the Bootstrap-Server account and the Device instance, which no
// Delete affects, then the pack's instances are written with the Bootstrap-Server's rights (as a
// Bootstrap-Write). Objects the pack does not name are kept. The pack is checked against the
// models first, so one that does not fit changes nothing.
import { NotFoundError } from '../../lwm2m/errors.js';
import type { ObjectNode } from '../../lwm2m/Lwm2mNode.js';
import { Lwm2mPath } from '../../lwm2m/Lwm2mPath.js';
import { assertResourceMatchesModel } from '../declareInstance.js';
import type { ObjectTree } from '../ObjectTree.js';
import { bootstrapDelete, bootstrapWrite } from './applyBootstrapRequest.js';

/**
 * Applies `objects` to `tree`; returns the resource paths written. Throws NotFoundError (an object
 * or resource the client lacks) or BadRequestError (a value that does not fit its resource)
 * before changing anything.
 */
export function applyBootstrapPack(tree: ObjectTree, objects: readonly ObjectNode[]): Lwm2mPath[] {
  for (const o of objects) {
    const model = tree.getObject(o.id);
    if (!model) throw new NotFoundError(`object ${o.id} is not supported`);
    for (const i of o.instances)
      for (const r of i.resources) {
        const rm = model.resources.get(r.id);
        if (!rm) throw new NotFoundError(`object ${o.id} has no resource ${r.id}`);
        assertResourceMatchesModel(r, rm);
      }
  }
  const written: Lwm2mPath[] = [];
  for (const o of objects) {
    bootstrapDelete(tree, Lwm2mPath.of(o.id));
    bootstrapWrite(tree, Lwm2mPath.of(o.id), o);
    for (const i of o.instances) for (const r of i.resources) written.push(Lwm2mPath.of(o.id, i.id, r.id));
  }
  return written;
}
