// LwM2M Core TS 1.1.1 sections 5.4.8, 5.4.9 and 5.5.2 (Read-, Write- and Observe-Composite name a
// list of paths): named lists of paths an operator keeps on the server to reuse them (issue 16 item
// 3). Interface only; writes return what changed (STYLE.md 10) and the contract suite
// test/store/compositeSetStoreContract.ts proves every implementation.

/** A named list of LwM2M paths for the composite operations. */
export interface CompositeSet {
  /** Unique name (the REST API allows 1-64 characters of letters, digits, `._-` and space). */
  readonly name: string;
  /** LwM2M paths, e.g. "/3/0/0", in the order given. */
  readonly paths: readonly string[];
  readonly description?: string;
  /** Content format name of the REST API to ask for (e.g. "senml-cbor"); unset: the server picks. */
  readonly format?: string;
}

/** What CompositeSetStore.put changed. */
export interface CompositeSetPutResult {
  /** The set of the same name this one replaced, if any. */
  readonly previous?: CompositeSet;
}

/** What CompositeSetStore.delete changed. */
export interface CompositeSetDeleteResult {
  /** The removed set, or undefined when there was none. */
  readonly removed?: CompositeSet;
}

/**
 * Composite sets by name. Async so SQLite and Redis implementations fit; stored sets are copies
 * (a caller changing its object later does not change the store). Bounds (how many sets, paths per
 * set) are the caller's: the REST API checks them before a put.
 */
export interface CompositeSetStore {
  /** The set named `name`, or undefined. */
  get(name: string): Promise<CompositeSet | undefined>;
  /** Stores `set` under its name, replacing any set of that name. */
  put(set: CompositeSet): Promise<CompositeSetPutResult>;
  /** Removes the set named `name`. */
  delete(name: string): Promise<CompositeSetDeleteResult>;
  /** Every set, ordered by name. */
  list(): Promise<CompositeSet[]>;
  /** How many sets are stored. */
  size(): Promise<number>;
}

/** A deep copy of `set` without undefined members (what stores keep and hand out). */
export function copyCompositeSet(set: CompositeSet): CompositeSet {
  return {
    name: set.name,
    paths: [...set.paths],
    ...(set.description === undefined ? {} : { description: set.description }),
    ...(set.format === undefined ? {} : { format: set.format }),
  };
}
