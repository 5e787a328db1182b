// OMA LwM2M Core TS 1.1.1 Appendix D.1 and section 7.2.2 (object URN): compact helpers to write
// object definitions by hand, one row per resource, and to derive an older object version.
import type { ObjectModel, Operations, ResourceModel, ResourceType } from '../ObjectModel.js';

/** Instances column: single- or multiple-instance. */
export type Instances = 'single' | 'multi';
/** Mandatory column: mandatory or optional. */
export type Requirement = 'mand' | 'opt';

/** One resource row: id, name, operations, instances, mandatory, type, range, units, description. */
export function resourceRow(
  id: number,
  name: string,
  operations: Operations,
  instances: Instances,
  requirement: Requirement,
  type: ResourceType,
  rangeEnumeration = '',
  units = '',
  description = '',
): ResourceModel {
  const multiple = instances === 'multi';
  const mandatory = requirement === 'mand';
  return Object.freeze({
    id,
    name,
    operations,
    multiple,
    mandatory,
    type,
    rangeEnumeration,
    units,
    description,
  });
}

/** The object-level columns of a definition. */
export interface ObjectHeader {
  readonly id: number;
  readonly name: string;
  readonly description: string;
  readonly version: string;
  readonly lwm2mVersion: string;
  /** URN namespace: 'oma' for OMA objects, 'ext' for other bodies' (e.g. IPSO), 'x' for private ones. */
  readonly namespace: 'oma' | 'ext' | 'x';
  readonly instances: Instances;
  readonly requirement: Requirement;
}

/** The object URN: urn:oma:lwm2m:{ns}:{id}, with ":{version}" unless the version is 1.0 (section 7.2.2). */
export function objectUrn(namespace: string, id: number, version: string): string {
  return `urn:oma:lwm2m:${namespace}:${id}${version === '1.0' ? '' : `:${version}`}`;
}

/** Builds an object model from its header and resource rows. */
export function defineObject(header: ObjectHeader, resources: readonly ResourceModel[]): ObjectModel {
  return Object.freeze({
    id: header.id,
    name: header.name,
    description: header.description,
    version: header.version,
    lwm2mVersion: header.lwm2mVersion,
    urn: objectUrn(header.namespace, header.id, header.version),
    multiple: header.instances === 'multi',
    mandatory: header.requirement === 'mand',
    resources: new Map(resources.map((res) => [res.id, res])),
  });
}

/** How an older version differs from the newer one it is derived from. */
export interface VersionChanges {
  readonly version: string;
  readonly lwm2mVersion?: string;
  /** Resources that the older version does not have. */
  readonly without?: readonly number[];
  /** Rows that replace the newer version's row of the same id. */
  readonly rows?: readonly ResourceModel[];
}

/** Derives an older object version from a newer one: same header, fewer or changed resources. */
export function olderVersion(newer: ObjectModel, changes: VersionChanges): ObjectModel {
  const without = new Set(changes.without ?? []);
  const replaced = new Map((changes.rows ?? []).map((row) => [row.id, row]));
  const resources = [...newer.resources.values()]
    .filter((res) => !without.has(res.id))
    .map((res) => replaced.get(res.id) ?? res);
  const namespace = newer.urn.split(':')[3] ?? 'oma';
  return Object.freeze({
    ...newer,
    version: changes.version,
    lwm2mVersion: changes.lwm2mVersion ?? newer.lwm2mVersion,
    urn: objectUrn(namespace, newer.id, changes.version),
    resources: new Map(resources.map((res) => [res.id, res])),
  });
}
