// Composite sets (CompositeSetStore.ts) in a Map: the default store, and the read path of the
// SQLite one.
import {
  copyCompositeSet,
  type CompositeSet,
  type CompositeSetDeleteResult,
  type CompositeSetPutResult,
  type CompositeSetStore,
} from '../CompositeSetStore.js';

/** A CompositeSetStore in memory. */
export class MemoryCompositeSetStore implements CompositeSetStore {
  private readonly sets = new Map<string, CompositeSet>();

  /** Starts with `initial` (e.g. the rows of a data file). */
  constructor(initial: Iterable<CompositeSet> = []) {
    for (const set of initial) this.sets.set(set.name, copyCompositeSet(set));
  }

  async get(name: string): Promise<CompositeSet | undefined> {
    const set = this.sets.get(name);
    return set && copyCompositeSet(set);
  }

  async put(set: CompositeSet): Promise<CompositeSetPutResult> {
    const previous = this.sets.get(set.name);
    this.sets.set(set.name, copyCompositeSet(set));
    return previous ? { previous } : {};
  }

  async delete(name: string): Promise<CompositeSetDeleteResult> {
    const removed = this.sets.get(name);
    this.sets.delete(name);
    return removed ? { removed } : {};
  }

  async list(): Promise<CompositeSet[]> {
    return [...this.sets.keys()]
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      .map((name) => copyCompositeSet(this.sets.get(name)!));
  }

  async size(): Promise<number> {
    return this.sets.size;
  }
}
