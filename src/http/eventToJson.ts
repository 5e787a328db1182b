// LwM2M Core TS 1.1.1 sections 6.2 (registration lifecycle), 6.4.2 (Notify) and 6.4.7 (Send), and
// Transport TS 1.1.1 section 6.5 (queued requests), as the JSON `data:` of the Server-Sent Events at
// GET /api/events.
import type { Lwm2mNode, PathNode } from '../lwm2m/Lwm2mNode.js';
import { formatName } from './formatNames.js';
import { queuedRequestDoneToJson } from './queuedRequestJson.js';
import { nodeToJson, pathNodesToJson, timestampedToJson } from './nodeJson.js';
import { registrationToJson } from './registrationJson.js';
import type { ServerEvent } from './ServerPort.js';

const isPathNodes = (c: Lwm2mNode | readonly PathNode[]): c is readonly PathNode[] => Array.isArray(c);

/**
 * The JSON of an event, always with `endpoint`: registration events carry `registration`;
 * notifications `observationId`, `kind`, `paths`, `content` (a node, or path+node pairs for
 * composite) and `timestamped`; Send carries `data` (groups of path+node with `timestamp` seconds);
 * queuedRequestDone the entry's id, target, status and outcome code (queuedRequestDoneToJson);
 * coapMessage the log entry (CoapMessageEntry: direction, type, code, message id, token...).
 */
export function eventToJson(event: ServerEvent, clockNow: number, wallNow: number): Record<string, unknown> {
  switch (event.type) {
    case 'notification': {
      const n = event.notification;
      return {
        endpoint: event.endpoint,
        ...(event.observationId === undefined ? {} : { observationId: event.observationId }),
        kind: event.kind,
        paths: event.paths.map((p) => p.toString()),
        ...(n.format === undefined ? {} : { format: formatName(n.format) }),
        ...(n.sequence === undefined ? {} : { sequence: n.sequence }),
        ...(n.content === undefined
          ? {}
          : { content: isPathNodes(n.content) ? pathNodesToJson(n.content) : nodeToJson(n.content) }),
        ...(n.timestamped === undefined ? {} : { timestamped: timestampedToJson(n.timestamped) }),
      };
    }
    case 'queuedRequestDone':
      return queuedRequestDoneToJson(event.record);
    case 'coapMessage':
      return { endpoint: event.endpoint, ...event.entry };
    case 'send':
      return {
        endpoint: event.endpoint,
        ...(event.format === undefined ? {} : { format: formatName(event.format) }),
        data: timestampedToJson(event.data),
      };
    default:
      return {
        endpoint: event.endpoint,
        registration: registrationToJson(event.registration, clockNow, wallNow),
      };
  }
}
