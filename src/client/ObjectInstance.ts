// LwM2M Core TS 1.1.1 sections 5.4 and 6.1: what the client needs from one object instance it
// serves. An application implements this small interface (or uses declareInstance) and the
// client runs every Device Management operation on top of it.
import type { ResourceNode } from '../lwm2m/Lwm2mNode.js';
import type { ObjectModel } from '../model/ObjectModel.js';

/** Write semantics (Core TS 5.4.3): PUT replaces, POST updates (partial). */
export type WriteMode = 'replace' | 'update';

/** Called by an instance when one of its resources changed by itself (sensor value, clock). */
export type InstanceChangeListener = (resourceId: number) => void;

/** One object instance served by the client. Values are typed (Lwm2mValue) and follow the model. */
export interface ObjectInstance {
  readonly id: number;
  readonly model: ObjectModel;
  /** Ids of the readable resources currently present, ascending. */
  resourceIds(): readonly number[];
  /**
   * Ids of the executable resources the instance offers, ascending: they hold no value, so
   * resourceIds() leaves them out, but Discover lists them (Core TS 1.1.1 5.4.2). Default: none.
   */
  executableIds?(): readonly number[];
  /** The resource `resourceId`, or undefined when absent. */
  read(resourceId: number): ResourceNode | undefined;
  /** Writes one resource; `update` merges the instances of a multiple resource, `replace` replaces them. */
  write(node: ResourceNode, mode: WriteMode): void;
  /** Runs an executable resource with its optional arguments (Core TS 5.4.5). */
  execute(resourceId: number, args: string | undefined): void | Promise<void>;
  /** Deletes one resource instance of a multiple resource (LwM2M 1.2); false when absent. */
  deleteResourceInstance?(resourceId: number, instanceId: number): boolean;
  /** Lets the instance report changes it makes itself; the tree calls this once when added. */
  attach?(listener: InstanceChangeListener): void;
  /** Called once the instance was removed from the tree. */
  dispose?(): void;
}
