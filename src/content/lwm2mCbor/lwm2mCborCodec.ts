// OMA LwM2M Core TS 1.2 section 7.4.7: the application/vnd.oma.lwm2m+cbor (11544) content format.
// A payload is nested CBOR maps keyed by path ids from the object id down, e.g.
// {3: {0: {0: "Open Mobile Alliance", 7: {0: 3800, 1: 5000}}}}; a key may also be an array of
// ids standing for several levels at once ({[3, 0]: {...}}). The format has no timestamps.
import type { Lwm2mNode, PathNode, TimestampedNodes } from '../../lwm2m/Lwm2mNode.js';
import { Lwm2mPath, MAX_ID } from '../../lwm2m/Lwm2mPath.js';
import type { Lwm2mValue } from '../../lwm2m/Lwm2mValue.js';
import { BadRequestError, UnsupportedContentFormatError } from '../../lwm2m/errors.js';
import {
  assertNodeMatchesPath,
  buildTree,
  flattenToLeaves,
  resource,
  resourceInstance,
} from '../../lwm2m/nodes.js';
import type { ModelLookup } from '../../model/ObjectModel.js';
import { DecodeError } from '../../transport/DecodeError.js';
import type { MultiNodeCodec } from '../ContentCodec.js';
import { ContentFormat } from '../ContentFormat.js';
import { DEFAULT_DECODE_LIMITS, type DecodeLimits } from '../decodeLimits.js';
import { idlessCreateError, isIdlessCreate } from '../idlessCreate.js';
import { CborWriter } from '../senml/CborWriter.js';
import { readCbor, type CborItem } from '../senml/readCbor.js';
import { cachedModels } from '../senml/leafPaths.js';
import { readLwm2mCborValue, writeLwm2mCborValue } from './lwm2mCborValues.js';

/** A level of the id tree being written: children by id, or a leaf value (null for a bare path). */
type Tree = Map<number, Tree | Lwm2mValue | null>;

function insert(tree: Tree, path: Lwm2mPath, value: Lwm2mValue | null): void {
  const ids = path.toArray();
  let level = tree;
  ids.forEach((id, i) => {
    const existing = level.get(id);
    if (i === ids.length - 1) {
      if (existing !== undefined) throw new BadRequestError(`${path.toString()} appears twice`);
      level.set(id, value);
    } else if (existing === undefined) {
      const next: Tree = new Map();
      level.set(id, next);
      level = next;
    } else if (existing instanceof Map) level = existing;
    else throw new BadRequestError(`${path.toString()} lies below another value`);
  });
}

function writeTree(w: CborWriter, tree: Tree): void {
  w.map(tree.size);
  for (const [id, child] of tree) {
    w.int(id);
    if (child instanceof Map) writeTree(w, child);
    else if (child === null) w.head(7, 22);
    else writeLwm2mCborValue(w, child);
  }
}

function encodeTree(tree: Tree): Uint8Array {
  const w = new CborWriter();
  writeTree(w, tree);
  return w.finish();
}

/** One leaf item found in a payload, at its full path. */
interface FoundLeaf {
  readonly path: Lwm2mPath;
  readonly item: CborItem;
}

function keyIds(key: CborItem): number[] {
  const one = (k: CborItem): number => {
    if (k.kind !== 'int' || typeof k.value !== 'number' || k.value < 0 || k.value > MAX_ID)
      throw new DecodeError('an LwM2M CBOR key is an id 0..65534 or an array of ids', k.at);
    return k.value;
  };
  if (key.kind !== 'array') return [one(key)];
  if (key.items.length === 0) throw new DecodeError('an empty id array is no key', key.at);
  return key.items.map(one);
}

/** Walks the nested maps, collecting leaves (values, or null for paths) with their full paths. */
function collectLeaves(bytes: Uint8Array, limits: DecodeLimits): FoundLeaf[] {
  const root = readCbor(bytes, limits);
  if (root.kind !== 'map') throw new DecodeError('an LwM2M CBOR payload is a map', root.at);
  const out: FoundLeaf[] = [];
  const leafPaths = new Set<string>();
  // Every proper prefix of a leaf's path: with array keys, one payload can name a path both as a
  // leaf and above or below another leaf ({3: {0: {0: null}}, [3, 0]: null}), which no tree of
  // values (nor our encoder) can hold: refused, as a path reached twice is.
  const abovePaths = new Set<string>();
  const addLeaf = (ids: readonly number[], k: string, at: number): void => {
    if (abovePaths.has(k)) throw new DecodeError(`/${k} has values below it`, at);
    for (let n = ids.length - 1; n > 0; n--) {
      const above = ids.slice(0, n).join('/');
      if (leafPaths.has(above)) throw new DecodeError(`/${k} lies below the value at /${above}`, at);
      abovePaths.add(above);
    }
    leafPaths.add(k);
  };
  const walk = (map: CborItem & { kind: 'map' }, prefix: readonly number[]): void => {
    const seen = new Set<string>();
    for (const [key, value] of map.entries) {
      const ids = [...prefix, ...keyIds(key)];
      if (ids.length > 4) throw new DecodeError('a path has at most 4 ids', key.at);
      const k = ids.join('/');
      if (seen.has(k) || leafPaths.has(k)) throw new DecodeError(`duplicate key for /${k}`, key.at);
      seen.add(k);
      if (value.kind === 'map') walk(value, ids);
      else {
        if (out.length >= limits.maxRecords)
          throw new DecodeError('too many LwM2M CBOR values', value.at, 'limit');
        addLeaf(ids, k, key.at);
        out.push({ path: Lwm2mPath.of(...ids), item: value });
      }
    }
  };
  walk(root, []);
  return out;
}

/** The LwM2M CBOR codec (Core TS 1.2 section 7.4.7). */
export class Lwm2mCborCodec implements MultiNodeCodec {
  readonly format = ContentFormat.LWM2M_CBOR;

  encode(path: Lwm2mPath, node: Lwm2mNode, _models: ModelLookup): Uint8Array {
    assertNodeMatchesPath(path, node);
    return this.encodeNodes([{ path, node }], _models);
  }

  encodeNodes(nodes: readonly PathNode[], _models: ModelLookup): Uint8Array {
    const tree: Tree = new Map();
    for (const { path, node } of nodes) {
      assertNodeMatchesPath(path, node);
      // Keys nest from the object id down: no form for a Create without id (see idlessCreate.ts).
      if (isIdlessCreate(path, node)) throw idlessCreateError(this.format);
      const leaves = flattenToLeaves(path, node);
      if (leaves.length === 0) insertEmpty(tree, path);
      for (const leaf of leaves) insert(tree, leaf.path, (leaf.node as { value: Lwm2mValue }).value);
    }
    return encodeTree(tree);
  }

  /** LwM2M CBOR has no time field: only groups without a timestamp can be written. */
  encodeTimestamped(data: readonly TimestampedNodes[], models: ModelLookup): Uint8Array {
    if (data.some((g) => g.timestamp !== undefined)) {
      throw new UnsupportedContentFormatError('LwM2M CBOR cannot carry timestamps; use SenML');
    }
    return this.encodeNodes(
      data.flatMap((g) => g.nodes),
      models,
    );
  }

  encodePaths(paths: readonly Lwm2mPath[]): Uint8Array {
    const tree: Tree = new Map();
    for (const p of paths) {
      if (p.isRoot()) throw new BadRequestError('LwM2M CBOR cannot name the root path');
      insert(tree, p, null);
    }
    return encodeTree(tree);
  }

  decode(bytes: Uint8Array, path: Lwm2mPath, models: ModelLookup, limits = DEFAULT_DECODE_LIMITS): Lwm2mNode {
    const lookup = cachedModels(models);
    return buildTree(path, this.decodeNodes(bytes, lookup, limits), lookup);
  }

  decodeNodes(bytes: Uint8Array, models: ModelLookup, limits = DEFAULT_DECODE_LIMITS): PathNode[] {
    const lookup = cachedModels(models);
    const found = collectLeaves(bytes, limits);
    const leaves = found.map(({ path, item }) => typedLeaf(path, item, lookup));
    if (!leaves.some((l) => l.path.length === 4)) return leaves;
    const resources = new Set(leaves.filter((l) => l.path.length === 3).map((l) => l.path.toString()));
    leaves.forEach((l, i) => {
      if (l.path.length === 4 && resources.has(l.path.parent().toString())) {
        throw new DecodeError(`${l.path.parent().toString()} is both single and multiple`, found[i]!.item.at);
      }
    });
    return leaves;
  }

  decodeTimestamped(
    bytes: Uint8Array,
    models: ModelLookup,
    limits = DEFAULT_DECODE_LIMITS,
  ): TimestampedNodes[] {
    return [{ nodes: this.decodeNodes(bytes, models, limits) }];
  }

  decodePaths(bytes: Uint8Array, limits = DEFAULT_DECODE_LIMITS): Lwm2mPath[] {
    return collectLeaves(bytes, limits).map(({ path, item }) => {
      if (item.kind !== 'simple' || item.value !== null)
        throw new DecodeError('a path list holds only null', item.at);
      return path;
    });
  }
}

/** Keeps an empty container visible in the payload ({3: {0: {}}} for an instance without resources). */
function insertEmpty(tree: Tree, path: Lwm2mPath): void {
  let level = tree;
  for (const id of path.toArray()) {
    let next = level.get(id);
    if (next === undefined) level.set(id, (next = new Map()));
    if (!(next instanceof Map)) throw new BadRequestError(`${path.toString()} lies below another value`);
    level = next;
  }
}

function typedLeaf(path: Lwm2mPath, item: CborItem, models: ModelLookup): PathNode {
  if (path.length < 3) throw new DecodeError(`${path.toString()} is not a resource path`, item.at);
  const model = models.getObject(path.objectId!)?.resources.get(path.resourceId!);
  if (model?.type === 'none')
    throw new DecodeError(`${path.toString()} is executable and has no value`, item.at);
  if (model && model.multiple !== (path.length === 4)) {
    throw new DecodeError(
      `${path.toString()} does not fit a ${model.multiple ? 'multiple' : 'single'} resource`,
      item.at,
    );
  }
  const value = readLwm2mCborValue(item, model?.type, path);
  const id = path.toArray()[path.length - 1]!;
  return { path, node: path.length === 3 ? resource(id, value) : resourceInstance(id, value) };
}

/** The LwM2M CBOR codec instance the registry uses. */
export const lwm2mCborCodec = new Lwm2mCborCodec();
