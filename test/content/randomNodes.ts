// Seeded generators of valid values and nodes for round-trip property tests and fuzz seeds.
import type {
  Lwm2mNode,
  ObjectInstanceNode,
  ResourceInstanceNode,
  ResourceNode,
} from '../../src/lwm2m/Lwm2mNode.js';
import { Lwm2mPath } from '../../src/lwm2m/Lwm2mPath.js';
import type { Lwm2mValue, ValueType } from '../../src/lwm2m/Lwm2mValue.js';
import { instance, multipleResource, object, resource, resourceInstance } from '../../src/lwm2m/nodes.js';
import {
  booleanValue,
  corelnkValue,
  floatValue,
  integerValue,
  objlnkValue,
  opaqueValue,
  stringValue,
  timeValue,
  unsignedValue,
} from '../../src/lwm2m/values.js';
import { TEST_OBJECT, TEST_TYPES } from './testModels.js';

/** A small seeded PRNG (mulberry32) returning floats in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random helpers over one PRNG. */
export class Gen {
  constructor(readonly next: () => number) {}
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)]!;
  }
  bytes(n: number): Uint8Array {
    return Uint8Array.from({ length: n }, () => this.int(0, 255));
  }
  bigint64(): bigint {
    return new DataView(this.bytes(8).buffer).getBigInt64(0);
  }
  string(max: number): string {
    const n = this.int(0, max);
    let s = '';
    for (let i = 0; i < n; i++) {
      const r = this.next();
      const cp =
        r < 0.7 ? this.int(0x20, 0x7e) : r < 0.9 ? this.int(0xa0, 0xd7ff) : this.int(0x10000, 0x10ffff);
      s += String.fromCodePoint(cp);
    }
    return s;
  }

  /** A random valid value of `type`; `finiteFloats` avoids NaN and infinities (text has no form for them). */
  value(type: ValueType, finiteFloats = false): Lwm2mValue {
    switch (type) {
      case 'string':
        return stringValue(this.string(20));
      case 'corelnk':
        return corelnkValue(`</${this.int(0, 65534)}/${this.int(0, 9)}>;ver=1.${this.int(0, 2)}`);
      case 'integer':
        return integerValue(
          this.pick([
            () => this.int(-200, 200),
            () => this.int(-(2 ** 31), 2 ** 31),
            () => this.bigint64(),
          ])(),
        );
      case 'unsignedInteger': {
        const b = this.bigint64();
        return unsignedValue(this.next() < 0.5 ? this.int(0, 70000) : b < 0n ? -b : b);
      }
      case 'float': {
        const specials = finiteFloats ? [0, -0, 1.5, -2.25] : [0, -0, NaN, Infinity, -Infinity, 65504, 1e-7];
        if (this.next() < 0.3) return floatValue(this.pick(specials));
        let f = new DataView(this.bytes(8).buffer).getFloat64(0);
        if (!Number.isFinite(f)) f = this.next() * 1e6;
        const single = Math.fround(f);
        return floatValue(this.next() < 0.5 && Number.isFinite(single) ? single : f);
      }
      case 'boolean':
        return booleanValue(this.next() < 0.5);
      case 'opaque':
        return opaqueValue(this.bytes(this.int(0, 40)));
      case 'time':
        return timeValue(this.int(-(2 ** 40), 2 ** 40));
      case 'objlnk':
        return objlnkValue(this.int(0, 65535), this.int(0, 65535));
    }
  }
}

/** Resource id in TEST_OBJECT for a type: single at the type's index, multiple at 10 + index. */
export function testResourceId(type: ValueType, multiple: boolean): number {
  return TEST_TYPES.indexOf(type) + (multiple ? 10 : 0);
}

function randomResource(g: Gen, multiple: boolean, type: ValueType): ResourceNode {
  const id = testResourceId(type, multiple);
  if (!multiple) return resource(id, g.value(type));
  const ids = [...new Set(Array.from({ length: g.int(0, 4) }, () => g.int(0, 400)))];
  return multipleResource(
    id,
    ids.map((i): ResourceInstanceNode => resourceInstance(i, g.value(type))),
    type,
  );
}

function randomInstance(g: Gen, id: number): ObjectInstanceNode {
  const picks = TEST_TYPES.flatMap((t) => [
    [t, false],
    [t, true],
  ]).filter(() => g.next() < 0.5) as [ValueType, boolean][];
  return instance(
    id,
    picks.map(([t, m]) => randomResource(g, m, t)),
  );
}

/** A random node of TEST_OBJECT at a random path of length 1..4, as the path and node. */
export function randomTestNode(g: Gen, level: 1 | 2 | 3 | 4): { path: Lwm2mPath; node: Lwm2mNode } {
  const iid = g.int(0, 300);
  if (level === 1) {
    const ids = [...new Set(Array.from({ length: g.int(0, 3) }, () => g.int(0, 300)))];
    return {
      path: Lwm2mPath.of(TEST_OBJECT),
      node: object(
        TEST_OBJECT,
        ids.map((i) => randomInstance(g, i)),
      ),
    };
  }
  if (level === 2) return { path: Lwm2mPath.of(TEST_OBJECT, iid), node: randomInstance(g, iid) };
  const type = g.pick(TEST_TYPES);
  if (level === 3) {
    const multiple = g.next() < 0.5;
    const node = randomResource(g, multiple, type);
    return { path: Lwm2mPath.of(TEST_OBJECT, iid, node.id), node };
  }
  const ri = g.int(0, 65534);
  return {
    path: Lwm2mPath.of(TEST_OBJECT, iid, testResourceId(type, true), ri),
    node: resourceInstance(ri, g.value(type)),
  };
}
