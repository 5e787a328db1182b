// LwM2M Core TS 1.2 (Bootstrap Interface: Bootstrap-Pack-Request, Bootstrap-Pack): the pure
// planner of a Bootstrap-Pack (STYLE.md 14). The pack holds what the Bootstrap-Writes of the same
// config would write (planBootstrap is the one planner of both), grouped by object in plan order.
// The client replaces each object the pack names (Core TS 1.2: every instance of an object in the
// pack is deleted first, except the Bootstrap-Server account and the Device instance), so a
// pack needs neither Bootstrap-Delete nor Bootstrap-Finish; the config's `delete` paths of
// objects the pack does not name, `discover` and `readServers` have no place in it.
import type { BootstrapConfig } from '../lwm2m/BootstrapConfig.js';
import type { ObjectInstanceNode, ObjectNode } from '../lwm2m/Lwm2mNode.js';
import { object } from '../lwm2m/nodes.js';
import { planBootstrap, type PlanContext } from './planBootstrap.js';

/**
 * The objects of the Bootstrap-Pack for `config`: Security, Server, Access Control and the
 * `objects` values, each object with its instances in id order. Throws as planBootstrap does
 * (an invalid config, `objects` that do not fit the models).
 */
export function planBootstrapPack(config: BootstrapConfig, ctx: PlanContext): ObjectNode[] {
  const steps = planBootstrap({ ...config, discover: false, readServers: false }, ctx);
  const byObject = new Map<number, ObjectInstanceNode[]>();
  for (const { request } of steps) {
    if (request.kind !== 'bootstrapWrite' || request.node.kind !== 'instance') continue;
    const oid = request.path.objectId!;
    let list = byObject.get(oid);
    if (!list) byObject.set(oid, (list = []));
    list.push({ ...request.node, id: request.path.instanceId! });
  }
  return [...byObject].map(([oid, instances]) => object(oid, instances));
}
