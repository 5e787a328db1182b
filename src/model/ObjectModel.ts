// LwM2M Core TS 1.1.1 section 5 and Appendix D (DDF): what an object and its resources are.

/** Resource data types (Core TS Appendix C); 'none' for executable resources. */
export type ResourceType =
  | 'string'
  | 'integer'
  | 'unsignedInteger'
  | 'float'
  | 'boolean'
  | 'opaque'
  | 'time'
  | 'objlnk'
  | 'corelnk'
  | 'none';

/** Allowed operations on a resource; '' for none (e.g. Security object resources). */
export type Operations = 'R' | 'W' | 'RW' | 'E' | '';

/** A resource definition. */
export interface ResourceModel {
  readonly id: number;
  readonly name: string;
  readonly operations: Operations;
  /** True for a multiple-instance resource. */
  readonly multiple: boolean;
  readonly mandatory: boolean;
  readonly type: ResourceType;
  /** RangeEnumeration as written in the DDF, e.g. "0..100"; '' when none. */
  readonly rangeEnumeration: string;
  readonly units: string;
  readonly description: string;
}

/** An object definition at one object version. */
export interface ObjectModel {
  readonly id: number;
  readonly name: string;
  readonly description: string;
  /** Object version, "1.0" when the DDF states none. */
  readonly version: string;
  /** LwM2M enabler version the object targets, "1.0" when the DDF states none. */
  readonly lwm2mVersion: string;
  /** ObjectURN, e.g. "urn:oma:lwm2m:oma:3:1.1"; '' when none. */
  readonly urn: string;
  /** True when the object may have several instances. */
  readonly multiple: boolean;
  readonly mandatory: boolean;
  /** Resources by id. */
  readonly resources: ReadonlyMap<number, ResourceModel>;
}

/** What model-directed decoders need: an object's definition by id, if known. */
export interface ModelLookup {
  getObject(objectId: number): ObjectModel | undefined;
}
