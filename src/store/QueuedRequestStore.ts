// LwM2M Transport TS 1.1.1 section 6.5 (Queue Mode Operation): the requests a server holds for a
// sleeping client, each with an id and a status, kept so that they survive a restart and so that
// an operator can see what became of them (issue 14 item 4). Finished entries stay as a bounded
// history. Writes return what changed (STYLE.md pattern 10); one contract suite proves every store.
import type { Lwm2mNode, PathNode } from '../lwm2m/Lwm2mNode.js';
import type { DownlinkRequest } from '../lwm2m/requests.js';
import type { RequestFailure } from '../lwm2m/responses.js';

/**
 * Where a queued request is: `queued` (waiting for the client to wake), `sent` (on the wire),
 * then one final status: `answered` (any response code), `expired` (its deadline passed while
 * queued), `cancelled` (by an operator or its caller while queued), `failed` (sent but no usable
 * answer, or the registration ended).
 */
export type QueuedRequestStatus = 'queued' | 'sent' | 'answered' | 'expired' | 'cancelled' | 'failed';

/** The statuses after which nothing changes. */
export const FINAL_QUEUED_STATUSES: ReadonlySet<QueuedRequestStatus> = new Set([
  'answered',
  'expired',
  'cancelled',
  'failed',
]);

/** What became of a request: its response, or the local failure. */
export interface QueuedRequestResult {
  /** CoAP response code byte (0 for a local failure). */
  readonly code: number;
  readonly ok: boolean;
  readonly failure?: RequestFailure;
  readonly diagnostic?: string;
  /** Content-Format of the content. */
  readonly format?: number;
  /** The decoded content of a Read (node) or Read-Composite (nodes), when small (see maxResultBytes). */
  readonly content?: Lwm2mNode | readonly PathNode[];
  /** True when the response had content too large to keep. */
  readonly contentOmitted?: boolean;
}

/** One request held for a sleeping client. Times are wall-clock ms since 1970. */
export interface QueuedRequestRecord {
  /** Unique, opaque. */
  readonly id: string;
  readonly registrationId: string;
  readonly endpoint: string;
  readonly request: DownlinkRequest;
  readonly createdAt: number;
  /** When it expires if still queued. */
  readonly deadlineAt: number;
  readonly status: QueuedRequestStatus;
  /** When the status last changed. */
  readonly updatedAt: number;
  /** Set with a final status. */
  readonly result?: QueuedRequestResult;
}

/** A status change. */
export interface QueuedRequestChange {
  readonly status: QueuedRequestStatus;
  readonly updatedAt: number;
  readonly result?: QueuedRequestResult;
}

/** What QueuedRequestStore.update changed. */
export interface QueuedRequestUpdateResult {
  /** The entry after the change; undefined when there was no such entry or it was already final. */
  readonly record?: QueuedRequestRecord;
  /** Finished entries dropped from the history to make room (oldest first). */
  readonly dropped: readonly QueuedRequestRecord[];
}

/** Bounds of the history of finished entries. */
export interface QueuedRequestHistoryLimits {
  /** Finished entries kept per endpoint; older ones are dropped. Default 20. */
  readonly maxHistoryPerClient: number;
  /** Finished entries kept in all; older ones are dropped. Default 10 000. */
  readonly maxHistory: number;
}

/** The documented defaults of QueuedRequestHistoryLimits. */
export const DEFAULT_QUEUED_REQUEST_HISTORY: QueuedRequestHistoryLimits = Object.freeze({
  maxHistoryPerClient: 20,
  maxHistory: 10_000,
});

/** Counters of a QueuedRequestStore. */
export interface QueuedRequestStoreStats {
  /** Entries not final (queued or sent). */
  readonly pending: number;
  /** Finished entries kept. */
  readonly history: number;
  /** Finished entries dropped from the history by its bounds since the store was made. */
  readonly droppedFromHistory: number;
}

/** Queued requests by id and endpoint. Every method is async so remote stores fit. */
export interface QueuedRequestStore {
  /** Stores a new entry (its id must be new); settles once it is durable. */
  add(record: QueuedRequestRecord): Promise<void>;
  /** Changes the status of a pending entry; a final entry does not change. */
  update(id: string, change: QueuedRequestChange): Promise<QueuedRequestUpdateResult>;
  get(id: string): Promise<QueuedRequestRecord | undefined>;
  /** The entries of `endpoint`, pending and finished, newest first, at most `limit` (default all). */
  byEndpoint(endpoint: string, limit?: number): Promise<QueuedRequestRecord[]>;
  /** Every pending (queued or sent) entry, oldest first (what a starting server re-arms). */
  pending(): Promise<QueuedRequestRecord[]>;
  stats(): QueuedRequestStoreStats;
}
