// Counts the elementary operations a store performs on its own data structures, so a complexity
// claim ("an add costs the same at 100k registrations as at 10k") is checked by counting work,
// not by timing it. A Map get/set/has/delete counts one, and so does each element an iteration
// visits; for an object holding arrays (a heap), every read or write of an array slot or length
// counts one. A hidden linear scan therefore shows up as a count that grows with the size.

/** A running total of counted operations. */
export interface OperationCount {
  ops: number;
}

class CountingMap<K, V> extends Map<K, V> {
  count: OperationCount = { ops: 0 };

  override get(key: K): V | undefined {
    this.count.ops++;
    return super.get(key);
  }

  override set(key: K, value: V): this {
    // Map's constructor calls set() before the field above exists.
    if (this.count) this.count.ops++;
    return super.set(key, value);
  }

  override has(key: K): boolean {
    this.count.ops++;
    return super.has(key);
  }

  override delete(key: K): boolean {
    this.count.ops++;
    return super.delete(key);
  }

  override keys(): MapIterator<K> {
    return this.counted(super.keys());
  }

  override values(): MapIterator<V> {
    return this.counted(super.values());
  }

  override entries(): MapIterator<[K, V]> {
    return this.counted(super.entries());
  }

  override [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }

  override forEach(fn: (value: V, key: K, map: Map<K, V>) => void, thisArg?: unknown): void {
    for (const [k, v] of this.entries()) fn.call(thisArg, v, k, this);
  }

  private counted<T>(inner: MapIterator<T>): MapIterator<T> {
    const count = this.count;
    return (function* (): Generator<T, undefined> {
      for (const item of inner) {
        count.ops++;
        yield item;
      }
      return undefined;
    })();
  }
}

/** Wraps an object so that each access to an array it holds (slot or length) counts one. */
function countingArrays<T extends object>(target: T, count: OperationCount): T {
  const wrapped = new WeakMap<unknown[], unknown[]>();
  const arrayHandler: ProxyHandler<unknown[]> = {
    get(arr, prop, receiver) {
      if (typeof prop === 'string') count.ops++;
      return Reflect.get(arr, prop, receiver) as unknown;
    },
    set(arr, prop, value, receiver) {
      count.ops++;
      return Reflect.set(arr, prop, value, receiver);
    },
  };
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver) as unknown;
      if (!Array.isArray(value)) return value;
      let proxy = wrapped.get(value);
      if (!proxy) wrapped.set(value, (proxy = new Proxy(value, arrayHandler)));
      return proxy;
    },
  });
}

/**
 * Replaces every Map and every array-holding object among `owner`'s own fields by a counting
 * stand-in with the same content, and returns the shared count. Call it before using `owner`.
 */
export function countOperations(owner: object, isArrayHolder: (value: unknown) => boolean): OperationCount {
  const count: OperationCount = { ops: 0 };
  const fields = owner as Record<string, unknown>;
  for (const [name, value] of Object.entries(fields)) {
    if (value instanceof Map) {
      const map = new CountingMap<unknown, unknown>(value);
      map.count = count;
      fields[name] = map;
    } else if (typeof value === 'object' && value !== null && isArrayHolder(value)) {
      fields[name] = countingArrays(value, count);
    }
  }
  return count;
}
