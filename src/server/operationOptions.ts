// LwM2M Core TS 1.1.1 section 5.4 (Device Management operations): the per-call options of the
// server's typed API and the small conversions from them to request factory arguments.
import type { Lwm2mNode } from '../lwm2m/Lwm2mNode.js';
import type { Lwm2mPath } from '../lwm2m/Lwm2mPath.js';
import type { Lwm2mValue } from '../lwm2m/Lwm2mValue.js';
import { resource, resourceInstance } from '../lwm2m/nodes.js';
import { InvalidRequestError } from '../lwm2m/requestErrors.js';
import type { SendOptions } from './DownlinkSender.js';

/** Options of requests that carry a content format (Accept or Content-Format). */
export interface FormatOptions extends SendOptions {
  /** Overrides the format chosen from the client's LwM2M version and announced formats. */
  readonly format?: number;
}

/** Options of an observation's handle (Observe, Observe-Composite). */
export interface ObserveHandleOptions {
  /**
   * Notifications the handle keeps for a slow iterator (the oldest dropped first); default 32.
   * 0: the handle keeps none, for a user who takes them from the server's 'notification' event
   * (as the REST API does) and never iterates the handle.
   */
  readonly buffer?: number;
}

/** The `format` of `o`, for a request factory. */
export function pick(o: FormatOptions): { format?: number } {
  return o.format === undefined ? {} : { format: o.format };
}

/** The `format` and `requestFormat` of `o`, for a composite request factory. */
export function composite(o: FormatOptions & { requestFormat?: number }): {
  format?: number;
  requestFormat?: number;
} {
  return { ...pick(o), ...(o.requestFormat === undefined ? {} : { requestFormat: o.requestFormat }) };
}

/** A bare value as the node at a resource (3 ids) or resource instance (4 ids) path. */
export function valueNode(path: Lwm2mPath, value: Lwm2mValue): Lwm2mNode {
  if (path.length === 3) return resource(path.resourceId!, value);
  if (path.length === 4) return resourceInstance(path.resourceInstanceId!, value);
  throw new InvalidRequestError(
    `a bare value can only be written to a resource or resource instance, not ${path}`,
  );
}
