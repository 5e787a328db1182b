// LwM2M Core TS 1.1.1 section 6.1: the data tree a request or response carries. The node kind
// follows the path it sits at: object, object instance, resource (single or multiple),
// resource instance.
import type { Lwm2mPath } from './Lwm2mPath.js';
import type { Lwm2mValue, ValueType } from './Lwm2mValue.js';

/** A single-instance resource with its value. */
export interface SingleResourceNode {
  readonly kind: 'resource';
  readonly id: number;
  readonly value: Lwm2mValue;
}

/** One instance of a multiple-instance resource. */
export interface ResourceInstanceNode {
  readonly kind: 'resourceInstance';
  readonly id: number;
  readonly value: Lwm2mValue;
}

/** A multiple-instance resource; `valueType` is known from the model or from its instances. */
export interface MultipleResourceNode {
  readonly kind: 'multipleResource';
  readonly id: number;
  readonly valueType?: ValueType;
  readonly instances: readonly ResourceInstanceNode[];
}

/** A resource of either kind. */
export type ResourceNode = SingleResourceNode | MultipleResourceNode;

/** An object instance with its resources. */
export interface ObjectInstanceNode {
  readonly kind: 'instance';
  readonly id: number;
  readonly resources: readonly ResourceNode[];
}

/** An object with its instances. */
export interface ObjectNode {
  readonly kind: 'object';
  readonly id: number;
  readonly instances: readonly ObjectInstanceNode[];
}

/** Any node of the LwM2M data tree. */
export type Lwm2mNode =
  ObjectNode | ObjectInstanceNode | SingleResourceNode | MultipleResourceNode | ResourceInstanceNode;

/** A node together with the full path it sits at (composite operations, Send, notifications). */
export interface PathNode {
  readonly path: Lwm2mPath;
  readonly node: Lwm2mNode;
}

/** Instance id a Create payload carries when it names none; 65535 is reserved (Core TS 7.1). */
export const NO_INSTANCE_ID = 65535;

/** Nodes sharing one timestamp (seconds since the epoch, may be fractional) — Send and historical notifications. */
export interface TimestampedNodes {
  /** Absent when the records carried no time. */
  readonly timestamp?: number;
  readonly nodes: readonly PathNode[];
}
