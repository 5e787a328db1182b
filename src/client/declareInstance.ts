// LwM2M Core TS 1.1.1 section 6.1 and Appendix C: an object instance declared from plain JS values,
// typed and validated by its object model (the helper of issue 5 item 1).
import { InvalidValueError, assertValueMatchesResource, valueFromJs } from '../lwm2m/values.js';
import type { Lwm2mValue, ObjectLink } from '../lwm2m/Lwm2mValue.js';
import type { ResourceNode } from '../lwm2m/Lwm2mNode.js';
import { multipleResource, resource, resourceInstance } from '../lwm2m/nodes.js';
import type { ObjectModel, ResourceModel } from '../model/ObjectModel.js';
import { NotFoundError } from '../lwm2m/errors.js';
import type { InstanceChangeListener, ObjectInstance, WriteMode } from './ObjectInstance.js';

/** A plain JS value of one resource (or resource instance), or an already typed value. */
export type PlainValue = string | number | bigint | boolean | Date | Uint8Array | ObjectLink | Lwm2mValue;

/** A resource's plain content: a value, a list or id map (multiple resources), or a live getter. */
export type PlainResource =
  | PlainValue
  | readonly PlainValue[]
  | ReadonlyMap<number, PlainValue>
  | (() => PlainValue | readonly PlainValue[]);

/** Behaviour of a declared instance beyond plain values. */
export interface DeclareOptions {
  /** Handlers of executable resources by id; an executable without a handler does nothing. */
  readonly execute?: Readonly<Record<number, (args: string | undefined) => void | Promise<void>>>;
  /** Called after a resource was written (by a server or by set()). */
  readonly onWrite?: (node: ResourceNode) => void;
}

function isTyped(v: unknown): v is Lwm2mValue {
  return typeof v === 'object' && v !== null && 'type' in v && 'value' in v && !(v instanceof Date);
}

function typed(rm: ResourceModel, v: PlainValue): Lwm2mValue {
  if (rm.type === 'none') throw new InvalidValueError(`resource ${rm.id} (${rm.name}) is executable`);
  const value = isTyped(v) ? v : valueFromJs(rm.type, v);
  assertValueMatchesResource(value, rm);
  return value;
}

/** Builds the typed resource node of `rm` from plain content; throws InvalidValueError. */
export function plainToResource(
  rm: ResourceModel,
  plain: PlainValue | readonly PlainValue[] | ReadonlyMap<number, PlainValue>,
): ResourceNode {
  if (!rm.multiple) {
    if (Array.isArray(plain) || plain instanceof Map)
      throw new InvalidValueError(`resource ${rm.id} (${rm.name}) is single-instance`);
    return resource(rm.id, typed(rm, plain as PlainValue));
  }
  const entries: [number, PlainValue][] = Array.isArray(plain)
    ? (plain as readonly PlainValue[]).map((v, i) => [i, v])
    : plain instanceof Map
      ? [...(plain as ReadonlyMap<number, PlainValue>)]
      : [[0, plain as PlainValue]];
  const type = rm.type === 'none' ? undefined : rm.type;
  return multipleResource(
    rm.id,
    entries.map(([i, v]) => resourceInstance(i, typed(rm, v))),
    type,
  );
}

/** Checks a typed resource node against its model (kind and value types); throws InvalidValueError. */
export function assertResourceMatchesModel(node: ResourceNode, rm: ResourceModel): void {
  if ((node.kind === 'multipleResource') !== rm.multiple)
    throw new InvalidValueError(
      `resource ${rm.id} (${rm.name}) is ${rm.multiple ? 'multiple' : 'single'}-instance`,
    );
  if (node.kind === 'resource') assertValueMatchesResource(node.value, rm);
  else for (const i of node.instances) assertValueMatchesResource(i.value, rm);
}

/** An ObjectInstance holding typed values in memory; created by declareInstance. */
export class DeclaredInstance implements ObjectInstance {
  private readonly values = new Map<number, ResourceNode>();
  private readonly live = new Map<number, () => PlainValue | readonly PlainValue[]>();
  private listener: InstanceChangeListener | undefined;

  constructor(
    readonly model: ObjectModel,
    readonly id: number,
    plain: Readonly<Record<number, PlainResource>>,
    private readonly options: DeclareOptions = {},
  ) {
    for (const [key, v] of Object.entries(plain)) {
      const rm = this.resourceModel(Number(key));
      if (typeof v === 'function') this.live.set(rm.id, v as () => PlainValue);
      else this.values.set(rm.id, plainToResource(rm, v as PlainValue));
    }
  }

  resourceIds(): readonly number[] {
    return [...new Set([...this.values.keys(), ...this.live.keys()])].sort((a, b) => a - b);
  }

  /** Executables with a handler, and the mandatory ones of the model (they exist in every instance). */
  executableIds(): readonly number[] {
    const ids = new Set(Object.keys(this.options.execute ?? {}).map(Number));
    for (const rm of this.model.resources.values())
      if (rm.mandatory && rm.operations.includes('E')) ids.add(rm.id);
    return [...ids]
      .filter((id) => this.model.resources.get(id)?.operations.includes('E'))
      .sort((a, b) => a - b);
  }

  read(resourceId: number): ResourceNode | undefined {
    const getter = this.live.get(resourceId);
    const rm = this.model.resources.get(resourceId);
    if (getter && rm) return plainToResource(rm, getter());
    return this.values.get(resourceId);
  }

  write(node: ResourceNode, mode: WriteMode): void {
    const rm = this.resourceModel(node.id);
    assertResourceMatchesModel(node, rm);
    const old = this.values.get(node.id);
    let next: ResourceNode = node;
    if (mode === 'update' && node.kind === 'multipleResource' && old?.kind === 'multipleResource') {
      const merged = new Map(old.instances.map((i) => [i.id, i]));
      for (const i of node.instances) merged.set(i.id, i);
      next = multipleResource(
        node.id,
        [...merged.values()].sort((a, b) => a.id - b.id),
        node.valueType,
      );
    }
    this.live.delete(node.id);
    this.values.set(node.id, next);
    this.options.onWrite?.(next);
  }

  /** Application-side write of plain content; reports the change (observers, Send). */
  set(resourceId: number, plain: PlainResource): void {
    const rm = this.resourceModel(resourceId);
    if (typeof plain === 'function') this.live.set(resourceId, plain as () => PlainValue);
    else this.write(plainToResource(rm, plain as PlainValue), 'replace');
    this.listener?.(resourceId);
  }

  /** Reports that a live resource changed (e.g. a sensor behind a getter). */
  changed(resourceId: number): void {
    this.listener?.(resourceId);
  }

  execute(resourceId: number, args: string | undefined): void | Promise<void> {
    return this.options.execute?.[resourceId]?.(args);
  }

  deleteResourceInstance(resourceId: number, instanceId: number): boolean {
    const old = this.values.get(resourceId);
    if (old?.kind !== 'multipleResource' || !old.instances.some((i) => i.id === instanceId)) return false;
    const rest = old.instances.filter((i) => i.id !== instanceId);
    this.values.set(resourceId, multipleResource(resourceId, rest, old.valueType));
    return true;
  }

  /** Removes a resource (an optional one), e.g. when a Write replace omits it. */
  remove(resourceId: number): void {
    this.values.delete(resourceId);
    this.live.delete(resourceId);
  }

  attach(listener: InstanceChangeListener): void {
    this.listener = listener;
  }

  private resourceModel(id: number): ResourceModel {
    const rm = this.model.resources.get(id);
    if (!rm) throw new NotFoundError(`object ${this.model.id} has no resource ${id}`);
    return rm;
  }
}

/** Declares an instance of `model` from plain values keyed by resource id (typed by the model). */
export function declareInstance(
  model: ObjectModel,
  id: number,
  values: Readonly<Record<number, PlainResource>>,
  options: DeclareOptions = {},
): DeclaredInstance {
  return new DeclaredInstance(model, id, values, options);
}
