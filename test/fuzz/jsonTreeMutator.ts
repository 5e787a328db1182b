// One random edit of a JSON tree, for the fuzzers of JSON readers (bootstrap configs, credentials
// files, stored downlink requests): a node becomes a random value (always past `maxDepth`), an
// array loses, changes or gains an element, an object loses a key, gains one of `keys` or has a
// child edited. What counts as a random value is the caller's (`randomValue`).
import type { Mutator } from './mutator.js';

export interface JsonTreeEdits {
  /** Keys an edit may add (the reader's own, plus hostile ones such as '__proto__'). */
  readonly keys: readonly string[];
  /** A random leaf or small tree. */
  readonly randomValue: (m: Mutator) => unknown;
  /** Below this depth a node is always replaced. */
  readonly maxDepth: number;
}

/** `v` with one random edit somewhere (a new tree; `v` is not changed). */
export function mutateJsonTree(v: unknown, m: Mutator, edits: JsonTreeEdits, depth = 0): unknown {
  if (typeof v !== 'object' || v === null || depth > edits.maxDepth || m.int(4) === 0)
    return edits.randomValue(m);
  if (Array.isArray(v)) {
    const out: unknown[] = [...(v as unknown[])];
    const op = m.int(3);
    if (out.length === 0) out.push(edits.randomValue(m));
    else if (op === 0) out.splice(m.int(out.length), 1);
    else out[m.int(out.length)] = mutateJsonTree(out[m.int(out.length)], m, edits, depth + 1);
    return out;
  }
  const out: Record<string, unknown> = { ...(v as Record<string, unknown>) };
  const keys = Object.keys(out);
  const op = m.int(5);
  if (op === 0 && keys.length) delete out[m.pick(keys)];
  else if (op === 1) out[m.pick(edits.keys)] = edits.randomValue(m);
  else if (keys.length) {
    const k = m.pick(keys);
    out[k] = mutateJsonTree(out[k], m, edits, depth + 1);
  }
  return out;
}
