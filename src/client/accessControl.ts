// LwM2M Core TS 1.1.1 section 7.3 and Appendix E.3 (Access Control object 2): which LwM2M Server
// may do what on which object instance when several servers share the client. Pure rules over the
// ACL entries read from object 2:
//  - with one server account (or none) there is no access control;
//  - the ACO instance of (object, instance) gives a server the rights of its ACL entry (resource
//    instance id = Short Server ID), else those of the default entry (id 0), else full rights
//    but Create when the server is the Access Control Owner, else none;
//  - Create needs the Create bit in the ACO instance of (object, 65535);
//  - no ACO instance for the target instance: no rights (4.01);
//  - an ACO instance itself is writable and deletable by its owner only and readable by all.
import { UnauthorizedError } from '../lwm2m/errors.js';
import type { ObjectNode } from '../lwm2m/Lwm2mNode.js';

/** ACL bits (Core TS E.3, resource 2). */
export const AccessRight = {
  /** Read, Observe, Discover, Write-Attributes. */
  READ: 1,
  WRITE: 2,
  EXECUTE: 4,
  DELETE: 8,
  CREATE: 16,
} as const;

/** Every right but Create. */
export const OWNER_RIGHTS = AccessRight.READ | AccessRight.WRITE | AccessRight.EXECUTE | AccessRight.DELETE;

/** One Access Control object instance. */
export interface AclEntry {
  /** Id of the Access Control instance itself. */
  readonly aclInstanceId: number;
  readonly objectId: number;
  readonly instanceId: number;
  /** Rights by Short Server ID (0 = default for servers without their own entry). */
  readonly acl: ReadonlyMap<number, number>;
  readonly owner: number;
}

/** Reads the ACL entries out of an Access Control object node. */
export function aclEntries(node: ObjectNode | undefined): AclEntry[] {
  if (!node) return [];
  const out: AclEntry[] = [];
  for (const inst of node.instances) {
    const num = (id: number): number | undefined => {
      const r = inst.resources.find((x) => x.id === id);
      return r?.kind === 'resource' ? Number(r.value.value) : undefined;
    };
    const aclNode = inst.resources.find((x) => x.id === 2);
    const acl = new Map<number, number>();
    if (aclNode?.kind === 'multipleResource')
      for (const i of aclNode.instances) acl.set(i.id, Number(i.value.value));
    const objectId = num(0);
    const instanceId = num(1);
    if (objectId !== undefined && instanceId !== undefined)
      out.push({ aclInstanceId: inst.id, objectId, instanceId, acl, owner: num(3) ?? 0 });
  }
  return out;
}

/** The rights of server `ssid` on /objectId/instanceId (instance 65535: the object, for Create). */
export function rightsOf(
  entries: readonly AclEntry[],
  ssid: number,
  objectId: number,
  instanceId: number,
): number {
  const entry = entries.find((e) => e.objectId === objectId && e.instanceId === instanceId);
  if (!entry) return 0;
  const own = entry.acl.get(ssid) ?? entry.acl.get(0);
  if (own !== undefined) return own;
  return entry.owner === ssid ? OWNER_RIGHTS : 0;
}

/** The operation classes the ACL distinguishes. */
export type AccessOperation = 'read' | 'write' | 'execute' | 'delete' | 'create';

const BIT: Record<AccessOperation, number> = {
  read: AccessRight.READ,
  write: AccessRight.WRITE,
  execute: AccessRight.EXECUTE,
  delete: AccessRight.DELETE,
  create: AccessRight.CREATE,
};

/** True when `ssid` may perform `op` on the instance (or, for create, on the object). */
export function isAllowed(
  entries: readonly AclEntry[],
  ssid: number,
  op: AccessOperation,
  objectId: number,
  instanceId?: number,
): boolean {
  if (objectId === 2) {
    if (op === 'read') return true;
    const aco = entries.find((e) => e.aclInstanceId === instanceId);
    return aco !== undefined && aco.owner === ssid && op !== 'create';
  }
  if (op === 'create') return (rightsOf(entries, ssid, objectId, 65535) & AccessRight.CREATE) !== 0;
  if (instanceId === undefined) return false;
  return (rightsOf(entries, ssid, objectId, instanceId) & BIT[op]) !== 0;
}

/** Throws UnauthorizedError (4.01) unless allowed. */
export function assertAllowed(allowed: boolean, what: string): void {
  if (!allowed) throw new UnauthorizedError(`access denied: ${what}`);
}
