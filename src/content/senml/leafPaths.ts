// Core TS 1.1.1 section 7.4.4 (SenML names are LwM2M paths) and section 7.1 (ids 0..65534):
// fast, strict parsing of record names into paths, and a per-payload model lookup cache.
import { Lwm2mPath, MAX_ID } from '../../lwm2m/Lwm2mPath.js';
import type { ModelLookup, ObjectModel } from '../../model/ObjectModel.js';

/**
 * The ids of "/a/b/c…" (1 to 4 ids, each 0..65534 without leading zeros), or undefined for any
 * other text; "/" alone gives the root's empty list.
 */
export function pathIds(name: string): number[] | undefined {
  if (name.charCodeAt(0) !== 0x2f) return undefined;
  if (name.length === 1) return [];
  const ids: number[] = [];
  let id = -1;
  let digits = 0;
  for (let i = 1; i <= name.length; i++) {
    const c = i === name.length ? 0x2f : name.charCodeAt(i);
    if (c === 0x2f) {
      if (digits === 0 || ids.length === 4) return undefined;
      ids.push(id);
      id = -1;
      digits = 0;
    } else if (c >= 0x30 && c <= 0x39) {
      if (digits > 0 && id === 0) return undefined; // leading zero
      id = (digits === 0 ? 0 : id * 10) + (c - 0x30);
      if (++digits > 5 || id > MAX_ID) return undefined;
    } else return undefined;
  }
  return ids;
}

/** The path a name denotes, or undefined (see pathIds). */
export function parseNamePath(name: string): Lwm2mPath | undefined {
  const ids = pathIds(name);
  return ids === undefined ? undefined : Lwm2mPath.of(...ids);
}

/** A lookup that asks `models` once per object id (model registries may resolve versions per call). */
export function cachedModels(models: ModelLookup): ModelLookup {
  const cache = new Map<number, ObjectModel | undefined>();
  return {
    getObject(objectId: number): ObjectModel | undefined {
      if (cache.has(objectId)) return cache.get(objectId);
      const model = models.getObject(objectId);
      cache.set(objectId, model);
      return model;
    },
  };
}
