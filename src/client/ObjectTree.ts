// LwM2M Core TS 1.1.1 sections 5.4.3-5.4.7 and 6.1: the client's objects and their instances, with
// the model rules of Create and Delete (single-instance objects, mandatory resources, ids), and
// change events that drive observations and registration updates.
import { BadRequestError, MethodNotAllowedError, NotFoundError } from '../lwm2m/errors.js';
import type { Lwm2mNode, ObjectInstanceNode, ResourceNode } from '../lwm2m/Lwm2mNode.js';
import { Lwm2mPath, MAX_ID } from '../lwm2m/Lwm2mPath.js';
import { instance, multipleResource, object } from '../lwm2m/nodes.js';
import type { ModelLookup, ObjectModel } from '../model/ObjectModel.js';
import { declareInstance } from './declareInstance.js';
import type { ObjectInstance, WriteMode } from './ObjectInstance.js';

/** What changed: a value (`values`) or the list of objects/instances (`structure`). */
export type TreeChange = { readonly kind: 'values' | 'structure'; readonly path: Lwm2mPath };

/** Builds the instance a server's Create asks for; the default stores the values in memory. */
export type InstanceFactory = (model: ObjectModel, id: number, node: ObjectInstanceNode) => ObjectInstance;

const defaultFactory: InstanceFactory = (model, id, node) => {
  const inst = declareInstance(model, id, {});
  for (const r of node.resources) inst.write(r, 'replace');
  return inst;
};

/** The objects a client serves: one model and an instance map per object id. */
export class ObjectTree implements ModelLookup {
  private readonly models = new Map<number, ObjectModel>();
  private readonly instances = new Map<number, Map<number, ObjectInstance>>();
  private readonly factories = new Map<number, InstanceFactory>();
  private readonly listeners: ((c: TreeChange) => void)[] = [];

  /** Declares an object the client supports (even with no instance). */
  addObject(model: ObjectModel, factory?: InstanceFactory): this {
    this.models.set(model.id, model);
    if (!this.instances.has(model.id)) this.instances.set(model.id, new Map());
    if (factory) this.factories.set(model.id, factory);
    return this;
  }

  /** Adds an instance (application side); its object is declared from its model if needed. */
  add(inst: ObjectInstance): this {
    if (!this.models.has(inst.model.id)) this.addObject(inst.model);
    const map = this.instances.get(inst.model.id)!;
    if (map.has(inst.id)) throw new BadRequestError(`instance /${inst.model.id}/${inst.id} already exists`);
    if (!inst.model.multiple && map.size > 0)
      throw new BadRequestError(`object ${inst.model.id} is single-instance`);
    map.set(inst.id, inst);
    const base = Lwm2mPath.of(inst.model.id, inst.id);
    inst.attach?.((rid) => this.emit({ kind: 'values', path: base.child(rid) }));
    this.emit({ kind: 'structure', path: base });
    return this;
  }

  /** ModelLookup: the model of a served object. */
  getObject(objectId: number): ObjectModel | undefined {
    return this.models.get(objectId);
  }

  /** Served object ids, ascending. */
  objectIds(): number[] {
    return [...this.models.keys()].sort((a, b) => a - b);
  }

  /** Instance ids of an object, ascending (empty for an unknown object). */
  instanceIds(objectId: number): number[] {
    return [...(this.instances.get(objectId)?.keys() ?? [])].sort((a, b) => a - b);
  }

  /** The instance, or undefined. */
  get(objectId: number, instanceId: number): ObjectInstance | undefined {
    return this.instances.get(objectId)?.get(instanceId);
  }

  /** The instance; throws NotFoundError (4.04). */
  require(objectId: number, instanceId: number): ObjectInstance {
    const inst = this.get(objectId, instanceId);
    if (!inst) throw new NotFoundError(`no instance /${objectId}/${instanceId}`);
    return inst;
  }

  /** Subscribes to changes; returns an unsubscribe function. */
  onChange(listener: (c: TreeChange) => void): () => void {
    this.listeners.push(listener);
    return () => void this.listeners.splice(this.listeners.indexOf(listener) >>> 0, 1);
  }

  /** Reports a value change under `path` (application or operation). */
  changed(path: Lwm2mPath): void {
    this.emit({ kind: 'values', path });
  }

  /** The node at an object, instance, resource or resource-instance path; throws NotFoundError. */
  read(path: Lwm2mPath): Lwm2mNode {
    const oid = path.objectId;
    if (oid === undefined || !this.models.has(oid)) throw new NotFoundError(`no object at ${path}`);
    if (path.isObject())
      return object(
        oid,
        this.instanceIds(oid).map((i) => this.readInstance(oid, i)),
      );
    const inst = this.require(oid, path.instanceId!);
    if (path.isObjectInstance()) return this.readInstance(oid, inst.id);
    const res = inst.read(path.resourceId!);
    if (!res) throw new NotFoundError(`no resource at ${path}`);
    if (path.isResource()) return res;
    const ri =
      res.kind === 'multipleResource'
        ? res.instances.find((i) => i.id === path.resourceInstanceId)
        : undefined;
    if (!ri) throw new NotFoundError(`no resource instance at ${path}`);
    return ri;
  }

  /** The instance node with its resources (executables have no value and are left out). */
  readInstance(objectId: number, instanceId: number): ObjectInstanceNode {
    const inst = this.require(objectId, instanceId);
    const resources: ResourceNode[] = [];
    for (const id of inst.resourceIds()) {
      const r = inst.read(id);
      if (r) resources.push(r);
    }
    return instance(instanceId, resources);
  }

  /** Writes a resource (or one resource instance) and reports the change. */
  writeResource(path: Lwm2mPath, node: ResourceNode, mode: WriteMode): void {
    this.require(path.objectId!, path.instanceId!).write(node, mode);
    this.emit({ kind: 'values', path });
  }

  /** Writes a resource instance by merging it into its multiple resource. */
  writeResourceInstance(path: Lwm2mPath, node: Lwm2mNode): void {
    if (node.kind !== 'resourceInstance')
      throw new BadRequestError(`expected a resource instance at ${path}`);
    const rm = this.models.get(path.objectId!)?.resources.get(path.resourceId!);
    if (!rm?.multiple) throw new MethodNotAllowedError(`${path.parent()} is not a multiple resource`);
    const type = rm.type === 'none' ? undefined : rm.type;
    this.require(path.objectId!, path.instanceId!).write(
      multipleResource(path.resourceId!, [node], type),
      'update',
    );
    this.emit({ kind: 'values', path });
  }

  /** Creates an instance from a server's Create payload; returns its id. Core TS 5.4.6. */
  create(objectId: number, node: ObjectInstanceNode, chosenId?: number): number {
    const model = this.models.get(objectId);
    if (!model) throw new NotFoundError(`no object ${objectId}`);
    const map = this.instances.get(objectId)!;
    const id = chosenId ?? this.freeId(objectId);
    if (map.has(id)) throw new BadRequestError(`instance /${objectId}/${id} already exists`);
    if (!model.multiple && map.size > 0) throw new BadRequestError(`object ${objectId} is single-instance`);
    const present = new Set(node.resources.map((r) => r.id));
    for (const rm of model.resources.values()) {
      if (rm.mandatory && rm.type !== 'none' && !present.has(rm.id))
        throw new BadRequestError(`mandatory resource ${rm.id} (${rm.name}) missing in Create`);
    }
    for (const r of node.resources) {
      const rm = model.resources.get(r.id);
      if (!rm) throw new BadRequestError(`object ${objectId} has no resource ${r.id}`);
    }
    const factory = this.factories.get(objectId) ?? defaultFactory;
    this.add(factory(model, id, { ...node, id }));
    return id;
  }

  /** A new empty instance of a served object from its factory, not yet added (Bootstrap-Write, 5.2.7.4). */
  instantiate(objectId: number, id: number): ObjectInstance {
    const model = this.models.get(objectId);
    if (!model) throw new NotFoundError(`no object ${objectId}`);
    return (this.factories.get(objectId) ?? defaultFactory)(model, id, instance(id, []));
  }

  /** Deletes an instance (Core TS 5.4.7); throws NotFoundError. */
  delete(objectId: number, instanceId: number): void {
    const inst = this.require(objectId, instanceId);
    this.instances.get(objectId)!.delete(instanceId);
    inst.dispose?.();
    this.emit({ kind: 'structure', path: Lwm2mPath.of(objectId, instanceId) });
  }

  private freeId(objectId: number): number {
    const used = this.instances.get(objectId)!;
    for (let i = 0; i <= MAX_ID; i++) if (!used.has(i)) return i;
    throw new BadRequestError(`object ${objectId} has no free instance id`);
  }

  private emit(c: TreeChange): void {
    for (const l of [...this.listeners]) l(c);
  }
}
