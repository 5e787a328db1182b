// Measures how much a DtlsTransport holds: walks every object reachable from it (its tables, the
// connection table's indexes, the cookie jar, handshakes, connections...) and adds up the entries
// of every Map and Set and the length of every array, so a test can assert "no growth in any
// internal map" without naming private fields, including tables added later. The inner transport,
// the options and the clock are the test's and are not walked.
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Entries in every Map, Set and array reachable from `root`, by the path of the first one found. */
export function heldEntries(
  root: object,
  skip: readonly unknown[] = [],
): { total: number; byPath: Map<string, number> } {
  const seen = new Set<unknown>(skip);
  const byPath = new Map<string, number>();
  let total = 0;
  const walk = (v: unknown, path: string, depth: number): void => {
    if (v === null || typeof v !== 'object' || seen.has(v) || depth > 12) return;
    if (ArrayBuffer.isView(v)) return;
    seen.add(v);
    if (v instanceof Map || v instanceof Set || Array.isArray(v)) {
      const n = v instanceof Map || v instanceof Set ? v.size : v.length;
      total += n;
      byPath.set(path, (byPath.get(path) ?? 0) + n);
      let i = 0;
      for (const x of v instanceof Map ? v.values() : v) if (i++ < 64) walk(x, `${path}[]`, depth + 1);
      return;
    }
    for (const [k, x] of Object.entries(v)) walk(x, `${path}.${k}`, depth + 1);
  };
  walk(root, '', 0);
  return { total, byPath };
}

let gcFn: (() => void) | undefined;
/** Heap used after a full garbage collection, bytes (global.gc when Node exposes it, else via V8 flags). */
export function heapAfterGc(): number {
  if (!gcFn) {
    const exposed = (globalThis as { gc?: () => void }).gc;
    if (typeof exposed === 'function') gcFn = exposed;
    else {
      setFlagsFromString('--expose-gc');
      const fromContext: unknown = runInNewContext('gc');
      if (typeof fromContext !== 'function')
        throw new Error('cannot reach the garbage collector (run with --expose-gc)');
      gcFn = fromContext as () => void;
    }
  }
  gcFn();
  gcFn();
  return getHeapStatistics().used_heap_size;
}

/** Heap used after a full garbage collection plus the ArrayBuffer memory outside the heap, bytes. */
export function memoryAfterGc(): number {
  return heapAfterGc() + process.memoryUsage().arrayBuffers;
}
