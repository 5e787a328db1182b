// The REST calls of the composite panel (issue 16 item 3): named sets (GET|PUT|DELETE
// /api/composite-sets[/{name}]) and Read-, Write- and Observe-Composite (Core TS 1.1.1 sections
// 5.4.8, 5.4.9, 5.5.2) at /api/clients/{ep}/composite/{read|write|observe}, with the request
// settings (format, timeout) of the device page.
import { api } from '../api.js';
import { settingsQuery } from './requestSettings.js';

/** A named set of paths (GET /api/composite-sets). */
export interface CompositeSet {
  readonly name: string;
  readonly paths: readonly string[];
  readonly description?: string;
  readonly format?: string;
}

/** A node of the API's JSON (kind resource, resourceInstance, multipleResource, instance, object). */
export interface NodeJson {
  readonly kind?: string;
  readonly id?: number;
  readonly type?: string;
  readonly value?: unknown;
  readonly instances?: readonly NodeJson[];
  readonly resources?: readonly NodeJson[];
}

/** A path and its node, as composite replies and notifications carry them. */
export interface PathNodeJson {
  readonly path: string;
  readonly node: NodeJson;
}

/** The reply of composite read/observe. */
export interface CompositeReply {
  readonly code?: string;
  readonly format?: string;
  readonly observationId?: string;
  readonly content?: readonly PathNodeJson[];
}

const enc = encodeURIComponent;
const clientPath = (endpoint: string, op: string) => `/clients/${enc(endpoint)}/composite/${op}`;
/** The set's own format wins over the page's setting. */
const queryFor = (set: CompositeSet) => ({
  ...settingsQuery(true),
  ...(set.format ? { format: set.format } : {}),
});

export const listSets = () => api<{ items: CompositeSet[]; total: number }>('GET', '/composite-sets');

export const saveSet = (set: CompositeSet) =>
  api<CompositeSet>('PUT', `/composite-sets/${enc(set.name)}`, {
    body: {
      paths: set.paths,
      ...(set.description ? { description: set.description } : {}),
      ...(set.format ? { format: set.format } : {}),
    },
  });

export const deleteSet = (name: string) => api<undefined>('DELETE', `/composite-sets/${enc(name)}`);

export const compositeRead = (endpoint: string, set: CompositeSet) =>
  api<CompositeReply>('POST', clientPath(endpoint, 'read'), {
    query: queryFor(set),
    body: { paths: set.paths },
  });

export const compositeObserve = (endpoint: string, set: CompositeSet) =>
  api<CompositeReply>('POST', clientPath(endpoint, 'observe'), {
    query: queryFor(set),
    body: { paths: set.paths },
  });

export const compositeCancel = (endpoint: string, set: CompositeSet) =>
  api<{ cancelled: number }>('DELETE', clientPath(endpoint, 'observe'), {
    query: { active: true },
    body: { paths: set.paths },
  });

export const compositeWrite = (endpoint: string, set: CompositeSet, nodes: Record<string, unknown>) =>
  api<{ code?: string }>('POST', clientPath(endpoint, 'write'), { query: queryFor(set), body: { nodes } });

/** A short text of a node's value(s), for a table cell. */
export function nodeText(node: NodeJson): string {
  if (node.value !== undefined)
    return typeof node.value === 'string' ? node.value : JSON.stringify(node.value);
  const children = node.instances ?? node.resources;
  if (children) return children.map((c) => `${c.id ?? '?'}: ${nodeText(c)}`).join(', ');
  return '';
}

/** Composite operations exist from LwM2M 1.1 (a registration without `lwm2m=` is 1.0). */
export function supportsComposite(lwm2mVersion: string | undefined): boolean {
  const [major = 1, minor = 0] = (lwm2mVersion ?? '1.0').split('.').map(Number);
  return major > 1 || (major === 1 && minor >= 1);
}
