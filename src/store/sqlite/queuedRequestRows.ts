// A QueuedRequestRecord as one row of the queued_requests table: id, endpoint, status and times as
// columns, the request (lwm2m/downlinkRequestJson.ts) and result as JSON. Times are already
// wall-clock ms in the record.
import { downlinkRequestFromJson, downlinkRequestToJson } from '../../lwm2m/downlinkRequestJson.js';
import { Lwm2mPath } from '../../lwm2m/Lwm2mPath.js';
import type { Lwm2mNode, PathNode } from '../../lwm2m/Lwm2mNode.js';
import {
  arrayOf,
  intOf,
  nodeFromJson,
  nodeToJson,
  objectOf,
  stringOf,
  StoredJsonError,
  type Json,
} from '../../lwm2m/nodeStoreJson.js';
import { REQUEST_FAILURES, type RequestFailure } from '../../lwm2m/responses.js';
import {
  FINAL_QUEUED_STATUSES,
  type QueuedRequestRecord,
  type QueuedRequestResult,
  type QueuedRequestStatus,
} from '../QueuedRequestStore.js';

/** One row of queued_requests. */
export interface QueuedRequestRow {
  id: string;
  endpoint: string;
  status: string;
  created_at: number;
  updated_at: number;
  record: string;
}

const STATUSES: ReadonlySet<string> = new Set(['queued', 'sent', ...FINAL_QUEUED_STATUSES]);
const FAILURES: ReadonlySet<string> = new Set(REQUEST_FAILURES);

function contentToJson(c: Lwm2mNode | readonly PathNode[]): Json {
  return Array.isArray(c)
    ? (c as readonly PathNode[]).map((n) => ({ path: n.path.toString(), node: nodeToJson(n.node) }))
    : nodeToJson(c as Lwm2mNode);
}

function resultToJson(r: QueuedRequestResult): Json {
  return JSON.parse(
    JSON.stringify({ ...r, content: r.content === undefined ? undefined : contentToJson(r.content) }),
  ) as Json;
}

function resultFromJson(json: unknown): QueuedRequestResult {
  const o = objectOf(json, 'result');
  if (typeof o['ok'] !== 'boolean') throw new StoredJsonError('result: ok is not a boolean');
  const failure = o['failure'];
  if (failure !== undefined && (typeof failure !== 'string' || !FAILURES.has(failure)))
    throw new StoredJsonError('result: unknown failure');
  const c = o['content'];
  const content =
    c === undefined
      ? undefined
      : Array.isArray(c)
        ? arrayOf(c, 'content').map((x) => {
            const n = objectOf(x, 'content item');
            return { path: Lwm2mPath.parse(stringOf(n['path'], 'path')), node: nodeFromJson(n['node']) };
          })
        : nodeFromJson(c);
  return {
    code: intOf(o['code'], 0, 255, 'code'),
    ok: o['ok'],
    ...(failure === undefined ? {} : { failure: failure as RequestFailure }),
    ...(o['diagnostic'] === undefined ? {} : { diagnostic: stringOf(o['diagnostic'], 'diagnostic') }),
    ...(o['format'] === undefined ? {} : { format: intOf(o['format'], 0, 65535, 'format') }),
    ...(content === undefined ? {} : { content }),
    ...(o['contentOmitted'] === true ? { contentOmitted: true } : {}),
  };
}

/** The record column of `r`. */
export function encodeQueuedRequest(r: QueuedRequestRecord): string {
  return JSON.stringify({
    registrationId: r.registrationId,
    request: downlinkRequestToJson(r.request),
    deadlineAt: r.deadlineAt,
    ...(r.result === undefined ? {} : { result: resultToJson(r.result) }),
  });
}

/** The record of one row; throws when the row is not valid. */
export function decodeQueuedRequest(row: QueuedRequestRow): QueuedRequestRecord {
  if (!STATUSES.has(row.status)) throw new StoredJsonError(`unknown status ${row.status}`);
  const o = objectOf(JSON.parse(row.record), 'record');
  return {
    id: row.id,
    registrationId: stringOf(o['registrationId'], 'registrationId'),
    endpoint: row.endpoint,
    request: downlinkRequestFromJson(o['request']),
    createdAt: row.created_at,
    deadlineAt: intOf(o['deadlineAt'], 0, Number.MAX_SAFE_INTEGER, 'deadlineAt'),
    status: row.status as QueuedRequestStatus,
    updatedAt: row.updated_at,
    ...(o['result'] === undefined ? {} : { result: resultFromJson(o['result']) }),
  };
}
