// What the object tree knows of the open device besides values (recentValues.ts): the instances of
// each object (from the registration, then Create, Delete, Discover and registration updates), the
// paths it observes, and the last Discover answer per path.
import { signal, type Signal } from '@preact/signals';
import type { DiscoverLinkJson } from './modelTypes.js';

const instances = new Map<number, Signal<readonly number[]>>();
const discovered = new Map<string, Signal<readonly DiscoverLinkJson[] | undefined>>();

/** Paths observed from this page (or found observed on the server). */
export const observed = signal<ReadonlySet<string>>(new Set());

/** Marks `path` observed or not. */
export function setObserved(path: string, on: boolean): void {
  const next = new Set(observed.value);
  if (on) next.add(path);
  else next.delete(path);
  observed.value = next;
}

/** The instance ids of object `objectId`, ascending. */
export function instancesOf(objectId: number): Signal<readonly number[]> {
  let s = instances.get(objectId);
  if (!s) instances.set(objectId, (s = signal<readonly number[]>([])));
  return s;
}

/** Sets the instances of `objectId` (sorted, without duplicates). */
export function setInstances(objectId: number, ids: Iterable<number>): void {
  instancesOf(objectId).value = [...new Set(ids)].sort((a, b) => a - b);
}

/** The last Discover answer at `path`. */
export function discoveredAt(path: string): Signal<readonly DiscoverLinkJson[] | undefined> {
  let s = discovered.get(path);
  if (!s) discovered.set(path, (s = signal<readonly DiscoverLinkJson[] | undefined>(undefined)));
  return s;
}

/**
 * Takes a Discover answer at `path` (Core TS 1.1.1 5.4.2: the links list the object's instances
 * and their resources): on an object, its instances become the ones listed.
 */
export function applyDiscover(path: string, links: readonly DiscoverLinkJson[]): void {
  discoveredAt(path).value = links;
  const ids = path.split('/').filter((s) => s !== '');
  if (ids.length !== 1) return;
  const objectId = Number(ids[0]);
  const found = new Set<number>();
  for (const l of links) {
    const parts = l.path.split('/').filter((s) => s !== '');
    if (parts.length >= 2 && Number(parts[0]) === objectId) found.add(Number(parts[1]));
  }
  setInstances(objectId, found);
}

/** Forgets everything (another device opened). */
export function clearTreeState(): void {
  instances.clear();
  discovered.clear();
  observed.value = new Set();
}
