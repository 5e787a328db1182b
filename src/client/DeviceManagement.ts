// LwM2M Core TS 1.1.1 section 5.4 (Device Management and Service Enablement interface) and 7.3
// (Access Control): runs each DM operation a server sends on the object tree and answers with the
// result codes of the section 5.4 tables (2.01, 2.02, 2.04, 2.05; 4.00, 4.01, 4.04, 4.05 as thrown
// errors). CoAP translation (Accept, 4.06, 4.15) lives in binding/; observation bookkeeping in the
// DM router of Lwm2mClient.
import { validateWriteAttributes } from '../lwm2m/attributes.js';
import { BadRequestError, MethodNotAllowedError, NotFoundError, UnauthorizedError } from '../lwm2m/errors.js';
import type { Lwm2mNode, ObjectInstanceNode, ObjectNode, PathNode } from '../lwm2m/Lwm2mNode.js';
import { NO_INSTANCE_ID } from '../lwm2m/Lwm2mNode.js';
import { Lwm2mPath } from '../lwm2m/Lwm2mPath.js';
import { instance, multipleResource, object, resource } from '../lwm2m/nodes.js';
import type { DownlinkRequest } from '../lwm2m/requests.js';
import type { DiscoverLink } from '../lwm2m/linkFormat.js';
import { integerValue } from '../lwm2m/values.js';
import type { Operations, ResourceModel } from '../model/ObjectModel.js';
import {
  aclEntries,
  assertAllowed,
  isAllowed,
  type AccessOperation,
  type AclEntry,
} from './accessControl.js';
import type { AttributeStore } from './attributeInheritance.js';
import { assertResourceMatchesModel, DeclaredInstance } from './declareInstance.js';
import { discoverLinks } from './discoverLinks.js';
import type { ObjectTree } from './ObjectTree.js';
import type { WriteGuard } from './serverWriteGuard.js';

/** Who is asking: the Short Server ID (0 when unknown) and whether access control applies. */
export interface DmCaller {
  readonly ssid: number;
  /** True when several server accounts share the client (Core TS 7.3). */
  readonly enforceAcl: boolean;
}

/** The result of one DM operation: 2.05 with a node, nodes or links; 2.01; 2.04; 2.02. */
export type DmResult =
  | { readonly kind: 'node'; readonly content: Lwm2mNode }
  | { readonly kind: 'nodes'; readonly content: readonly PathNode[] }
  | { readonly kind: 'links'; readonly links: readonly DiscoverLink[] }
  | { readonly kind: 'created'; readonly location?: Lwm2mPath }
  | { readonly kind: 'changed' }
  | { readonly kind: 'deleted' };

const CHANGED: DmResult = { kind: 'changed' };
const ACL_OBJECT = 2;

/** Runs DM operations on a tree with attribute storage and access control. */
export class DeviceManagement {
  constructor(
    private readonly tree: ObjectTree,
    private readonly attributes: AttributeStore,
    /** Refuses values the client cannot honour (e.g. serverWriteGuard); default: none. */
    private readonly guard: WriteGuard = () => undefined,
  ) {}

  /** Runs one request; throws Lwm2mError for 4.xx outcomes. Observe answers like Read. */
  async handle(req: DownlinkRequest, caller: DmCaller): Promise<DmResult> {
    switch (req.kind) {
      case 'read':
      case 'observe':
      case 'cancelObservation': // GET with Observe=1 reads too (RFC 7641 3.6)
        return { kind: 'node', content: this.read(req.path, caller) };
      case 'readComposite':
      case 'observeComposite':
      case 'cancelCompositeObservation':
        return { kind: 'nodes', content: this.readComposite(req.paths, caller) };
      case 'discover':
        return this.discover(req.path, caller, req.depth);
      case 'write':
        this.write(req.path, req.node, req.mode, caller);
        return CHANGED;
      case 'writeComposite':
        this.writeComposite(req.nodes, caller);
        return CHANGED;
      case 'writeAttributes': {
        this.target(req.path, caller, 'read');
        validateWriteAttributes(req.attributes, req.path, this.resourceModel(req.path));
        this.attributes.write(caller.ssid, req.path, req.attributes);
        return CHANGED;
      }
      case 'execute':
        await this.execute(req.path, req.arguments, caller);
        return CHANGED;
      case 'create':
        return this.create(req.path, req.instances, caller);
      case 'delete':
        this.delete(req.path, caller);
        return { kind: 'deleted' };
    }
  }

  /** Read (5.4.1): an object lists only instances the caller may read. */
  read(path: Lwm2mPath, caller: DmCaller): Lwm2mNode {
    this.target(path, caller, 'read');
    if (path.isResource() || path.isResourceInstance()) this.requireOperation(path, 'R');
    const node = this.tree.read(path);
    if (node.kind === 'object') {
      const acl = this.acl(caller);
      const visible = node.instances.filter(
        (i) => !acl || isAllowed(acl, caller.ssid, 'read', node.id, i.id),
      );
      return object(
        node.id,
        visible.map((i) => this.readable(node.id, i)),
      );
    }
    return node.kind === 'instance' ? this.readable(path.objectId!, node) : node;
  }

  private readComposite(paths: readonly Lwm2mPath[], caller: DmCaller): PathNode[] {
    const out: PathNode[] = [];
    for (const path of paths) {
      try {
        out.push({ path, node: this.read(path, caller) });
      } catch (e) {
        if (!(e instanceof NotFoundError)) throw e; // 5.4.8: absent paths are left out
      }
    }
    if (out.length === 0) throw new NotFoundError('none of the composite paths exists');
    return out;
  }

  private discover(path: Lwm2mPath, caller: DmCaller, depth?: number): DmResult {
    this.target(path, caller, 'read');
    const links = discoverLinks(
      this.tree,
      path,
      (p) => this.attributes.get(caller.ssid, p),
      (p) => this.attributes.effective(caller.ssid, p),
      depth,
    );
    return { kind: 'links', links };
  }

  private write(path: Lwm2mPath, node: Lwm2mNode, mode: 'replace' | 'update', caller: DmCaller): void {
    this.target(path, caller, 'write');
    const model = this.tree.getObject(path.objectId!)!;
    if (path.isObjectInstance()) {
      if (node.kind !== 'instance') throw new BadRequestError(`expected an instance at ${path}`);
      for (const r of node.resources) this.requireOperation(path.child(r.id), 'W');
      for (const r of node.resources) assertResourceMatchesModel(r, model.resources.get(r.id)!);
      for (const r of node.resources) this.guard(model.id, r);
      const inst = this.tree.require(path.objectId!, path.instanceId!);
      if (mode === 'replace' && inst instanceof DeclaredInstance) {
        const given = new Set(node.resources.map((r) => r.id));
        for (const rm of model.resources.values())
          if (!rm.mandatory && rm.operations.includes('W') && !given.has(rm.id)) inst.remove(rm.id);
      }
      for (const r of node.resources) this.tree.writeResource(path.child(r.id), r, mode);
      return;
    }
    this.requireOperation(path, 'W');
    if (path.isResourceInstance()) return this.tree.writeResourceInstance(path, node);
    if (node.kind !== 'resource' && node.kind !== 'multipleResource')
      throw new BadRequestError(`expected a resource at ${path}`);
    this.guard(model.id, node);
    this.tree.writeResource(path, node, mode);
  }

  private writeComposite(nodes: readonly PathNode[], caller: DmCaller): void {
    // 5.4.9: all or nothing; check every target first.
    for (const { path, node } of nodes) {
      this.target(path, caller, 'write');
      this.requireOperation(path, 'W');
      const rm = this.resourceModel(path)!;
      if (node.kind === 'resource' || node.kind === 'multipleResource') {
        assertResourceMatchesModel(node, rm);
        this.guard(path.objectId!, node);
      }
    }
    for (const { path, node } of nodes) this.write(path, node, 'update', caller);
  }

  private async execute(path: Lwm2mPath, args: string | undefined, caller: DmCaller): Promise<void> {
    this.target(path, caller, 'execute');
    this.requireOperation(path, 'E');
    await this.tree.require(path.objectId!, path.instanceId!).execute(path.resourceId!, args);
  }

  private create(path: Lwm2mPath, instances: readonly ObjectInstanceNode[], caller: DmCaller): DmResult {
    const objectId = path.objectId!;
    this.target(path, caller, 'create');
    const model = this.tree.getObject(objectId)!;
    if (!model.multiple && instances.length > 1)
      throw new BadRequestError(`object ${objectId} is single-instance`);
    for (const inst of instances) {
      for (const r of inst.resources) {
        const rm = model.resources.get(r.id);
        if (!rm) throw new BadRequestError(`object ${objectId} has no resource ${r.id}`);
        assertResourceMatchesModel(r, rm);
        this.guard(objectId, r);
      }
    }
    let location: Lwm2mPath | undefined;
    for (const inst of instances) {
      const chosen = inst.id === NO_INSTANCE_ID ? undefined : inst.id;
      const id = this.tree.create(objectId, inst, chosen);
      if (chosen === undefined) location = Lwm2mPath.of(objectId, id);
      if (caller.enforceAcl && this.tree.getObject(ACL_OBJECT) && objectId !== ACL_OBJECT)
        this.createAco(objectId, id, caller.ssid);
    }
    return { kind: 'created', ...(location ? { location } : {}) };
  }

  /** Core TS 7.3: an instance a server created gets an ACO instance owned by that server. */
  private createAco(objectId: number, instanceId: number, owner: number): void {
    const acl = multipleResource(2, [], 'integer');
    this.tree.create(
      ACL_OBJECT,
      instance(NO_INSTANCE_ID, [
        resource(0, integerValue(objectId)),
        resource(1, integerValue(instanceId)),
        acl,
        resource(3, integerValue(owner)),
      ]),
    );
  }

  private delete(path: Lwm2mPath, caller: DmCaller): void {
    this.target(path, caller, 'delete');
    const model = this.tree.getObject(path.objectId!)!;
    if (path.isResourceInstance()) {
      this.requireOperation(path, 'W');
      const inst = this.tree.require(path.objectId!, path.instanceId!);
      if (!inst.deleteResourceInstance?.(path.resourceId!, path.resourceInstanceId!))
        throw new NotFoundError(`no resource instance at ${path}`);
      this.tree.changed(path);
      return;
    }
    if (!path.isObjectInstance()) throw new MethodNotAllowedError(`Delete cannot target ${path}`);
    if (!model.multiple && model.mandatory)
      throw new MethodNotAllowedError(`instance ${path} cannot be deleted`);
    this.tree.delete(path.objectId!, path.instanceId!);
    this.attributes.removeUnder(path);
    for (const e of this.acl(caller) ?? [])
      if (
        e.objectId === path.objectId &&
        e.instanceId === path.instanceId &&
        this.tree.get(ACL_OBJECT, e.aclInstanceId)
      )
        this.tree.delete(ACL_OBJECT, e.aclInstanceId);
  }

  /** Checks the target exists (4.04), is not the Security object (4.01) and passes the ACL (4.01). */
  private target(path: Lwm2mPath, caller: DmCaller, op: AccessOperation): void {
    const objectId = path.objectId;
    if (objectId === undefined || !this.tree.getObject(objectId))
      throw new NotFoundError(`no object at ${path}`);
    // Core TS 7.1: the Security object is not accessible through the DM interface.
    if (objectId === 0) throw new UnauthorizedError('the Security object is not accessible');
    if (path.length >= 2) this.tree.require(objectId, path.instanceId!);
    if (path.length >= 3 && !this.tree.getObject(objectId)!.resources.has(path.resourceId!))
      throw new NotFoundError(`no resource at ${path}`);
    const acl = this.acl(caller);
    if (!acl) return;
    if (op === 'create')
      return assertAllowed(isAllowed(acl, caller.ssid, 'create', objectId), `create on ${path}`);
    if (path.isObject()) return; // object-level read/discover filter their instances
    assertAllowed(isAllowed(acl, caller.ssid, op, objectId, path.instanceId), `${op} on ${path}`);
  }

  private acl(caller: DmCaller): AclEntry[] | undefined {
    if (!caller.enforceAcl || !this.tree.getObject(ACL_OBJECT)) return undefined;
    return aclEntries(this.tree.read(Lwm2mPath.of(ACL_OBJECT)) as ObjectNode);
  }

  private resourceModel(path: Lwm2mPath): ResourceModel | undefined {
    return path.length >= 3
      ? this.tree.getObject(path.objectId!)?.resources.get(path.resourceId!)
      : undefined;
  }

  /** 4.05 when the resource's operations lack `op` (Core TS 5.4 tables); 4.04 when unknown. */
  private requireOperation(path: Lwm2mPath, op: 'R' | 'W' | 'E'): void {
    const rm = this.resourceModel(path);
    if (!rm) throw new NotFoundError(`no resource at ${path}`);
    const ops: Operations = rm.operations;
    if (!ops.includes(op)) throw new MethodNotAllowedError(`resource ${path} does not allow ${op}`);
  }

  private readable(objectId: number, node: ObjectInstanceNode): ObjectInstanceNode {
    const model = this.tree.getObject(objectId)!;
    return instance(
      node.id,
      node.resources.filter((r) => model.resources.get(r.id)?.operations.includes('R')),
    );
  }
}
