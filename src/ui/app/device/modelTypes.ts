// JSON shapes the object tree reads: the models of GET /api/clients/{ep}/models (modelRoutes.ts)
// and the nodes of reads and notifications (nodeJson.ts on the server).

/** A resource definition (Core TS 1.1.1 Appendix D). */
export interface ResourceModelJson {
  readonly id: number;
  readonly name: string;
  /** "R", "W", "RW", "E" or "". */
  readonly operations: string;
  readonly multiple: boolean;
  readonly mandatory: boolean;
  readonly type: string;
  readonly range: string;
  readonly units: string;
  readonly description: string;
}

/** An object definition at one version. */
export interface ObjectModelJson {
  readonly id: number;
  readonly name: string;
  readonly version: string;
  readonly multiple: boolean;
  readonly mandatory: boolean;
  readonly description: string;
  readonly resources: readonly ResourceModelJson[];
}

/** One announced object of GET /api/clients/{ep}/models. */
export interface ClientObjectJson {
  readonly id: number;
  readonly version?: string;
  readonly instances: readonly number[];
  readonly model?: ObjectModelJson;
}

/** GET /api/clients/{ep}/models. */
export interface ClientModelsJson {
  readonly endpoint: string;
  readonly objects: readonly ClientObjectJson[];
}

/** A value as JSON: numbers, strings (base64 opaque, ISO time, "o:i" objlnk), booleans. */
export type JsonScalar = string | number | boolean;

/** A node as JSON, any level. */
export interface NodeJson {
  readonly kind: 'object' | 'instance' | 'resource' | 'multipleResource' | 'resourceInstance';
  readonly id: number;
  readonly type?: string;
  readonly value?: JsonScalar;
  readonly resources?: readonly NodeJson[];
  readonly instances?: readonly NodeJson[];
}

/** One link of a Discover answer. */
export interface DiscoverLinkJson {
  readonly path: string;
  readonly attributes: Readonly<Record<string, unknown>>;
}

/** True when the resource may be read (R or RW). */
export const readable = (r: ResourceModelJson): boolean => r.operations.includes('R');
/** True when the resource may be written (W or RW). */
export const writable = (r: ResourceModelJson): boolean => r.operations.includes('W');
/** True when the resource is executable. */
export const executable = (r: ResourceModelJson): boolean => r.operations.includes('E');
