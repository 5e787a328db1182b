// Issue 16 item 3, "recent values per resource with a sparkline": the last values seen of each
// resource (and resource instance) of the open device, from reads and notifications, each path in a
// bounded ring (RECENT_PER_PATH) and at most MAX_PATHS paths (the oldest path is dropped first).
// One signal per path, so a notification re-renders only the rows it concerns.
import { signal, type Signal } from '@preact/signals';
import type { JsonScalar, NodeJson } from './modelTypes.js';

/** Values kept per path. */
export const RECENT_PER_PATH = 50;
/** Paths kept in all. */
export const MAX_PATHS = 5_000;

/** One value seen, with when (ms) and how. */
export interface Sample {
  readonly value: JsonScalar;
  readonly at: number;
  readonly source: 'read' | 'notification';
}

const rings = new Map<string, Signal<readonly Sample[]>>();
const instanceIds = new Map<string, Signal<readonly number[]>>();
const resourcesSeen = new Map<string, Signal<readonly NodeJson[]>>();

/** The resources (without their values) an instance at `path` last answered with (bounded like the rings). */
export function resourcesSeenAt(path: string): Signal<readonly NodeJson[]> {
  let s = resourcesSeen.get(path);
  if (!s) {
    if (resourcesSeen.size >= MAX_PATHS) resourcesSeen.delete(resourcesSeen.keys().next().value!);
    resourcesSeen.set(path, (s = signal<readonly NodeJson[]>([])));
  }
  return s;
}

/** The resource instance ids last seen of the multiple resource at `path` (bounded like the rings). */
export function resourceInstancesAt(path: string): Signal<readonly number[]> {
  let s = instanceIds.get(path);
  if (!s) {
    if (instanceIds.size >= MAX_PATHS) instanceIds.delete(instanceIds.keys().next().value!);
    instanceIds.set(path, (s = signal<readonly number[]>([])));
  }
  return s;
}

/** The signal of the values seen at `path` (created empty). */
export function recentAt(path: string): Signal<readonly Sample[]> {
  let s = rings.get(path);
  if (!s) {
    if (rings.size >= MAX_PATHS) rings.delete(rings.keys().next().value!);
    rings.set(path, (s = signal<readonly Sample[]>([])));
  }
  return s;
}

/** Appends `value` at `path`, dropping the oldest beyond RECENT_PER_PATH. */
export function pushValue(path: string, value: JsonScalar, source: Sample['source'], at = Date.now()): void {
  const s = recentAt(path);
  const next = s.value.length >= RECENT_PER_PATH ? s.value.slice(1) : s.value.slice();
  next.push({ value, at, source });
  s.value = next;
}

/** Records every value of `node`, found at `path` (the read or observed path). */
export function recordNode(path: string, node: NodeJson, source: Sample['source'], at = Date.now()): void {
  switch (node.kind) {
    case 'object':
      for (const i of node.instances ?? []) recordNode(`${path}/${i.id}`, i, source, at);
      return;
    case 'instance': {
      const resources = node.resources ?? [];
      const seen = resourcesSeenAt(path);
      const known = new Set(seen.value.map((r) => r.id));
      // Resources are only ever added here: a partial notification must not hide the others.
      if (resources.some((r) => !known.has(r.id)))
        seen.value = [
          ...seen.value,
          ...resources
            .filter((r) => !known.has(r.id))
            .map((r) => ({ kind: r.kind, id: r.id, ...(r.type === undefined ? {} : { type: r.type }) })),
        ];
      for (const r of resources) recordNode(`${path}/${r.id}`, r, source, at);
      return;
    }
    case 'multipleResource':
      resourceInstancesAt(path).value = (node.instances ?? []).map((ri) => ri.id);
      for (const ri of node.instances ?? []) recordNode(`${path}/${ri.id}`, ri, source, at);
      return;
    default:
      if (node.value !== undefined) pushValue(path, node.value, source, at);
  }
}

/** The path a node of a read of `requested` sits at (a read of /3/0 answers the instance 0). */
export function nodePath(requested: string, node: NodeJson): string {
  const depth = requested.split('/').filter((s) => s !== '').length;
  const nodeDepth = { object: 1, instance: 2, resource: 3, multipleResource: 3, resourceInstance: 4 }[
    node.kind
  ];
  return depth === nodeDepth ? requested : `${requested}/${node.id}`;
}

/** Forgets every value (another device opened). */
export function clearRecent(): void {
  rings.clear();
  instanceIds.clear();
  resourcesSeen.clear();
}
