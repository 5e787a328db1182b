// LwM2M Core TS 1.1.1 section 7.4 (Table 7.4-1): the single-value formats (text, opaque, CBOR)
// carry one resource value or one resource instance value; shared checks for their codecs.
import { UnsupportedContentFormatError } from '../lwm2m/errors.js';
import type { Lwm2mNode } from '../lwm2m/Lwm2mNode.js';
import type { Lwm2mPath } from '../lwm2m/Lwm2mPath.js';
import type { Lwm2mValue } from '../lwm2m/Lwm2mValue.js';
import { assertNodeMatchesPath, resource, resourceInstance } from '../lwm2m/nodes.js';
import type { ModelLookup } from '../model/ObjectModel.js';
import { DecodeError } from '../transport/DecodeError.js';
import { resourceModelAt } from './modelTypes.js';

/** The value of a single resource or resource instance node; throws UnsupportedContentFormatError for any other node. */
export function singleValueOf(path: Lwm2mPath, node: Lwm2mNode, formatName: string): Lwm2mValue {
  assertNodeMatchesPath(path, node);
  if (node.kind !== 'resource' && node.kind !== 'resourceInstance') {
    throw new UnsupportedContentFormatError(
      `${formatName} carries a single value, not a ${node.kind} (${path.toString()})`,
    );
  }
  return node.value;
}

/** Throws DecodeError unless the path addresses a single-instance resource or a resource instance. */
export function assertSingleValuePath(path: Lwm2mPath, models: ModelLookup, formatName: string): void {
  if (path.length !== 3 && path.length !== 4) {
    throw new DecodeError(
      `${formatName} payloads address a resource or resource instance, not ${path.toString()}`,
      0,
    );
  }
  if (path.length === 3 && resourceModelAt(models, path.objectId!, path.resourceId!)?.multiple === true) {
    throw new DecodeError(`${formatName} cannot carry the multiple resource ${path.toString()}`, 0);
  }
}

/** The node a decoded single value becomes at its path. */
export function singleValueNode(path: Lwm2mPath, value: Lwm2mValue): Lwm2mNode {
  return path.length === 4
    ? resourceInstance(path.resourceInstanceId!, value)
    : resource(path.resourceId!, value);
}

/** Runs a decoder body and turns anything it throws other than DecodeError into a DecodeError. */
export function onlyDecodeErrors<T>(formatName: string, body: () => T): T {
  try {
    return body();
  } catch (e) {
    if (e instanceof DecodeError) throw e;
    throw new DecodeError(`${formatName} payload rejected: ${e instanceof Error ? e.message : String(e)}`, 0);
  }
}
