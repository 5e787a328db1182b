// Issue 14 item 4: a request held for a sleeping client (QueuedRequestStore) as the REST API shows
// it: operation and target, status, wall-clock times as ISO 8601, and the result with the read
// content in the API's node JSON.
import type { Lwm2mNode, PathNode } from '../lwm2m/Lwm2mNode.js';
import type { QueuedRequestRecord } from '../store/QueuedRequestStore.js';
import { formatName } from './formatNames.js';
import { coapCodeText } from './lwm2mReply.js';
import { nodeToJson, pathNodesToJson } from './nodeJson.js';
import type { Schema } from './schemas.js';

const iso = (ms: number): string => new Date(ms).toISOString();

/** The paths a request targets. */
function targetOf(r: QueuedRequestRecord['request']): string[] {
  if ('path' in r) return [r.path.toString()];
  if ('paths' in r) return r.paths.map(String);
  return r.nodes.map((n) => n.path.toString());
}

/** What identifies `r` and where it stands, shared by the full JSON and the event. */
function summaryOf(r: QueuedRequestRecord): Record<string, unknown> {
  return {
    id: r.id,
    endpoint: r.endpoint,
    registrationId: r.registrationId,
    operation: r.request.kind,
    paths: targetOf(r.request),
    status: r.status,
  };
}

/** `r` as JSON (schema queuedRequestSchema). */
export function queuedRequestToJson(r: QueuedRequestRecord): Record<string, unknown> {
  const res = r.result;
  const content = res?.content;
  return {
    ...summaryOf(r),
    createdAt: iso(r.createdAt),
    deadlineAt: iso(r.deadlineAt),
    updatedAt: iso(r.updatedAt),
    ...(res === undefined
      ? {}
      : {
          result: {
            ok: res.ok,
            ...(res.code === 0 ? {} : { code: coapCodeText(res.code) }),
            ...(res.failure === undefined ? {} : { failure: res.failure }),
            ...(res.diagnostic === undefined ? {} : { diagnostic: res.diagnostic }),
            ...(res.format === undefined ? {} : { format: formatName(res.format) }),
            ...(content === undefined
              ? {}
              : {
                  content: Array.isArray(content)
                    ? pathNodesToJson(content as readonly PathNode[])
                    : nodeToJson(content as Lwm2mNode),
                }),
            ...(res.contentOmitted ? { contentOmitted: true } : {}),
          },
        }),
  };
}

/**
 * What a `queuedRequestDone` event tells of `r`: id, target, final status and outcome code, never
 * the request's payload (a Write may carry keys) nor the read content (GET .../queue/{id} has it).
 */
export function queuedRequestDoneToJson(r: QueuedRequestRecord): Record<string, unknown> {
  const res = r.result;
  return {
    ...summaryOf(r),
    updatedAt: iso(r.updatedAt),
    ...(res === undefined
      ? {}
      : {
          result: {
            ok: res.ok,
            ...(res.code === 0 ? {} : { code: coapCodeText(res.code) }),
            ...(res.failure === undefined ? {} : { failure: res.failure }),
          },
        }),
  };
}

/** A queued request (queuedRequestToJson). */
export const queuedRequestSchema: Schema = {
  $id: 'QueuedRequest',
  type: 'object',
  required: ['id', 'endpoint', 'operation', 'paths', 'status', 'createdAt', 'deadlineAt', 'updatedAt'],
  properties: {
    id: { type: 'string', description: 'Opaque id of the entry.' },
    endpoint: { type: 'string' },
    registrationId: { type: 'string' },
    operation: { type: 'string', examples: ['read', 'write', 'execute'] },
    paths: { type: 'array', items: { type: 'string' } },
    status: {
      type: 'string',
      enum: ['queued', 'sent', 'answered', 'expired', 'cancelled', 'failed'],
      description:
        'queued: waits for the client to wake; sent: on the wire; then answered (any response code), expired (deadline passed while queued), cancelled, or failed (no usable answer, or the registration ended).',
    },
    createdAt: { type: 'string', format: 'date-time' },
    deadlineAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time', description: 'When the status last changed.' },
    result: {
      type: 'object',
      properties: {
        ok: { type: 'boolean' },
        code: { type: 'string', examples: ['2.05'] },
        failure: { type: 'string' },
        diagnostic: { type: 'string' },
        format: { type: 'string' },
        content: { description: 'Read content (kept when small).' },
        contentOmitted: { type: 'boolean' },
      },
    },
  },
};
