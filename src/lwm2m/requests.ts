// LwM2M Core TS 1.1.1 sections 5.3 (Bootstrap), 5.4 (Device Management and Service Enablement)
// and 5.5 (Information Reporting): every request a server or bootstrap server sends to a client,
// as data (STYLE.md 9). Factories validate at construction, so an invalid request never exists.
// binding/ turns these into CoAP messages and back; nothing here knows CoAP messaging.
import type { Attributes } from './attributes.js';
import { parseExecuteArguments } from './executeArguments.js';
import { InvalidRequestError } from './requestErrors.js';
import { Lwm2mPath } from './Lwm2mPath.js';
import type { Lwm2mNode, ObjectInstanceNode, PathNode } from './Lwm2mNode.js';
import { assertNodeMatchesPath } from './nodes.js';

/** A path given as text ('/3/0/1') or as a parsed Lwm2mPath. */
export type PathInput = string | Lwm2mPath;

/** Read a node (5.4.1). `format` overrides the content format asked for with Accept. */
export interface ReadRequest {
  readonly kind: 'read';
  readonly path: Lwm2mPath;
  readonly format?: number;
}
/** Discover attributes and structure (5.4.2); `depth` is 1.2's optional depth parameter. */
export interface DiscoverRequest {
  readonly kind: 'discover';
  readonly path: Lwm2mPath;
  readonly depth?: number;
}
/** Write (5.4.3): replace (PUT) or partial update (POST) of an instance, a resource or a resource instance. */
export interface WriteRequest {
  readonly kind: 'write';
  readonly path: Lwm2mPath;
  readonly mode: 'replace' | 'update';
  readonly node: Lwm2mNode;
  readonly format?: number;
}
/** Write-Attributes (5.4.4). */
export interface WriteAttributesRequest {
  readonly kind: 'writeAttributes';
  readonly path: Lwm2mPath;
  readonly attributes: Attributes;
}
/** Execute a resource (5.4.5) with optional arguments (`0='a',1` as in section 5.4.5.1). */
export interface ExecuteRequest {
  readonly kind: 'execute';
  readonly path: Lwm2mPath;
  readonly arguments?: string;
}
/** Create object instances (5.4.6); an instance id of NO_INSTANCE_ID lets the client choose. */
export interface CreateRequest {
  readonly kind: 'create';
  readonly path: Lwm2mPath;
  readonly instances: readonly ObjectInstanceNode[];
  readonly format?: number;
}
/** Delete an object instance (5.4.7), or a resource instance (1.2). */
export interface DeleteRequest {
  readonly kind: 'delete';
  readonly path: Lwm2mPath;
}
/** Read-Composite (5.4.8, 1.1). */
export interface ReadCompositeRequest {
  readonly kind: 'readComposite';
  readonly paths: readonly Lwm2mPath[];
  /** Format of the request body listing the paths (SenML JSON/CBOR). */
  readonly requestFormat?: number;
  /** Format asked for with Accept. */
  readonly format?: number;
}
/** Write-Composite (5.4.9, 1.1). */
export interface WriteCompositeRequest {
  readonly kind: 'writeComposite';
  readonly nodes: readonly PathNode[];
  readonly format?: number;
}
/** Observe a node (5.5.1). */
export interface ObserveRequest {
  readonly kind: 'observe';
  readonly path: Lwm2mPath;
  readonly format?: number;
}
/** Observe-Composite (5.5.2, 1.1). */
export interface ObserveCompositeRequest {
  readonly kind: 'observeComposite';
  readonly paths: readonly Lwm2mPath[];
  readonly requestFormat?: number;
  readonly format?: number;
}
/** Active Cancel Observation (5.5.3): re-sends the observe with Observe=1 and the same token. */
export interface CancelObservationRequest {
  readonly kind: 'cancelObservation';
  readonly path: Lwm2mPath;
  readonly token: Uint8Array;
}
/** Active Cancel Observation-Composite (5.5.4). */
export interface CancelCompositeObservationRequest {
  readonly kind: 'cancelCompositeObservation';
  readonly paths: readonly Lwm2mPath[];
  readonly token: Uint8Array;
  readonly requestFormat?: number;
}
/** Bootstrap-Read (5.3.x, 1.1): only Server and Access Control objects. */
export interface BootstrapReadRequest {
  readonly kind: 'bootstrapRead';
  readonly path: Lwm2mPath;
  readonly format?: number;
}
/** Bootstrap-Discover (5.3.x). */
export interface BootstrapDiscoverRequest {
  readonly kind: 'bootstrapDiscover';
  readonly path: Lwm2mPath;
}
/** Bootstrap-Write (5.3.x): like Write (replace) but with the bootstrap server's rights. */
export interface BootstrapWriteRequest {
  readonly kind: 'bootstrapWrite';
  readonly path: Lwm2mPath;
  readonly node: Lwm2mNode;
  readonly format?: number;
}
/** Bootstrap-Delete (5.3.x): `/` deletes everything but the bootstrap account. */
export interface BootstrapDeleteRequest {
  readonly kind: 'bootstrapDelete';
  readonly path: Lwm2mPath;
}
/** Bootstrap-Finish (5.3.x). */
export interface BootstrapFinishRequest {
  readonly kind: 'bootstrapFinish';
}

/** Any request a server sends to a client (Device Management and Information Reporting). */
export type DownlinkRequest =
  | ReadRequest
  | DiscoverRequest
  | WriteRequest
  | WriteAttributesRequest
  | ExecuteRequest
  | CreateRequest
  | DeleteRequest
  | ReadCompositeRequest
  | WriteCompositeRequest
  | ObserveRequest
  | ObserveCompositeRequest
  | CancelObservationRequest
  | CancelCompositeObservationRequest;

/** Any request a bootstrap server sends to a client. */
export type BootstrapDownlinkRequest =
  | BootstrapReadRequest
  | BootstrapDiscoverRequest
  | BootstrapWriteRequest
  | BootstrapDeleteRequest
  | BootstrapFinishRequest;

const toPath = (p: PathInput): Lwm2mPath => (typeof p === 'string' ? Lwm2mPath.parse(p) : p);

function atLeast(path: Lwm2mPath, min: number, op: string): Lwm2mPath {
  if (path.length < min)
    throw new InvalidRequestError(`${op} needs a path of at least ${min} ids, got ${path}`);
  return path;
}
function between(path: Lwm2mPath, min: number, max: number, op: string): Lwm2mPath {
  if (path.length < min || path.length > max)
    throw new InvalidRequestError(`${op} cannot target ${path} (path of ${min} to ${max} ids)`);
  return path;
}
function nonEmpty<T>(items: readonly T[], op: string): readonly T[] {
  if (items.length === 0) throw new InvalidRequestError(`${op} needs at least one path`);
  return items;
}

/** Read of an object, instance, resource or resource instance (not the root). */
export const read = (path: PathInput, opts: { format?: number } = {}): ReadRequest => ({
  kind: 'read',
  path: atLeast(toPath(path), 1, 'Read'),
  ...opts,
});
/** Discover on an object, instance or resource (Core TS 5.4.2). */
export const discover = (path: PathInput, opts: { depth?: number } = {}): DiscoverRequest => ({
  kind: 'discover',
  path: between(toPath(path), 1, 3, 'Discover'),
  ...opts,
});
/** Write a node at its path: an instance, a resource or a resource instance (5.4.3). */
export function write(
  path: PathInput,
  node: Lwm2mNode,
  opts: { mode?: 'replace' | 'update'; format?: number } = {},
): WriteRequest {
  const p = between(toPath(path), 2, 4, 'Write');
  assertNodeMatchesPath(p, node);
  return {
    kind: 'write',
    path: p,
    node,
    mode: opts.mode ?? 'replace',
    ...(opts.format === undefined ? {} : { format: opts.format }),
  };
}
/** Write-Attributes on an object, instance, resource or resource instance. */
export const writeAttributes = (path: PathInput, attributes: Attributes): WriteAttributesRequest => ({
  kind: 'writeAttributes',
  path: between(toPath(path), 1, 4, 'Write-Attributes'),
  attributes,
});
/** Execute a resource, with optional arguments (`0='a',1`); throws InvalidRequestError off the 5.4.5 grammar. */
export function execute(path: PathInput, args?: string): ExecuteRequest {
  const p = between(toPath(path), 3, 3, 'Execute');
  if (args === undefined || args === '') return { kind: 'execute', path: p };
  parseExecuteArguments(args);
  return { kind: 'execute', path: p, arguments: args };
}
/** Create one or more instances of an object. */
export function create(
  path: PathInput,
  instances: readonly ObjectInstanceNode[],
  opts: { format?: number } = {},
): CreateRequest {
  const p = between(toPath(path), 1, 1, 'Create');
  if (instances.length === 0) throw new InvalidRequestError('Create needs at least one instance');
  return { kind: 'create', path: p, instances, ...opts };
}
/** Delete an object instance (or a resource instance, LwM2M 1.2). */
export const del = (path: PathInput): DeleteRequest => ({
  kind: 'delete',
  path: between(toPath(path), 2, 4, 'Delete'),
});
/** Read-Composite over several paths. */
export const readComposite = (
  paths: readonly PathInput[],
  opts: { requestFormat?: number; format?: number } = {},
): ReadCompositeRequest => ({
  kind: 'readComposite',
  paths: nonEmpty(paths.map(toPath), 'Read-Composite'),
  ...opts,
});
/** Write-Composite of nodes at their paths (resources or resource instances). */
export function writeComposite(
  nodes: readonly PathNode[],
  opts: { format?: number } = {},
): WriteCompositeRequest {
  nonEmpty(nodes, 'Write-Composite');
  for (const n of nodes) assertNodeMatchesPath(atLeast(n.path, 3, 'Write-Composite'), n.node);
  return { kind: 'writeComposite', nodes, ...opts };
}
/** Observe an object, instance, resource or resource instance. */
export const observe = (path: PathInput, opts: { format?: number } = {}): ObserveRequest => ({
  kind: 'observe',
  path: atLeast(toPath(path), 1, 'Observe'),
  ...opts,
});
/** Observe-Composite over several paths. */
export const observeComposite = (
  paths: readonly PathInput[],
  opts: { requestFormat?: number; format?: number } = {},
): ObserveCompositeRequest => ({
  kind: 'observeComposite',
  paths: nonEmpty(paths.map(toPath), 'Observe-Composite'),
  ...opts,
});
/** Bootstrap-Write of a node (Core TS 5.3: may target an object, instance or resource). */
export function bootstrapWrite(
  path: PathInput,
  node: Lwm2mNode,
  opts: { format?: number } = {},
): BootstrapWriteRequest {
  const p = between(toPath(path), 1, 3, 'Bootstrap-Write');
  assertNodeMatchesPath(p, node);
  return { kind: 'bootstrapWrite', path: p, node, ...opts };
}
/** Bootstrap-Delete of everything (`/`), an object or an instance. */
export const bootstrapDelete = (path: PathInput = '/'): BootstrapDeleteRequest => ({
  kind: 'bootstrapDelete',
  path: between(toPath(path), 0, 2, 'Bootstrap-Delete'),
});
/** Bootstrap-Discover of everything or of one object. */
export const bootstrapDiscover = (path: PathInput = '/'): BootstrapDiscoverRequest => ({
  kind: 'bootstrapDiscover',
  path: between(toPath(path), 0, 1, 'Bootstrap-Discover'),
});
/** Bootstrap-Read of the Server or Access Control object (1.1). */
export function bootstrapRead(path: PathInput, opts: { format?: number } = {}): BootstrapReadRequest {
  const p = between(toPath(path), 1, 3, 'Bootstrap-Read');
  if (p.objectId !== 1 && p.objectId !== 2)
    throw new InvalidRequestError(`Bootstrap-Read is allowed on objects 1 and 2 only, not ${p}`);
  return { kind: 'bootstrapRead', path: p, ...opts };
}
/** Bootstrap-Finish. */
export const bootstrapFinish = (): BootstrapFinishRequest => ({ kind: 'bootstrapFinish' });
