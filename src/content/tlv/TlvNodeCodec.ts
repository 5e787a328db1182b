// LwM2M Core TS 1.1.1 section 7.4.3 (application/vnd.oma.lwm2m+tlv, 11542): TLV records <-> nodes.
// Objects are lists of object-instance TLVs; an instance is its resource TLVs (an enclosing
// object-instance TLV with the path's id is accepted too); a Create payload of bare resources at an
// object path becomes one instance with NO_INSTANCE_ID. Unknown resources decode as opaque.
import type { NodeCodec } from '../ContentCodec.js';
import { ContentFormat } from '../ContentFormat.js';
import { DEFAULT_DECODE_LIMITS, type DecodeLimits } from '../decodeLimits.js';
import { valueTypeFor } from '../modelTypes.js';
import { UnsupportedContentFormatError } from '../../lwm2m/errors.js';
import {
  NO_INSTANCE_ID,
  type Lwm2mNode,
  type ObjectInstanceNode,
  type ResourceInstanceNode,
  type ResourceNode,
} from '../../lwm2m/Lwm2mNode.js';
import { MAX_ID, type Lwm2mPath } from '../../lwm2m/Lwm2mPath.js';
import {
  assertNodeMatchesPath,
  instance,
  multipleResource,
  object,
  resource,
  resourceInstance,
} from '../../lwm2m/nodes.js';
import type { ModelLookup } from '../../model/ObjectModel.js';
import { DecodeError } from '../../transport/DecodeError.js';
import { decodeTlvRecords, encodeTlvRecords, type TlvRecord } from './tlvRecords.js';
import { decodeTlvValue, encodeTlvValue } from './tlvValues.js';

function resourceRecord(node: ResourceNode): TlvRecord {
  if (node.kind === 'resource') return { type: 'resource', id: node.id, value: encodeTlvValue(node.value) };
  return { type: 'multipleResource', id: node.id, children: node.instances.map(instanceRecord) };
}

function instanceRecord(node: ResourceInstanceNode): TlvRecord {
  return { type: 'resourceInstance', id: node.id, value: encodeTlvValue(node.value) };
}

function objectInstanceRecord(node: ObjectInstanceNode): TlvRecord {
  return { type: 'objectInstance', id: node.id, children: node.resources.map(resourceRecord) };
}

function recordsFor(node: Lwm2mNode): TlvRecord[] {
  switch (node.kind) {
    case 'object': {
      const only = node.instances.length === 1 ? node.instances[0] : undefined;
      if (only?.id === NO_INSTANCE_ID) return only.resources.map(resourceRecord);
      return node.instances.map(objectInstanceRecord);
    }
    case 'instance':
      return node.resources.map(resourceRecord);
    case 'resource':
    case 'multipleResource':
      return [resourceRecord(node)];
    case 'resourceInstance':
      return [instanceRecord(node)];
  }
}

/** Decoder state for one payload: the object the records belong to and the models. */
class TlvTreeReader {
  constructor(
    private readonly objectId: number,
    private readonly models: ModelLookup,
  ) {}

  resource(r: TlvRecord): ResourceNode {
    const type = valueTypeFor(this.models, this.objectId, r.id, 'opaque');
    if (r.type === 'resource') return resource(checkId(r), decodeTlvValue(type, r.value, r.offset ?? 0));
    if (r.type === 'multipleResource') {
      return multipleResource(checkId(r), this.instances(r.children, type), type);
    }
    throw new DecodeError(`expected a resource TLV, got ${r.type}`, r.offset ?? 0);
  }

  instances(records: readonly TlvRecord[], type: ReturnType<typeof valueTypeFor>): ResourceInstanceNode[] {
    return unique(records).map((c) => {
      if (c.type !== 'resourceInstance')
        throw new DecodeError(`expected a resource instance TLV`, c.offset ?? 0);
      return resourceInstance(checkId(c), decodeTlvValue(type, c.value, c.offset ?? 0));
    });
  }

  resources(records: readonly TlvRecord[]): ResourceNode[] {
    return unique(records).map((r) => this.resource(r));
  }

  objectInstance(r: TlvRecord): ObjectInstanceNode {
    if (r.type !== 'objectInstance')
      throw new DecodeError(`expected an object instance TLV, got ${r.type}`, r.offset ?? 0);
    return instance(checkId(r), this.resources(r.children));
  }
}

function checkId(r: TlvRecord): number {
  if (r.id > MAX_ID) throw new DecodeError(`TLV id ${r.id} is reserved`, r.offset ?? 0);
  return r.id;
}

function unique(records: readonly TlvRecord[]): readonly TlvRecord[] {
  const seen = new Set<number>();
  for (const r of records) {
    if (seen.has(r.id)) throw new DecodeError(`two TLVs with id ${r.id} in one container`, r.offset ?? 0);
    seen.add(r.id);
  }
  return records;
}

function only(records: readonly TlvRecord[], what: string): TlvRecord {
  if (records.length !== 1)
    throw new DecodeError(`expected exactly one ${what} TLV, got ${records.length}`, 0);
  return records[0]!;
}

function expectId(r: TlvRecord, id: number): void {
  if (r.id !== id) throw new DecodeError(`TLV id ${r.id} does not match the path's id ${id}`, r.offset ?? 0);
}

function decodeAt(bytes: Uint8Array, path: Lwm2mPath, models: ModelLookup, limits: DecodeLimits): Lwm2mNode {
  if (path.objectId === undefined) throw new DecodeError('TLV cannot be decoded at the root path', 0);
  const records = decodeTlvRecords(bytes, limits);
  const reader = new TlvTreeReader(path.objectId, models);
  const isResource = (r: TlvRecord): boolean => r.type === 'resource' || r.type === 'multipleResource';
  switch (path.length) {
    case 1:
      if (records.length > 0 && records.every(isResource)) {
        return object(path.objectId, [instance(NO_INSTANCE_ID, reader.resources(records))]);
      }
      return object(
        path.objectId,
        unique(records).map((r) => reader.objectInstance(r)),
      );
    case 2: {
      const first = records[0];
      if (records.length === 1 && first?.type === 'objectInstance') {
        expectId(first, path.instanceId!);
        return reader.objectInstance(first);
      }
      const bad = records.find((r) => !isResource(r));
      if (bad)
        throw new DecodeError(
          `an object instance payload holds resource TLVs, got ${bad.type}`,
          bad.offset ?? 0,
        );
      return instance(path.instanceId!, reader.resources(records));
    }
    case 3: {
      const rid = path.resourceId!;
      if (records.length > 0 && records.every((r) => r.type === 'resourceInstance')) {
        // Some clients send a multiple resource as bare resource-instance TLVs.
        const type = valueTypeFor(models, path.objectId, rid, 'opaque');
        return multipleResource(rid, reader.instances(records, type), type);
      }
      const r = only(records, 'resource');
      expectId(r, rid);
      return reader.resource(r);
    }
    default: {
      const r = only(records, 'resource instance');
      expectId(r, path.resourceInstanceId!);
      const type = valueTypeFor(models, path.objectId, path.resourceId!, 'opaque');
      return reader.instances([r], type)[0]!;
    }
  }
}

/** The TLV codec (11542; the legacy 1542 is registered as an alias in contentCodecs.ts). */
export const tlvNodeCodec: NodeCodec = {
  format: ContentFormat.TLV,

  encode(path: Lwm2mPath, node: Lwm2mNode): Uint8Array {
    assertNodeMatchesPath(path, node);
    try {
      return encodeTlvRecords(recordsFor(node));
    } catch (e) {
      if (e instanceof RangeError)
        throw new UnsupportedContentFormatError(`TLV cannot carry this node: ${e.message}`);
      throw e;
    }
  },

  decode(bytes: Uint8Array, path: Lwm2mPath, models: ModelLookup, limits = DEFAULT_DECODE_LIMITS): Lwm2mNode {
    try {
      return decodeAt(bytes, path, models, limits);
    } catch (e) {
      if (e instanceof DecodeError) throw e;
      throw new DecodeError(`TLV payload rejected: ${e instanceof Error ? e.message : String(e)}`, 0);
    }
  },
};
