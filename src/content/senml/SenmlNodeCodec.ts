// Core TS 1.1.1 sections 7.4.4/7.4.5 (SenML JSON/CBOR), 6.3.4-6.3.8 (composite operations) and
// 6.4.5 (Send): LwM2M nodes to and from SenML records. Record bytes come from a serializer
// (JSON or CBOR), so both formats share this one records ↔ nodes level (STYLE.md 6).
import type { Lwm2mNode, PathNode, TimestampedNodes } from '../../lwm2m/Lwm2mNode.js';
import { Lwm2mPath } from '../../lwm2m/Lwm2mPath.js';
import {
  assertNodeMatchesPath,
  buildTree,
  flattenToLeaves,
  resource,
  resourceInstance,
} from '../../lwm2m/nodes.js';
import { InvalidValueError } from '../../lwm2m/values.js';
import type { ModelLookup } from '../../model/ObjectModel.js';
import { DecodeError } from '../../transport/DecodeError.js';
import type { MultiNodeCodec } from '../ContentCodec.js';
import { DEFAULT_DECODE_LIMITS, type DecodeLimits } from '../decodeLimits.js';
import { idlessCreateError, isIdlessCreate } from '../idlessCreate.js';
import { resolveRecords, valueFieldCount, type ResolvedRecord, type SenmlRecord } from './senmlRecords.js';
import { valueFromRecord, valueToFields, type SenmlValueStyle } from './senmlValues.js';
import { cachedModels, parseNamePath, pathIds } from './leafPaths.js';

/** Turns records into payload bytes and back (SenML JSON, SenML CBOR, LwM2M JSON). */
export interface SenmlRecordSerializer {
  encode(records: readonly SenmlRecord[]): Uint8Array;
  /** Throws DecodeError for any malformed payload. */
  decode(bytes: Uint8Array, limits: DecodeLimits): SenmlRecord[];
}

/** What distinguishes one record-based format from another. */
export interface SenmlNodeCodecOptions {
  readonly format: number;
  readonly serializer: SenmlRecordSerializer;
  readonly style: SenmlValueStyle;
  /** JSON formats have no NaN or infinities: encoders refuse them. */
  readonly finiteFloatsOnly: boolean;
  /** LwM2M JSON 1.0: names without a leading "/" are relative to the request path. */
  readonly namesRelativeToRequest: boolean;
}

/** A MultiNodeCodec over SenML-style records; see senmlJsonCodec, senmlCborCodec, lwm2mJsonCodec. */
export class SenmlNodeCodec implements MultiNodeCodec {
  readonly format: number;

  constructor(private readonly options: SenmlNodeCodecOptions) {
    this.format = options.format;
  }

  encode(path: Lwm2mPath, node: Lwm2mNode, _models: ModelLookup): Uint8Array {
    assertNodeMatchesPath(path, node);
    const out: SenmlRecord[] = [];
    this.appendNode(path, node, { bn: undefined }, out);
    return this.options.serializer.encode(out);
  }

  encodeNodes(nodes: readonly PathNode[], _models: ModelLookup): Uint8Array {
    const out: SenmlRecord[] = [];
    const state = { bn: undefined as string | undefined };
    for (const { path, node } of nodes) {
      assertNodeMatchesPath(path, node);
      this.appendNode(path, node, state, out);
    }
    return this.options.serializer.encode(out);
  }

  encodeTimestamped(data: readonly TimestampedNodes[], _models: ModelLookup): Uint8Array {
    const out: SenmlRecord[] = [];
    const state = { bn: undefined as string | undefined };
    let bt: number | undefined;
    for (const group of data) {
      const first = out.length;
      for (const { path, node } of group.nodes) {
        assertNodeMatchesPath(path, node);
        this.appendNode(path, node, state, out);
      }
      const wanted = group.timestamp ?? (bt === undefined ? undefined : 0); // bt 0: "no time" again
      if (out.length > first && wanted !== bt && wanted !== undefined) {
        if (!Number.isFinite(wanted)) throw new InvalidValueError(`timestamp ${wanted} is not finite`);
        out[first] = { ...out[first], bt: wanted };
        bt = wanted;
      }
    }
    return this.options.serializer.encode(out);
  }

  encodePaths(paths: readonly Lwm2mPath[]): Uint8Array {
    return this.options.serializer.encode(paths.map((p) => ({ n: p.toString() })));
  }

  decode(bytes: Uint8Array, path: Lwm2mPath, models: ModelLookup, limits = DEFAULT_DECODE_LIMITS): Lwm2mNode {
    models = cachedModels(models);
    const records = resolveRecords(this.options.serializer.decode(bytes, limits));
    const leaves = records.map((r) => {
      const leaf = this.leaf(r, models, path);
      if (!leaf.path.startsWith(path))
        throw new DecodeError(`${leaf.path.toString()} lies outside ${path.toString()}`, r.at);
      return leaf;
    });
    rejectDuplicates(leaves, records);
    return buildTree(path, leaves, models);
  }

  decodeNodes(bytes: Uint8Array, models: ModelLookup, limits = DEFAULT_DECODE_LIMITS): PathNode[] {
    models = cachedModels(models);
    const records = resolveRecords(this.options.serializer.decode(bytes, limits));
    const leaves = records.map((r) => this.leaf(r, models));
    rejectDuplicates(leaves, records);
    return leaves;
  }

  decodeTimestamped(
    bytes: Uint8Array,
    models: ModelLookup,
    limits = DEFAULT_DECODE_LIMITS,
  ): TimestampedNodes[] {
    models = cachedModels(models);
    const records = resolveRecords(this.options.serializer.decode(bytes, limits));
    const groups: { time: number | undefined; leaves: PathNode[]; records: ResolvedRecord[] }[] = [];
    for (const r of records) {
      const time = r.time === 0 ? undefined : r.time;
      let g = groups[groups.length - 1];
      if (!g || g.time !== time) groups.push((g = { time, leaves: [], records: [] }));
      g.leaves.push(this.leaf(r, models));
      g.records.push(r);
    }
    return groups.map((g) => {
      rejectDuplicates(g.leaves, g.records);
      return g.time === undefined ? { nodes: g.leaves } : { timestamp: g.time, nodes: g.leaves };
    });
  }

  decodePaths(bytes: Uint8Array, limits = DEFAULT_DECODE_LIMITS): Lwm2mPath[] {
    return resolveRecords(this.options.serializer.decode(bytes, limits)).map((r) => {
      if (valueFieldCount(r) > 0) throw new DecodeError('a path list carries no values', r.at);
      const path = parseNamePath(r.name);
      if (!path) throw new DecodeError(`"${r.name.slice(0, 40)}" is not a path`, r.at);
      return path;
    });
  }

  /** Appends the records of one node; `state.bn` is the base name in effect. */
  private appendNode(
    path: Lwm2mPath,
    node: Lwm2mNode,
    state: { bn: string | undefined },
    out: SenmlRecord[],
  ): void {
    // Every record names its instance: no form for a Create without id (see idlessCreate.ts).
    if (isIdlessCreate(path, node)) throw idlessCreateError(this.format);
    const leafAtPath = node.kind === 'resource' || node.kind === 'resourceInstance';
    const base = leafAtPath ? path.parent() : path;
    const bn = base.isRoot() ? '/' : base.toString() + '/';
    const skip = base.length;
    for (const leaf of flattenToLeaves(path, node)) {
      const value = (leaf.node as { value: Parameters<typeof valueToFields>[0] }).value;
      if (this.options.finiteFloatsOnly && value.type === 'float' && !Number.isFinite(value.value)) {
        throw new InvalidValueError(`float ${value.value} at ${leaf.path.toString()} has no JSON form`);
      }
      const r: SenmlRecord = {};
      if (state.bn !== bn) r.bn = state.bn = bn;
      r.n = leaf.path.toArray().slice(skip).join('/');
      out.push(Object.assign(r, valueToFields(value, this.options.style)));
    }
  }

  /** The leaf a value record stands for, typed by the model. */
  private leaf(r: ResolvedRecord, models: ModelLookup, request?: Lwm2mPath): PathNode {
    let name = r.name;
    if (this.options.namesRelativeToRequest && request && !name.startsWith('/')) {
      name = (request.isRoot() ? '/' : request.toString() + '/') + name;
      if (name.endsWith('/')) name = name.slice(0, -1);
    }
    const ids = pathIds(name);
    if (ids === undefined || ids.length < 3) {
      throw new DecodeError(`"${r.name.slice(0, 40)}" is not a resource path`, r.at);
    }
    const path = Lwm2mPath.of(...ids);
    if (valueFieldCount(r) === 0) throw new DecodeError(`${path.toString()} has no value`, r.at);
    const model = models.getObject(ids[0]!)?.resources.get(ids[2]!);
    if (model?.type === 'none')
      throw new DecodeError(`${path.toString()} is executable and has no value`, r.at);
    if (model && model.multiple !== (path.length === 4)) {
      throw new DecodeError(
        `${path.toString()} does not fit a ${model.multiple ? 'multiple' : 'single'} resource`,
        r.at,
      );
    }
    const type = model?.type;
    const value = valueFromRecord(r, type, this.options.style);
    const id = ids[ids.length - 1]!;
    return { path, node: ids.length === 3 ? resource(id, value) : resourceInstance(id, value) };
  }
}

function rejectDuplicates(leaves: readonly PathNode[], records: readonly ResolvedRecord[]): void {
  const seen = new Set<string>();
  const multiple = new Set<string>();
  leaves.forEach((l, i) => {
    const key = l.path.toString();
    const resourceKey = l.path.length === 4 ? l.path.parent().toString() : key;
    const clash = l.path.length === 4 ? seen.has(resourceKey) : multiple.has(key);
    if (seen.has(key) || clash) throw new DecodeError(`two values for ${key}`, records[i]!.at);
    seen.add(key);
    if (l.path.length === 4) multiple.add(resourceKey);
  });
}
